#!/bin/sh
test_description='fs/readFile and fs/writeFile: data, symlinks, file types, limits, errors'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir -p sub && printf "hello world" >a.txt && ln -s a.txt link-to-a &&
	ln -s sub link-to-sub && ln -s nowhere dangling && mkfifo fifo &&
	printf b >sub/b.txt

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}

test_expect_success 'read, write, read back, write empty' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/a.txt"}}
{"id":2,"method":"fs/writeFile","params":{"path":"@U@/new.txt","dataBase64":"bmV3IGNvbnRlbnQK"}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/new.txt","sandbox":null}}
{"id":4,"method":"fs/writeFile","params":{"path":"@U@/new.txt","dataBase64":""}}
{"id":5,"method":"fs/readFile","params":{"path":"@U@/new.txt","followSymlinks":null}}
EOF
	ok 1 "{\"dataBase64\":\"aGVsbG8gd29ybGQ=\"}" &&
	ok 2 "{}" &&
	ok 3 "{\"dataBase64\":\"bmV3IGNvbnRlbnQK\"}" &&
	ok 4 "{}" &&
	ok 5 "{\"dataBase64\":\"\"}" &&
	test "$(stat -c %a new.txt)" = 644
'

test_expect_success BASE64 'all 256 byte values survive a round trip' '
	awk "BEGIN { for (i = 0; i < 256; i++) printf \"%c\", i }" >all.bin &&
	test "$(wc -c <all.bin)" -eq 256 &&
	data=$(b64 all.bin) &&
	printf "%s\n" \
	    "{\"id\":1,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@U@/all.out\",\"dataBase64\":\"$data\"}}" \
	    "{\"id\":2,\"method\":\"fs/readFile\",\"params\":{\"path\":\"@U@/all.out\"}}" |
	    fsrpc >log &&
	test_cmp all.bin all.out &&
	ok 2 "{\"dataBase64\":\"$data\"}"
'

test_expect_success '20 MiB round trip over stdio and WebSocket (read in slices)' '
	head -c 20971520 /dev/urandom >r20 &&
	"$FL" "stdio:$ES --listen stdio" put "file://$TRASH/w20" r20 >out &&
	grep -q "^ok 0 " out && test_cmp r20 w20 &&
	"$FL" "stdio:$ES --listen stdio" get "file://$TRASH/w20" g20 >out &&
	grep -q "^ok 20971520 " out && test_cmp r20 g20 &&
	ws_start &&
	"$FL" "$WS_URL" put "file://$TRASH/v20" r20 >out &&
	test_cmp r20 v20 &&
	"$FL" "$WS_URL" get "file://$TRASH/v20" h20 >out &&
	grep -q "^ok 20971520 " out && test_cmp r20 h20
'

test_expect_success 'errors: missing, not a directory, a directory, base64' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/missing.txt"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/sub"}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/a.txt/x"}}
{"id":4,"method":"fs/writeFile","params":{"path":"@U@/no-such-dir/x.txt","dataBase64":"eA=="}}
{"id":5,"method":"fs/writeFile","params":{"path":"@U@/sub","dataBase64":"eA=="}}
{"id":6,"method":"fs/writeFile","params":{"path":"@U@/bad.txt","dataBase64":"not base64!"}}
{"id":7,"method":"fs/writeFile","params":{"path":"@U@/bad.txt","dataBase64":"eA"}}
{"id":8,"method":"fs/writeFile","params":{"path":"@U@/bad.txt","dataBase64":"eB=="}}
{"id":9,"method":"fs/writeFile","params":{"path":"file://host/x","dataBase64":"e"}}
{"id":10,"method":"fs/writeFile","params":{"path":"@U@/x.txt"}}
{"id":11,"method":"fs/writeFile","params":{"path":"@U@/a.txt/x","dataBase64":"eA=="}}
{"id":12,"method":"fs/readFile"}
{"id":13,"method":"fs/readFile","params":{"path":42}}
EOF
	err 1 -32004 "No such file or directory (os error 2)" &&
	err 2 -32600 "path \`@T@/sub\` is not a file" &&
	err 3 -32603 "Not a directory (os error 20)" &&
	err 4 -32004 "No such file or directory (os error 2)" &&
	err 5 -32603 "Is a directory (os error 21)" &&
	err 6 -32600 "fs/writeFile requires valid base64 dataBase64: Invalid symbol 32, offset 3." &&
	err 7 -32600 "fs/writeFile requires valid base64 dataBase64: Invalid padding" &&
	err 8 -32600 "fs/writeFile requires valid base64 dataBase64: Invalid last symbol 66, offset 1." &&
	err 9 -32600 "fs/writeFile requires valid base64 dataBase64: Invalid input length: 1" &&
	err 10 -32602 "missing field \`dataBase64\`" &&
	err 11 -32603 "Not a directory (os error 20)" &&
	err 12 -32602 "invalid type: null, expected struct WireFsReadFileParams" &&
	err 13 -32602 "invalid type: number, expected a string" &&
	! test -e bad.txt
'

