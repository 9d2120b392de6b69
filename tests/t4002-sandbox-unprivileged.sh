#!/bin/sh
test_description='the sandbox of a server that is not root, in both modes'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

# The server runs as nobody (setpriv, from root).  With namespaces (the
# default) it makes a user namespace to mount in, so a confined process
# sees what it sees under a root server; with --sandbox-mode landlock
# there is none: Landlock and seccomp hold what they can, what a mount
# would need is refused, never run less confined, but the .git of a
# writable root (the weaker part, docs/security.md) is writable.
SBPROBE="$SRC_DIR/tests/sbprobe"
test -x "$SBPROBE" || { echo "Bail out! build first: make check-build"; exit 1; }
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 ||
	test_skip_all "needs root and setpriv to run the server as nobody"
test_have_prereq NATIVE ||
	test_skip_all "the server is a stand-in ($EXEC_SERVER) that cannot make sandboxes"
abi=$("$SBPROBE" landlock-abi)
case $abi in
[1-9]*) test "$abi" -ge 6 ||
	    test_skip_all "Landlock ABI $abi here, the sandbox needs 6" ;;
*)	test_skip_all "Landlock is missing here" ;;
esac
# nobody must reach the probe and the trash: both under the tree.
for d in "$SRC_DIR" "$SRC_DIR/tests" "$TRASH"; do
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$d" ||
	    test_skip_all "nobody cannot reach $d"
done
chmod 777 "$TRASH"

urpcs() {
	sed -e "s|@CWD@|file://$TRASH|g" -e "s|@T@|$TRASH|g" \
	    -e "s|@P@|$SBPROBE|g" |
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$RP" -i -q 20 -t 4000 "$ES" --listen stdio --sandbox-mode $mode
}

# A user namespace, for nobody?
test "$(setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$SBPROBE" unshare-user)" = ok && test_set_prereq USERNS

SBX='"sandbox":{"permissions":{"type":"managed","network":"restricted","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"}@MORE@]}},"windowsSandboxLevel":"disabled","cwd":"@CWD@"}'
W=',{"path":{"type":"path","path":"@CWD@/open"},"access":"write"}'
D=',{"path":{"type":"path","path":"@CWD@/secret"},"access":"deny"}'

