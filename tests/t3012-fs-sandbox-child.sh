#!/bin/sh
test_description='fs calls under a restricted sandbox: a confined child, judged from the host (errors as the reference words them)'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

if [ "$(id -u)" != 0 ]; then
	test_skip_all "the read-only and masked paths of a sandbox need root (a mount namespace)"
fi
test_have_prereq LANDLOCK ||
	test_skip_all "Landlock ABI 6 is missing here (a sandbox is refused)"

mkdir -p ws/.git ws/sub out secret &&
printf "cfg" >ws/.git/config &&
printf "hello" >ws/a.txt &&
printf "top secret" >secret/key &&
printf "old" >out/f &&
ln -s ../secret/key ws/link-to-secret &&
ln -s ../out/f ws/link-to-out &&
head -c 10485760 /dev/urandom >ws/big || exit 1

# The workspace-write profile of the reference, cwd ws, plus a denied dir.
S='"sandbox":{"permissions":{"type":"managed","network":"restricted","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"},{"path":{"type":"path","path":"@U@/ws"},"access":"write"},{"path":{"type":"path","path":"@U@/secret"},"access":"deny"}]}},"windowsSandboxLevel":"disabled","cwd":"@U@/ws"}'

call() {
	printf '{"id":%s,"method":"%s","params":{%s,%s}}\n' "$1" "$2" "$3" "$S"
}

err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}

test_expect_success 'writes: inside the root yes; outside, into .git, through a link no' '
	{ call 1 fs/writeFile "\"path\":\"@U@/ws/new.txt\",\"dataBase64\":\"eA==\""
	  call 2 fs/writeFile "\"path\":\"@U@/out/f\",\"dataBase64\":\"eA==\""
	  call 3 fs/writeFile "\"path\":\"@U@/ws/.git/config\",\"dataBase64\":\"eA==\""
	  call 4 fs/writeFile "\"path\":\"@U@/ws/link-to-out\",\"dataBase64\":\"eA==\""
	  call 5 fs/createDirectory "\"path\":\"@U@/ws/.codex\",\"recursive\":false"
	  call 6 fs/createDirectory "\"path\":\"@U@/ws/.git/hooks\",\"recursive\":true"
	  call 7 fs/createDirectory "\"path\":\"@U@/ws/d1/d2\",\"recursive\":true"
	} | fsrpc >log &&
	expect_answer log 1 "{\"id\":1,\"result\":{}}" &&
	err 2 -32603 "Read-only file system (os error 30)" &&
	err 3 -32603 "Read-only file system (os error 30)" &&
	err 4 -32603 "Read-only file system (os error 30)" &&
	err 5 -32603 "File exists (os error 17)" &&
	err 6 -32603 "Read-only file system (os error 30)" &&
	expect_answer log 7 "{\"id\":7,\"result\":{}}" &&
	test "$(cat ws/new.txt)" = x && test -d ws/d1/d2 &&
	test "$(cat out/f)" = old && test "$(cat ws/.git/config)" = cfg &&
	! test -e ws/.git/hooks
'

test_expect_success 'reads: the root yes; a denied path, directly or by a link, no' '
	{ call 1 fs/readFile "\"path\":\"@U@/ws/a.txt\""
	  call 2 fs/readFile "\"path\":\"@U@/secret/key\""
	  call 3 fs/readFile "\"path\":\"@U@/ws/link-to-secret\""
	  call 4 fs/readDirectory "\"path\":\"@U@/secret\""
	  call 5 fs/readFile "\"path\":\"file:///etc/hostname\""
	} | fsrpc >log &&
	expect_answer log 1 "{\"id\":1,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}" &&
	err 2 -32600 "Permission denied (os error 13)" &&
	err 3 -32600 "Permission denied (os error 13)" &&
	err 4 -32600 "Permission denied (os error 13)" &&
	answer log 5 | grep -q "\"result\":{\"dataBase64\":"
'

test_expect_success 'copy and remove inside the root; not out of it, not of .git' '
	{ call 1 fs/copy "\"sourcePath\":\"@U@/ws/a.txt\",\"destinationPath\":\"@U@/ws/b.txt\",\"recursive\":false"
	  call 2 fs/copy "\"sourcePath\":\"@U@/ws/a.txt\",\"destinationPath\":\"@U@/out/b.txt\",\"recursive\":false"
	  call 3 fs/remove "\"path\":\"@U@/ws/.git\",\"recursive\":true,\"force\":false"
	  call 4 fs/remove "\"path\":\"@U@/ws/b.txt\",\"recursive\":false,\"force\":false"
	  call 5 fs/remove "\"path\":\"@U@/out/f\",\"recursive\":false,\"force\":false"
	} | fsrpc >log &&
	expect_answer log 1 "{\"id\":1,\"result\":{}}" &&
	err 2 -32603 "Read-only file system (os error 30)" &&
	answer log 3 | grep -q "\"error\":{\"code\":-32603,\"message\":\"Read-only file system (os error 30)\"}" &&
	expect_answer log 4 "{\"id\":4,\"result\":{}}" &&
	err 5 -32603 "Read-only file system (os error 30)" &&
	! test -e ws/b.txt && ! test -e out/b.txt && test -f ws/.git/config &&
	test -f out/f
