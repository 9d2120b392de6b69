#!/bin/sh
test_description='the static binary alone in an empty root (only /tmp): initialize, fs calls, process/start of a program there'
. "$(dirname "$0")/tap.sh"

# A static build of this tree, made in a copy (make static cleans first).
[ "$(id -u)" = 0 ] && command -v chroot >/dev/null 2>&1 ||
	test_skip_all "needs root and chroot"
command -v musl-gcc >/dev/null 2>&1 ||
	test_skip_all "needs musl-gcc (Debian: musl-tools) for make static"
test_have_prereq NATIVE ||
	test_skip_all "the server is a stand-in ($EXEC_SERVER): this test builds its own"
RP="$SRC_DIR/tests/rpcpipe"

test_expect_success 'make static, in a copy of the tree' '
	mkdir build &&
	cp -R "$SRC_DIR/src" "$SRC_DIR/Makefile" build/ &&
	make -C build static >build.log 2>&1 &&
	mkdir -p root/tmp &&
	cp build/exec-server root/exec-server &&
	! ldd root/exec-server 2>/dev/null | grep -q "=>" &&
	ls root
'

# The size the issue set (256 KiB, stripped): the build is made for size
# (make static: -Os, LTO, unused sections dropped), so growth shows here.
test_expect_success 'the static binary is stripped and at most 256 KiB' '
	size=$(wc -c <root/exec-server) &&
	echo "static binary: $size bytes" &&
	test "$size" -le 262144 &&
	! readelf -S root/exec-server | grep -q "\.symtab"
'

test_expect_success 'initialize, fs calls, process/start of the binary itself; what needs /dev says so' '
	cat >script <<-\EOT &&
	{"id":1,"method":"fs/writeFile","params":{"path":"file:///tmp/a","dataBase64":"aGk="}}
	{"id":2,"method":"fs/readFile","params":{"path":"file:///tmp/a"}}
	{"id":3,"method":"fs/readDirectory","params":{"path":"file:///"}}
	{"id":4,"method":"process/start","params":{"processId":"v","argv":["/exec-server","--version"],"cwd":"file:///","env":{},"tty":false}}
	{"id":5,"method":"process/start","params":{"processId":"w","argv":["/exec-server","--version"],"cwd":"file:///tmp","env":{},"tty":false,"pipeStdin":true}}
	{"id":6,"method":"process/start","params":{"processId":"t","argv":["/exec-server","--version"],"cwd":"file:///","env":{},"tty":true}}
	{"id":7,"method":"process/start","params":{"processId":"s","argv":["sh","-c","true"],"cwd":"file:///","env":{},"tty":false}}
	{"id":8,"method":"environment/status","params":{}}
	EOT
	"$RP" -i -q 1000 chroot root /exec-server --listen stdio <script >log &&
	cat log | cut -c1-200 &&
	grep -q "^{\"id\":0,\"result\":{\"sessionId\"" log &&
	grep -q "^{\"id\":1,\"result\":{}}$" log &&
	grep -q "^{\"id\":2,\"result\":{\"dataBase64\":\"aGk=\"}}$" log &&
	grep -q "^{\"id\":3,\"result\":{\"entries\":\[{\"fileName\":\"exec-server\"" log &&
	grep -q "^{\"id\":4,\"result\":{\"processId\":\"v\"" log &&
	grep -q "^{\"id\":5,\"result\":{\"processId\":\"w\"" log &&
	test $(grep -c "\"processId\":\"[vw]\",\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"ZXhlYy1zZXJ2ZXIg" log) = 2 &&
	test $(grep -c "\"method\":\"process/exited\",\"params\":{\"processId\":\"[vw]\",\"seq\":2,\"exitCode\":0," log) = 2 &&
	grep -q "^{\"error\":{\"code\":-32603,\"message\":\"cannot open a pseudo-terminal (/dev/ptmx, /dev/pts): No such file or directory (os error 2)\"},\"id\":6}$" log &&
	grep -q "^{\"error\":{\"code\":-32603,\"message\":\"No such file or directory (os error 2)\"},\"id\":7}$" log &&
	grep -q "^{\"id\":8,\"result\":{\"status\":\"ready\"}}$" log
'

# A sandbox needs a root it can make a mount namespace from; a bare chroot
# is not a mount point, and the error names that step.
sb='"sandbox":{"permissions":{"type":"managed","network":"restricted","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"},{"path":{"type":"path","path":"file:///tmp"},"access":"write"}]}},"windowsSandboxLevel":"disabled","cwd":"file:///tmp"}'
test_expect_success 'a sandboxed call in a bare chroot names the step that cannot be made' '
	cat >script <<-EOT &&
	{"id":1,"method":"process/start","params":{"processId":"x","argv":["/exec-server","--version"],"cwd":"file:///tmp","env":{},"tty":false,$sb}}
	{"id":2,"method":"fs/writeFile","params":{"path":"file:///tmp/b","dataBase64":"aGk=",$sb}}
	EOT
	"$RP" -i -q 1000 chroot root /exec-server --listen stdio <script >log &&
	cat log | cut -c1-200 &&
	grep -q "^{\"error\":{\"code\":-32603,\"message\":\"cannot confine the process (private mount namespace: / must be a mount point): Invalid argument (os error 22)\"},\"id\":1}$" log &&
	grep -q "^{\"error\":{\"code\":-32603,\"message\":\"cannot confine the fs sandbox child (private mount namespace: / must be a mount point): Invalid argument\"},\"id\":2}$" log &&
	! test -e root/tmp/b
'

test_expect_success LANDLOCK 'with --sandbox-mode landlock the same calls run confined there' '
	"$RP" -i -q 1000 chroot root /exec-server --listen stdio \
	    --sandbox-mode landlock <script >log 2>err &&
	grep -q "^{\"id\":1,\"result\":{\"processId\":\"x\",\"sandboxType\":\"linuxSeccomp\"}}$" log &&
	grep -q "\"processId\":\"x\",\"seq\":2,\"exitCode\":0," log &&
	grep -q "^{\"id\":2,\"result\":{}}$" log &&
	test "$(cat root/tmp/b)" = hi
'

test_done
