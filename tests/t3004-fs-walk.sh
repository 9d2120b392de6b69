#!/bin/sh
test_description='fs/walk: order, depth, limits, truncation, symlinks, hidden directories'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir -p w/sub/deeper w/.hidden && : >w/a.txt && : >w/B2.txt &&
	: >w/sub/b.txt && : >w/sub/deeper/c.txt && : >w/.hidden/h.txt &&
	ln -s sub w/link-to-sub && ln -s a.txt w/link-to-a && ln -s nowhere w/dangling &&
	mkfifo w/fifo

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}
E() {
	printf '{"path":"file://@T@/w/%s","kind":"%s"}' "$1" "$2"
}
walk() {
	printf '{"id":%s,"method":"fs/walk","params":{"path":"@U@/w%s","options":{"maxDepth":%s,"maxDirectories":%s,"maxEntries":%s,"followDirectorySymlinks":%s%s}}}\n' "$@"
}

test_expect_success 'breadth first, names sorted bytewise, symlinks and other types skipped' '
	walk 1 "" 10 100 1000 false "" | fsrpc >log &&
	ok 1 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory),$(E .hidden/h.txt file),$(E sub/b.txt file),$(E sub/deeper directory),$(E sub/deeper/c.txt file)],\"errors\":[],\"truncated\":false}"
'

test_expect_success 'followDirectorySymlinks: links to directories listed and entered once' '
	walk 1 "" 10 100 1000 true "" | fsrpc >log &&
	ok 1 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E link-to-sub directory),$(E sub directory),$(E .hidden/h.txt file),$(E link-to-sub/b.txt file),$(E link-to-sub/deeper directory),$(E link-to-sub/deeper/c.txt file)],\"errors\":[],\"truncated\":false}"
'

test_expect_success 'pruneHiddenDirectories lists dot-directories without entering them' '
	walk 1 "" 10 100 1000 false ",\"pruneHiddenDirectories\":true" | fsrpc >log &&
	ok 1 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory),$(E sub/b.txt file),$(E sub/deeper directory),$(E sub/deeper/c.txt file)],\"errors\":[],\"truncated\":false}"
'

test_expect_success 'maxDepth 0 lists the root only; 1 goes one level down' '
	{ walk 1 "" 0 100 1000 false ""; walk 2 "" 1 100 1000 false ""; } | fsrpc >log &&
	ok 1 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory)],\"errors\":[],\"truncated\":false}" &&
	ok 2 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory),$(E .hidden/h.txt file),$(E sub/b.txt file),$(E sub/deeper directory)],\"errors\":[],\"truncated\":false}"
'

test_expect_success 'maxEntries counts skipped names too; maxDirectories truncates' '
	{ walk 1 "" 10 100 4 false ""; walk 2 "" 10 1 1000 false ""; walk 3 "" 10 2 1000 false ""; } |
	    fsrpc >log &&
	ok 1 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file)],\"errors\":[],\"truncated\":true}" &&
	ok 2 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory)],\"errors\":[],\"truncated\":true}" &&
	ok 3 "{\"entries\":[$(E .hidden directory),$(E B2.txt file),$(E a.txt file),$(E sub directory),$(E .hidden/h.txt file)],\"errors\":[],\"truncated\":true}"
'

test_expect_success 'a file root, a link root, a missing root' '
	{ walk 1 /a.txt 10 100 1000 false ""; walk 2 /link-to-sub 10 100 1000 false "";
	  walk 3 /link-to-sub 0 100 1000 true ""; walk 4 /missing 10 100 1000 false ""; } |
	    fsrpc >log &&
	ok 1 "{\"entries\":[],\"errors\":[],\"truncated\":false}" &&
	ok 2 "{\"entries\":[],\"errors\":[],\"truncated\":false}" &&
	ok 3 "{\"entries\":[$(E link-to-sub/b.txt file),$(E link-to-sub/deeper directory)],\"errors\":[],\"truncated\":false}" &&
	err 4 -32004 "No such file or directory (os error 2)"
'