'

test_expect_success BASE64 'a 10 MiB read comes back whole through the child' '
	call 1 fs/readFile "\"path\":\"@U@/ws/big\"" | fsrpc -t 20000 >log &&
	answer log 1 | sed -n "s/.*\"dataBase64\":\"\\([^\"]*\\)\".*/\\1/p" |
	    base64 -d >got &&
	cmp got ws/big
'

test_expect_success 'at end of input, the calls still in children are answered' '
	{ printf "%s\n" "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" \
	    "{\"method\":\"initialized\"}"
	  call 2 fs/writeFile "\"path\":\"@U@/ws/eof.txt\",\"dataBase64\":\"eA==\""
	  call 3 fs/readFile "\"path\":\"@U@/ws/big\""
	} | sed -e "s|@U@|file://$TRASH|g" | "$ES" --listen stdio >log &&
	expect_answer log 2 "{\"id\":2,\"result\":{}}" &&
	answer log 3 | grep -q "\"result\":{\"dataBase64\":" &&
	test "$(cat ws/eof.txt)" = x
'

test_expect_success 'a deny glob under ~ is the server'"'"'s $HOME for an fs call' '
	echo key >ws/k.env &&
	G="\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"network\":\"restricted\",\"file_system\":{\"type\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":\"path\",\"path\":\"@U@/ws\"},\"access\":\"write\"},{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"~/*.env\"},\"access\":\"deny\"}]}},\"windowsSandboxLevel\":\"disabled\",\"cwd\":\"@U@/ws\"}" &&
	printf "%s\n" "{\"id\":1,\"method\":\"fs/readFile\",\"params\":{\"path\":\"@U@/ws/k.env\",$G}}" \
	    "{\"id\":2,\"method\":\"fs/readFile\",\"params\":{\"path\":\"@U@/ws/a.txt\",$G}}" |
	    HOME="$TRASH/ws" fsrpc >log &&
	err 1 -32600 "Permission denied (os error 13)" &&
	expect_answer log 2 "{\"id\":2,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}"
'

test_expect_success 'the placeholders (.codex, .agents, .aws) are gone afterwards' '
	! test -e ws/.codex && ! test -e ws/.agents && ! test -e ws/.aws
'

# The server answers from what the child wrote (its length first); a
# child that ends without a whole answer is answered with how it ended.
test_expect_success 'a child killed before its answer: -32603 and how it ended; the server serves on' '
	mkdir -p ws/many && (cd ws/many && seq -f "f%05g" 1 20000 | xargs touch) &&
	rm -f in && mkfifo in &&
	{ "$ES" --listen stdio <in >log 2>/dev/null & } &&
	spid=$! &&
	exec 9>in &&
	printf "%s\n" "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" \
	    "{\"method\":\"initialized\"}" \
	    "{\"id\":2,\"method\":\"fs/copy\",\"params\":{\"sourcePath\":\"@U@/ws/many\",\"destinationPath\":\"@U@/ws/many2\",\"recursive\":true,$S}}" |
	    sed -e "s|@U@|file://$TRASH|g" >&9 &&
	i=0 && kid= &&
	while test -z "$kid" && test $i -lt 500
	do
		kid=$(grep -l "^PPid:[[:space:]]*$spid\$" /proc/[0-9]*/status 2>/dev/null |
		    head -n 1 | cut -d/ -f3)
		i=$((i + 1))
		sleep 0.01
	done &&
	test -n "$kid" && kill -9 $kid &&
	i=0 &&
	while ! answer log 2 >/dev/null && test $i -lt 500
	do
		i=$((i + 1))
		sleep 0.01
	done &&
	echo "{\"id\":3,\"method\":\"environment/status\"}" >&9 &&
	exec 9>&- &&
	wait $spid &&
	err 2 -32603 "fs sandbox child failed: killed by signal 9" &&
	expect_answer log 3 "{\"id\":3,\"result\":{\"status\":\"ready\"}}" &&
	rm -rf ws/many ws/many2
'

test_expect_success 'a sandbox that confines no file still runs in the server' '
	printf "%s\n" "{\"id\":1,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@U@/out/g\",\"dataBase64\":\"eA==\",\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"network\":\"restricted\",\"file_system\":{\"type\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"write\"}]}},\"windowsSandboxLevel\":\"disabled\"}}}" |
	    fsrpc >log &&
	expect_answer log 1 "{\"id\":1,\"result\":{}}" &&
	test "$(cat out/g)" = x
'

test_done