test_expect_success 'symlinks are followed by default; a dangling one gets its target' '
	ln -s made-by-write dl2 &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/link-to-a"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/link-to-sub/b.txt"}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/dangling"}}
{"id":4,"method":"fs/writeFile","params":{"path":"@U@/link-to-a","dataBase64":"dGhyb3VnaCBsaW5r"}}
{"id":5,"method":"fs/writeFile","params":{"path":"@U@/dl2","dataBase64":"eA=="}}
EOF
	ok 1 "{\"dataBase64\":\"aGVsbG8gd29ybGQ=\"}" &&
	ok 2 "{\"dataBase64\":\"Yg==\"}" &&
	err 3 -32004 "No such file or directory (os error 2)" &&
	ok 4 "{}" && ok 5 "{}" &&
	test -h link-to-a && test "$(cat a.txt)" = "through link" &&
	test "$(cat made-by-write)" = x && test -h dl2
'

test_expect_success 'followSymlinks:false: final link ELOOP, link in a parent ENOTDIR' '
	printf "hello world" >a.txt &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/link-to-a","followSymlinks":false}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/link-to-sub/b.txt","followSymlinks":false}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/a.txt","followSymlinks":false}}
{"id":4,"method":"fs/readFile","params":{"path":"@U@/sub","followSymlinks":false}}
{"id":5,"method":"fs/readFile","params":{"path":"@U@/dangling","followSymlinks":false}}
{"id":6,"method":"fs/writeFile","params":{"path":"@U@/link-to-a","dataBase64":"eA==","followSymlinks":false}}
{"id":7,"method":"fs/writeFile","params":{"path":"@U@/link-to-sub/w","dataBase64":"eA==","followSymlinks":false}}
{"id":8,"method":"fs/writeFile","params":{"path":"@U@/plain.txt","dataBase64":"eA==","followSymlinks":false}}
{"id":9,"method":"fs/writeFile","params":{"path":"@U@/sub","dataBase64":"eA==","followSymlinks":false}}
{"id":10,"method":"fs/writeFile","params":{"path":"@U@/dangling","dataBase64":"eA==","followSymlinks":false}}
{"id":11,"method":"fs/readFile","params":{"path":"@U@/a.txt","followSymlinks":"no"}}
EOF
	err 1 -32603 "Symbolic link loop (os error 40)" &&
	err 2 -32603 "Not a directory (os error 20)" &&
	ok 3 "{\"dataBase64\":\"aGVsbG8gd29ybGQ=\"}" &&
	err 4 -32600 "path is not a regular file" &&
	err 5 -32603 "Symbolic link loop (os error 40)" &&
	err 6 -32603 "Symbolic link loop (os error 40)" &&
	err 7 -32603 "Not a directory (os error 20)" &&
	ok 8 "{}" &&
	err 9 -32603 "Is a directory (os error 21)" &&
	err 10 -32603 "Symbolic link loop (os error 40)" &&
	err 11 -32602 "invalid type: string \\\"no\\\", expected a boolean" &&
	test "$(cat a.txt)" = "hello world" && ! test -e sub/w && ! test -e nowhere
'

test_expect_success 'FIFOs and devices: never a hang, the reference answers' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/fifo"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/fifo","followSymlinks":false}}
{"id":3,"method":"fs/readFile","params":{"path":"file:///dev/null"}}
{"id":4,"method":"fs/readFile","params":{"path":"file:///dev/null","followSymlinks":false}}
{"id":5,"method":"fs/writeFile","params":{"path":"file:///dev/null","dataBase64":"eA=="}}
{"id":6,"method":"fs/writeFile","params":{"path":"file:///dev/null","dataBase64":"eA==","followSymlinks":false}}
{"id":7,"method":"fs/writeFile","params":{"path":"@U@/fifo","dataBase64":"eA==","followSymlinks":false}}
{"id":8,"method":"fs/writeFile","params":{"path":"@U@/fifo","dataBase64":"eA=="}}
EOF
	err 1 -32600 "path \`@T@/fifo\` is not a file" &&
	err 2 -32600 "path is not a regular file" &&
	err 3 -32600 "path \`/dev/null\` is not a file" &&
	err 4 -32600 "path is not a regular file" &&
	ok 5 "{}" &&
	err 6 -32600 "path is not a regular file" &&
	err 7 -32603 "No such device or address (os error 6)" &&
	err 8 -32603 "No such device or address (os error 6)"
'

test_expect_success NATIVE 'the 512 MiB limit, and /proc files that claim size 0' '
	truncate -s 536870913 big &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/big"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/big","followSymlinks":false}}
{"id":3,"method":"fs/readFile","params":{"path":"file:///proc/self/comm"}}
EOF
	err 1 -32600 "file is too large to read: limit is 536870912 bytes" &&
	err 2 -32600 "file is too large to read: limit is 536870912 bytes" &&
	ok 3 "{\"dataBase64\":\"ZXhlYy1zZXJ2ZXIK\"}"
'

test_expect_success 'a write after a slow read on the same connection waits for it' '
	head -c 12582912 /dev/zero | tr "\000" a >slow &&
	fsrpc -q 500 >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/slow"}}
{"id":2,"method":"fs/writeFile","params":{"path":"@U@/slow","dataBase64":"Yg=="}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/slow"}}
wait "id":1
EOF
	grep -q "^{\"id\":1,\"result\":{\"dataBase64\":\"YWFhYWFh" log &&
	ok 2 "{}" &&
	ok 3 "{\"dataBase64\":\"Yg==\"}"
'

test_done