# start ENTRIES ARGV...: the process/start of ARGV (the first an
# absolute program, else the probe first) under root read + ENTRIES.
start() {
	more=$1
	shift
	case $1 in
	/*) argv="\"$1\""; shift ;;
	*) argv='"@P@"' ;;
	esac
	for a in "$@"; do
		argv="$argv,\"$a\""
	done
	printf '{"id":1,"method":"process/start","params":{"processId":"p","argv":[%s],"cwd":"@CWD@","env":{},"tty":false,%s}}\n' \
	    "$argv" "$(printf '%s' "$SBX" | sed "s|@MORE@|$more|")"
}

# probe ARGS...: run it under the read-only profile, its word.
probe() {
	{ start "" "$@"; echo "wait process/closed"; } | urpcs >log &&
	out log p | tr -d '\r'
}
# wprobe ARGS...: the same with $TRASH/open writable.
wprobe() {
	{ start "$W" "$@"; echo "wait process/closed"; } | urpcs >log &&
	out log p | tr -d '\r'
}

is() {
	want=$1
	shift
	got=$(probe "$@")
	echo "sbprobe $*: $got (want $want)"
	test "$got" = "$want"
}
wis() {
	want=$1
	shift
	got=$(wprobe "$@")
	echo "sbprobe $* (open writable): $got (want $want)"
	test "$got" = "$want"
}

test_expect_success 'setup: files nobody could write without the sandbox, a host process' '
	mkdir -p open/.git secret && chmod 777 open open/.git &&
	echo orig >open/f && chmod 666 open/f &&
	echo cfg >open/.git/config && chmod 666 open/.git/config &&
	echo key >secret/key && chmod 644 secret/key &&
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 300 &
	echo $! >host.pid
'

# suite MODE ROFS: the attempts under one mode; ROFS: what a write
# outside the writable roots meets (EROFS: the read-only tree of the
# mount namespace; EACCES: Landlock alone).
suite() {
	mode=$1
	rofs=$2
	prereq=
	test $mode = namespaces && prereq=USERNS

	test_expect_success $prereq "$mode: writes outside the writable roots: $rofs" '
		is $rofs write "$TRASH/open/f" && test "$(cat open/f)" = orig &&
		is $rofs mkdir "$TRASH/open/d" && ! test -e open/d
	'

	test_expect_success $prereq "$mode: no new privileges, a seccomp filter, no capability" '
		is 1 nnp &&
		probe caps | grep -q "^ok CapEff=0000000000000000 CapPrm=0000000000000000"
	'

	test_expect_success $prereq "$mode: the process keeps its own ids (65534)" '
		test "$(probe /usr/bin/id -u)" = 65534 &&
		test "$(probe /usr/bin/id -g)" = 65534
	'

	test_expect_success $prereq "$mode: network restricted: TCP, netlink, AF_UNIX datagrams: EPERM" '
		is EPERM tcp-connect 9 && is EPERM netlink &&
		is EPERM unix-dgram "$TRASH/sock"
	'

	test_expect_success $prereq "$mode: kernel surfaces: io_uring, unshare, keyctl, bpf: EPERM" '
		is EPERM io-uring && is EPERM unshare-user &&
		is EPERM keyctl && is EPERM bpf
	'

	test_expect_success $prereq "$mode: a writable root: a write inside works, outside $rofs" '
		wis ok write "$TRASH/open/new" && test -f open/new &&
		wis $rofs write "$TRASH/f2" && ! test -e f2
	'

	test_expect_success $prereq "$mode: a daemon does not outlive its process" '
		{ start "" /bin/sh -c "(setsid sleep 271829 </dev/null >/dev/null 2>&1 &); echo started" &&
		  echo "wait process/closed"; } | urpcs >log &&
		test "$(out log p | tr -d "\r")" = started &&
		sleep 0.3 &&
		! grep -l 271829 /proc/[0-9]*/cmdline 2>/dev/null
	'

	test_expect_success $prereq "$mode: an fs call under the read-only profile: in a child, refused" '
		printf "%s\n" "{\"id\":1,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@CWD@/open/f\",\"dataBase64\":\"eA==\",$(printf "%s" "$SBX" | sed "s|@MORE@||")}}" |
		    urpcs >log &&
		if test $rofs = EROFS
		then
			grep -q "{\"error\":{\"code\":-32603,\"message\":\"Read-only file system (os error 30)\"},\"id\":1}" log
		else
			grep -q "{\"error\":{\"code\":-32600,\"message\":\"Permission denied (os error 13)\"},\"id\":1}" log
		fi &&
		test "$(cat open/f)" = orig
	'
}

suite namespaces EROFS

test_expect_success USERNS 'namespaces: .git of a writable root: EROFS; a missing .codex: a placeholder' '
	wis EROFS write "$TRASH/open/.git/config" &&
	test "$(cat open/.git/config)" = cfg &&
	wis EROFS mkdir "$TRASH/open/.codex/x" && ! test -e open/.codex
'

test_expect_success USERNS 'namespaces: a denied directory: EACCES' '
	{ start "$D" read "$TRASH/secret/key"; echo "wait process/closed"; } |
	    urpcs >log &&
	test "$(out log p | tr -d "\r")" = EACCES
'

test_expect_success USERNS 'namespaces: a host process is not there (own PID namespace): ESRCH' '
	is ESRCH kill $(cat host.pid) && kill -0 $(cat host.pid)
'

test_expect_success !USERNS 'namespaces, no user namespace here: a policy that needs a mount is refused' '
	{ start "$W" write "$TRASH/open/w"; echo "{\"id\":2,\"method\":\"environment/status\"}"; } |
	    urpcs >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: read-only and masked paths need a mount namespace" log &&
	grep -q "{\"id\":2,\"result\":{\"status\":\"ready\"}}" log &&
	! test -e open/w
'

suite landlock EACCES

test_expect_success 'landlock: the weaker part: .git of a writable root is writable' '
	wis ok append "$TRASH/open/.git/config" &&
	test "$(tail -c 1 open/.git/config)" = x
'

test_expect_success 'landlock: a denied path (it needs a mount) is refused, the server serves on' '
	{ start "$D" read "$TRASH/secret/key"; echo "{\"id\":2,\"method\":\"environment/status\"}"; } |
	    urpcs >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: read-only and masked paths need a mount namespace, and this server makes none (--sandbox-mode landlock)" log &&
	grep -q "{\"id\":2,\"result\":{\"status\":\"ready\"}}" log
'

test_expect_success 'landlock: a host process of the same user: signals EPERM (Landlock scope)' '
	is EPERM kill $(cat host.pid) && kill -0 $(cat host.pid)
'

test_expect_success 'cleanup: the host process' '
	kill $(cat host.pid)
'

test_done
