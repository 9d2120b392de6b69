#!/bin/sh
test_description='fs/copy, fs/walk and fs/remove of large trees go in slices'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

# 3000 files in 6 directories, links, a 24 MiB file: a dozen slices of
# LIM_FS_JOB_ENTRIES names at the very least, three of LIM_FS_JOB_BYTES.
mkdir src && (cd src && mkdir d0 d1 d2 d3 d4 d5 &&
	for d in d0 d1 d2 d3 d4 d5; do
		(cd $d && seq -f 'f%04g' 0 499 | xargs touch) || exit 1
	done &&
	echo hello >d0/f0000 && printf 'x\0y' >d5/f0499 &&
	ln -s d1 link-to-d1 && ln -s nowhere d0/dangling &&
	head -c 25165824 /dev/urandom >big) || exit 1

# serve: a WebSocket server for one test, its stderr kept; served stops
# it and wants a clean exit (status 0, no sanitizer report).
serve() {
	rm -f srv.url
	"$ES" --listen ws://127.0.0.1:0 >srv.url 2>srv.err &
	SRV=$!
	test_when_finished "kill $SRV 2>/dev/null"
	i=0
	while ! grep -q '^ws://' srv.url 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && return 1
		sleep 0.05
	done
	URL=$(head -n 1 srv.url)
}
served() {
	kill -TERM $SRV && wait $SRV && ! grep -q Sanitizer srv.err
}

copy_params() {
	printf '{"sourcePath":"file://%s/%s","destinationPath":"file://%s/%s","recursive":true}' \
	    "$TRASH" "$1" "$TRASH" "$2"
}
walk_params() {
	printf '{"path":"file://%s/%s","options":{"maxDepth":64,"maxDirectories":10000,"maxEntries":50000,"followDirectorySymlinks":false}}' \
	    "$TRASH" "$1"
}
remove_params() {
	printf '{"path":"file://%s/%s","recursive":true}' "$TRASH" "$1"
}

# during METHOD PARAMS: the call on one connection while another sends
# fs/getMetadata back to back; at least 3 of those must be answered
# before the call is (a call done in one go lets at most one through).
during() {
	"$FL" -t 120000 "$URL" during "$1" "$2" "file://$TRASH/src" >out &&
	head -n 1 out &&
	pings=$(sed -n '1s/^ok pings=\([0-9]*\) .*/\1/p' out) &&
	test "$pings" -ge 3
}

# What fs/walk lists of $1 when no limit is reached: breadth first, each
# directory's names sorted bytewise, symlinks not followed.
walk_expect() {
	q=$1
	while [ -n "$q" ]; do
		set -- $q
		d=$1
		shift
		q=$*
		for n in $(cd "$d" && LC_ALL=C ls -A); do
			if [ -L "$d/$n" ]; then
				continue
			elif [ -d "$d/$n" ]; then
				echo "\"path\":\"file://$d/$n\",\"kind\":\"directory\""
				q="$q $d/$n"
			elif [ -f "$d/$n" ]; then
				echo "\"path\":\"file://$d/$n\",\"kind\":\"file\""
			fi
		done
	done
}

test_expect_success 'fs/copy: another connection is answered meanwhile; the copy is whole' '
	serve &&
	during fs/copy "$(copy_params src dst)" &&
	test "$(sed -n 2p out)" = "{\"id\":1,\"result\":{}}" &&
	diff -r --no-dereference src dst &&
	served
'

test_expect_success 'fs/walk: another connection is answered meanwhile; every entry is there, in order' '
	serve &&
	during fs/walk "$(walk_params src)" &&
	sed -n 2p out | grep -q "\"errors\":\[\],\"truncated\":false}}$" &&
	sed -n 2p out | grep -o "\"path\":\"[^\"]*\",\"kind\":\"[a-z]*\"" >got &&
	walk_expect "$TRASH/src" >want &&
	test $(wc -l <want) -eq 3007 &&
	test_cmp want got &&
	served
'

test_expect_success 'fs/remove: another connection is answered meanwhile; the tree is gone' '
	serve &&
	during fs/remove "$(remove_params dst)" &&
	test "$(sed -n 2p out)" = "{\"id\":1,\"result\":{}}" &&
	! test -e dst && ! test -L dst &&
	served
'

