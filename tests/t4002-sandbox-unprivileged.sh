#!/bin/sh
test_description='the sandbox of a server that is not root: Landlock and seccomp only'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

# The server runs as nobody (setpriv, from root), so no mount or PID
# namespace: what is left must still hold, and what cannot be had is
# refused, never run less confined.
SBPROBE="$SRC_DIR/tests/sbprobe"
test -x "$SBPROBE" || { echo "Bail out! build first: make check-build"; exit 1; }
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 ||
	test_skip_all "needs root and setpriv to run the server as nobody"
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
	    "$RP" -i -q 20 -t 4000 "$ES" --listen stdio
}

RO='"sandbox":{"permissions":{"type":"managed","network":"restricted","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"}]}},"windowsSandboxLevel":"disabled","cwd":"@CWD@"}'

# probe ARGS...: run sbprobe under the read-only profile, its word.
probe() {
	args=$(printf ',"%s"' "$@")
	{ printf '{"id":1,"method":"process/start","params":{"processId":"p","argv":["@P@"%s],"cwd":"@CWD@","env":{},"tty":false,%s}}\n' "$args" "$RO"
	  echo "wait process/closed"; } | urpcs >log &&
	out log p | tr -d '\r'
}

is() {
	want=$1
	shift
	got=$(probe "$@")
	echo "sbprobe $*: $got (want $want)"
	test "$got" = "$want"
}

test_expect_success 'setup: a file nobody could write without the sandbox' '
	mkdir -p open && chmod 777 open && echo orig >open/f && chmod 666 open/f
'

test_expect_success 'writes outside the writable roots: EACCES (Landlock)' '
	is EACCES write "$TRASH/open/f" && test "$(cat open/f)" = orig &&
	is EACCES mkdir "$TRASH/open/d" && ! test -e open/d
'

test_expect_success 'no new privileges, a seccomp filter, no capability' '
	is 1 nnp &&
	probe caps | grep -q "^ok CapEff=0000000000000000 CapPrm=0000000000000000"
'

test_expect_success 'network restricted: TCP, netlink, AF_UNIX datagrams: EPERM' '
	is EPERM tcp-connect 9 && is EPERM netlink &&
	is EPERM unix-dgram "$TRASH/sock"
'

test_expect_success 'kernel surfaces: io_uring, unshare, keyctl, bpf: EPERM' '
	is EPERM io-uring && is EPERM unshare-user &&
	is EPERM keyctl && is EPERM bpf
'

test_expect_success 'a policy that needs a mount (a writable root: its .codex) is refused' '
	printf "%s\n" "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"w\",\"argv\":[\"@P@\",\"write\",\"@T@/open/w\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false,\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"network\":\"restricted\",\"file_system\":{\"type\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":\"path\",\"path\":\"@CWD@/open\"},\"access\":\"write\"}]}},\"windowsSandboxLevel\":\"disabled\",\"cwd\":\"@CWD@/open\"}}}" \
	    "{\"id\":2,\"method\":\"environment/status\"}" | urpcs >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: read-only and masked paths need a mount namespace" log &&
	grep -q "{\"id\":2,\"result\":{\"status\":\"ready\"}}" log &&
	! test -e open/w
'

test_expect_success 'an fs call under the read-only profile: in a child, EACCES' '
	printf "%s\n" "{\"id\":1,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@CWD@/open/f\",\"dataBase64\":\"eA==\",$RO}}" |
	    urpcs >log &&
	grep -q "{\"error\":{\"code\":-32600,\"message\":\"Permission denied (os error 13)\"},\"id\":1}" log &&
	test "$(cat open/f)" = orig
'

test_done