test_expect_success 'limits: zero, over the maxima, missing options' '
	{ walk 1 "" 65 100 1000 false ""; walk 2 "" 64 10001 1000 false "";
	  walk 3 "" 64 10000 50001 false ""; walk 4 "" 0 0 1 false "";
	  walk 5 "" 0 1 0 false ""; walk 6 /missing 65 0 1 false "";
	  echo "{\"id\":7,\"method\":\"fs/walk\",\"params\":{\"path\":\"@U@/w\",\"options\":{\"maxDepth\":1}}}";
	  echo "{\"id\":8,\"method\":\"fs/walk\",\"params\":{\"path\":\"@U@/w\"}}";
	  walk 9 "" 0 1 1 false ",\"pruneHiddenDirectories\":null"; } | fsrpc >log &&
	m="filesystem walk limits exceed maximums: depth=64, directories=10000, entries=50000" &&
	err 1 -32600 "$m" && err 2 -32600 "$m" && err 3 -32600 "$m" &&
	err 4 -32600 "filesystem walk limits must be greater than zero" &&
	err 5 -32600 "filesystem walk limits must be greater than zero" &&
	err 6 -32600 "filesystem walk limits must be greater than zero" &&
	err 7 -32602 "missing field \`maxDirectories\`" &&
	err 8 -32602 "missing field \`options\`" &&
	err 9 -32602 "invalid type: null, expected a boolean"
'

test_expect_success 'a symlink loop is entered once' '
	mkdir -p loop/d && ln -s .. loop/d/up &&
	printf "%s\n" "{\"id\":1,\"method\":\"fs/walk\",\"params\":{\"path\":\"@U@/loop\",\"options\":{\"maxDepth\":64,\"maxDirectories\":100,\"maxEntries\":1000,\"followDirectorySymlinks\":true}}}" |
	    fsrpc >log &&
	ok 1 "{\"entries\":[{\"path\":\"file://@T@/loop/d\",\"kind\":\"directory\"},{\"path\":\"file://@T@/loop/d/up\",\"kind\":\"directory\"}],\"errors\":[],\"truncated\":false}"
'

test_expect_success 'names a URI cannot carry come back as errors, like the reference' '
	mkdir odd && : >"odd/$(printf "nl\nx")" && : >"odd/$(printf "bad\377")" && : >odd/fine &&
	printf "%s\n" "{\"id\":1,\"method\":\"fs/walk\",\"params\":{\"path\":\"@U@/odd\",\"options\":{\"maxDepth\":1,\"maxDirectories\":10,\"maxEntries\":100,\"followDirectorySymlinks\":false}}}" |
	    fsrpc >log &&
	ok 1 "{\"entries\":[{\"path\":\"file://@T@/odd/fine\",\"kind\":\"file\"}],\"errors\":[{\"path\":\"file://@T@/odd/bad%EF%BF%BD\",\"message\":\"No such file or directory (os error 2)\"},{\"path\":\"file://@T@/odd/nlx\",\"message\":\"No such file or directory (os error 2)\"}],\"truncated\":false}"
'

test_expect_success 'every directory queued is walked, however many (the queue grows)' '
	mkdir wide && for i in $(seq 10 49); do mkdir wide/d$i && : >wide/d$i/f || exit 1; done &&
	printf "%s\n" "{\"id\":1,\"method\":\"fs/walk\",\"params\":{\"path\":\"@U@/wide\",\"options\":{\"maxDepth\":1,\"maxDirectories\":100,\"maxEntries\":1000,\"followDirectorySymlinks\":false}}}" |
	    fsrpc >log &&
	test "$(answer log 1 | grep -o "\"kind\":\"directory\"" | wc -l)" -eq 40 &&
	test "$(answer log 1 | grep -o "/f\",\"kind\":\"file\"" | wc -l)" -eq 40 &&
	answer log 1 | grep -q "d49/f\",\"kind\":\"file\"}\],\"errors\":\[\],\"truncated\":false}}$"
'

test_expect_success 'the answer stops at 4 MiB of items, truncated' '
	n=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx &&
	mkdir many && (cd many && seq -f "f%05g_$n" 1 30000 | xargs touch) &&
	len=$(printf "file://%s/many/f00001_%s" "$TRASH" "$n" | wc -c) &&
	want=$((4194304 / (len + 64))) &&
	{ sed "s|@U@|file://$TRASH|" <<\EOF; sleep 3; } | "$ES" --listen stdio | tail -n 1 >big.json &&
{"id":0,"method":"initialize","params":{"clientName":"t"}}
{"method":"initialized"}
{"id":1,"method":"fs/walk","params":{"path":"@U@/many","options":{"maxDepth":1,"maxDirectories":10,"maxEntries":50000,"followDirectorySymlinks":false}}}
EOF
	test "$(grep -o "\"kind\":\"file\"" big.json | wc -l)" -eq "$want" &&
	grep -q "\"truncated\":true}}$" big.json
'

test_done