test_expect_success 'a later call of the same connection sees earlier copies and removals done' '
	serve &&
	printf "%s\n" init \
	    "{\"id\":1,\"method\":\"fs/copy\",\"params\":$(copy_params src dst2)}" \
	    "{\"id\":2,\"method\":\"fs/getMetadata\",\"params\":{\"path\":\"file://$TRASH/dst2/d5/f0499\"}}" \
	    "{\"id\":3,\"method\":\"fs/remove\",\"params\":$(remove_params dst2)}" \
	    "{\"id\":4,\"method\":\"fs/getMetadata\",\"params\":{\"path\":\"file://$TRASH/dst2\"}}" \
	    "wait \"id\":4" | "$RP" -w "$URL" >log &&
	test "$(grep -o "\"id\":[0-9]*" log | tr "\n" " ")" = "\"id\":0 \"id\":1 \"id\":2 \"id\":3 \"id\":4 " &&
	grep -q "^{\"id\":1,\"result\":{}}$" log &&
	grep -q "^{\"id\":2,\"result\":{\"isDirectory\":false,\"isFile\":true,\"isSymlink\":false,\"size\":3," log &&
	grep -q "^{\"id\":3,\"result\":{}}$" log &&
	grep -q "^{\"error\":{\"code\":-32004,.*\"id\":4}$" log &&
	! test -e dst2 &&
	served
'

# eventually CMD...: CMD succeeds within a minute.
eventually() {
	i=0
	while ! "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 1200 ] && return 1
		sleep 0.05
	done
}

test_expect_success 'connections that end mid-copy and mid-walk leave the server serving; the copy goes on to its end' '
	serve &&
	printf "%s\n" init \
	    "{\"id\":1,\"method\":\"fs/copy\",\"params\":$(copy_params src dst3)}" \
	    drop connect init \
	    "{\"id\":2,\"method\":\"fs/walk\",\"params\":$(walk_params src)}" \
	    drop connect init \
	    "{\"id\":3,\"method\":\"fs/getMetadata\",\"params\":{\"path\":\"file://$TRASH/src\"}}" \
	    "wait \"id\":3" | "$RP" -w "$URL" >log &&
	grep -q "^c3 {\"id\":3,\"result\":{\"isDirectory\":true," log &&
	! grep -q "\"id\":[12][,}]" log &&
	eventually diff -r --no-dereference src dst3 &&
	served
'

test_expect_success 'stdio: a copy still running at EOF is finished and answered' '
	printf "%s\n" "{\"id\":0,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" \
	    "{\"method\":\"initialized\"}" \
	    "{\"id\":1,\"method\":\"fs/copy\",\"params\":$(copy_params src dst4)}" |
	"$ES" --listen stdio >log 2>err &&
	grep -q "^{\"id\":1,\"result\":{}}$" log &&
	diff -r --no-dereference src dst4 &&
	test_must_be_empty err
'

# A directory the kernel will not let us empty (root, and a file system
# with the immutable flag), 300 levels down: past the first slice.
deep=deep; for i in $(seq 1 300); do deep=$deep/d; done
if mkdir -p "$deep" && : >"$deep/locked" &&
    chattr +i "$deep" 2>/dev/null && ! rm -f "$deep/locked" 2>/dev/null; then
	test_set_prereq IMMUTABLE
fi
chattr -i "$deep" 2>/dev/null

test_expect_success IMMUTABLE 'a removal failing after its first slice is answered with the error, later' '
	chattr +i "$deep" &&
	test_when_finished "chattr -i \"$TRASH/$deep\"" &&
	printf "%s\n" "{\"id\":0,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" \
	    "{\"method\":\"initialized\"}" \
	    "{\"id\":1,\"method\":\"fs/remove\",\"params\":$(remove_params deep)}" |
	"$ES" -v --listen stdio >log 2>err &&
	grep -q "^exec-server: \[1\] fs/remove -> later$" err &&
	test "$(tail -n 1 log)" = "{\"error\":{\"code\":-32600,\"message\":\"Operation not permitted (os error 1)\"},\"id\":1}" &&
	test -e "$deep/locked"
'

test_expect_success 'a connection that ends mid-removal leaves the server serving; the removal goes on' '
	serve &&
	printf "%s\n" init \
	    "{\"id\":1,\"method\":\"fs/remove\",\"params\":$(remove_params src)}" \
	    drop connect init "{\"id\":2,\"method\":\"environment/status\"}" \
	    "wait \"id\":2" | "$RP" -w "$URL" >log &&
	grep -q "^c2 {\"id\":2,\"result\":{\"status\":\"ready\"}}$" log &&
	! grep -q "\"id\":1[,}]" log &&
	eventually test ! -e src &&
	served
'

test_done
