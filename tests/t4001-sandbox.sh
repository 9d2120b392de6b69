#!/bin/sh
test_description='process/start with a sandbox: what a confined process cannot do'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

# Every attempt is one run of tests/sbprobe inside the sandbox, which
# prints "ok" or the errno's name; each is judged from the host too.
# The suite runs in both modes of the server: namespaces (this file) and
# Landlock and seccomp only (t4003 sets T4001_MODE=landlock and runs it).
# NS marks what only a mount namespace gives, LL what replaces it.
mode=${T4001_MODE:-namespaces}
ES_ARGS="--sandbox-mode $mode"
case $mode in
namespaces)
	test_set_prereq NS
	RO=EROFS	# a write outside: the read-only tree
	META=EROFS	# a metadata change outside: the same
	EDGE=EXDEV ;;	# a rename across the edge of ws: another mount
*)
	test_set_prereq LL
	RO=EACCES	# Landlock
	META=EPERM	# seccomp (Landlock has no right for metadata)
	EDGE=EACCES ;;	# Landlock (no right on the outside side)
esac

SBPROBE="$SRC_DIR/tests/sbprobe"
if ! test -x "$SBPROBE"; then
	echo "Bail out! build first: make check-build"
	exit 1
fi
test_have_prereq ROOT ||
	test_skip_all 'the escape suite runs as root (t4002 runs a server as nobody)'
# The server refuses a sandbox without Landlock's scopes (ABI 6).
test_have_prereq NATIVE ||
	test_skip_all "the server is a stand-in ($EXEC_SERVER) that cannot make sandboxes"
abi=$("$SBPROBE" landlock-abi)
case $abi in
[1-9]*) ;;
*) test_skip_all "Landlock is missing here (landlock_create_ruleset: $abi)" ;;
esac
test "$abi" -ge 6 ||
	test_skip_all "Landlock ABI $abi here, the sandbox needs 6 (scopes)"

# The policy: root readable, ws writable, two denied directories (one
# outside ws, one inside); $extra adds entries.
net=restricted
tty=false
profile=managed
extra=
deny() {
	printf ',{"path":{"type":"path","path":"file://%s"},"access":"deny"}' "$1"
}
ENTRIES="{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":\"path\",\"path\":\"file://@TRASH@/ws\"},\"access\":\"write\"}"
# A denied path needs a mount: without namespaces it is refused (below).
test_have_prereq NS &&
	ENTRIES="$ENTRIES$(deny @TRASH@/secretdir)$(deny @TRASH@/ws/private)"

# sbreq ARG...: the process/start request running ARG... (the first one
# an absolute program, else sbprobe is put first) under the sandbox.
sbreq() {
	case $1 in
	/*) argv="\"$1\""; shift ;;
	*) argv="\"$SBPROBE\"" ;;
	esac
	for a in "$@"; do
		argv="$argv,\"$a\""
	done
	case $profile in
	managed)
		sbx=",\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\",\"entries\":[$ENTRIES$extra]},\"network\":\"$net\"},\"windowsSandboxLevel\":\"disabled\",\"cwd\":\"file://@TRASH@/ws\"}" ;;
	disabled)
		sbx=",\"sandbox\":{\"permissions\":{\"type\":\"disabled\"},\"windowsSandboxLevel\":\"disabled\",\"cwd\":\"file://@TRASH@/ws\"}" ;;
	none)
		sbx= ;;
	esac
	printf '{"id":1,"method":"process/start","params":{"processId":"p","argv":[%s],"cwd":"file://@TRASH@/ws","env":{"PATH":"/usr/bin:/bin"},"tty":%s%s}}\n' \
	    "$argv" "$tty" "$sbx"
}

# sb ARG...: run it; print what it printed (the probe: one line).
sb() {
	{ sbreq "$@" && echo "wait process/closed"; } >sb.in &&
	rpcs -q 20 -t 4000 <sb.in >sb.log || { cat sb.log >&2; return 1; }
	word=$(out sb.log p | tr -d '\r')
	test -n "$word" || cat sb.log >&2
	printf '%s\n' "$word"
}

# sbis WANT ARG...: the probe prints exactly WANT.
sbis() {
	want=$1
	shift
	got=$(sb "$@")
	echo "sbprobe $*: $got (want $want)"
	test "$got" = "$want"
}

# A listener on the host, in the background: listen KIND [ADDR]; what it
# heard ("nothing", "connected", "got N") with heard once the attempt is
# done.  For tcp and udp, $port is its port.
listen() {
	rm -f ready heard
	"$SBPROBE" listen "$1" "${2:--}" ready 10000 >heard &
	lpid=$!
	i=0
	while ! test -s ready && test $i -lt 200; do
		sleep 0.01
		i=$((i + 1))
	done
	port=$(cat ready)
	test -n "$port"
}
heard() {
	kill $lpid 2>/dev/null
	wait $lpid
	echo "host listener: $(cat heard)" >&2
	cat heard
}

# A host process none of the sandboxed ones may touch.
host_alive() {
	alive $SLEEP && ! grep -q "^State:.[tT]" /proc/$SLEEP/status &&
	    grep -q "^TracerPid:.0$" /proc/$SLEEP/status
}

test_expect_success 'setup: a workspace with a .git, files around it, a host process' '
	mkdir -p ws/.git ws/private out secretdir ws2/gitdata &&
	echo cfg >ws/.git/config &&
	echo a >ws/a && echo b >ws/b && echo priv >ws/private/p &&
	echo orig >out/f &&
	echo secret >secret && echo secret >secretdir/f &&
	echo "gitdir: gitdata" >ws2/.git && echo ref >ws2/gitdata/HEAD &&
	mkdir ws2/.agents && echo skill >ws2/.agents/s &&
	mkdir -p ws3/realgit codexhome && echo cfg >ws3/realgit/config &&
	ln -s realgit ws3/.git && echo "model = 1" >codexhome/config.toml &&
	ln -s ../codexhome ws3/.codex &&
	cp "$SBPROBE" suid && chmod 4755 suid &&
	sleep 600 >/dev/null 2>&1 &
	echo $! >sleep.pid &&
	test -s sleep.pid && alive $(cat sleep.pid)
'
SLEEP=$(cat "$TRASH/sleep.pid" 2>/dev/null || echo 0)

# --- files ----------------------------------------------------------------

test_expect_success 'positive: a write inside the writable root' '
	sbis ok write "$TRASH/ws/new" && test "$(cat ws/new)" = x
'

test_expect_success 'positive: mkdir and mkfifo inside the writable root' '
	sbis ok mkdir "$TRASH/ws/d" && test -d ws/d &&
	sbis ok mkfifo "$TRASH/ws/fifo" && test -p ws/fifo
'

test_expect_success 'positive: /dev/null opens for writing; / is readable' '
	sbis ok devnull &&
	sbis ok read /etc/hostname
'

test_expect_success "write outside the writable root: $RO" '
	sbis $RO write "$TRASH/out/f" && test "$(cat out/f)" = orig &&
	sbis $RO write "$TRASH/out/new" && ! test -e out/new &&
	sbis $RO mkdir "$TRASH/out/d" && ! test -e out/d
'

test_expect_success "write through a symlink made in ws to outside: $RO" '
	sbis ok symlink "$TRASH/out" "$TRASH/ws/outlink" &&
	sbis $RO write "$TRASH/ws/outlink/f" && test "$(cat out/f)" = orig
'

test_expect_success "truncate outside the writable root: $RO" '
	sbis $RO truncate "$TRASH/out/f" && test "$(cat out/f)" = orig
'

# The weaker part of the landlock mode (docs/security.md): Landlock's
# rights add up down the tree, so a writable root's .git is writable.
test_expect_success LL 'landlock: ws/.git is writable, no placeholder is made' '
	sbis ok append "$TRASH/ws/.git/config" &&
	test "$(tail -c 1 ws/.git/config)" = x &&
	printf "cfg\n" >ws/.git/config &&
	! test -e ws/.codex && ! test -e ws/.agents
'

test_expect_success LL 'landlock: a denied path is refused (it needs a mount), the server serves on' '
	extra=$(deny @TRASH@/secretdir) &&
	{ sbreq read "$TRASH/secretdir/f" &&
	  echo "{\"id\":2,\"method\":\"environment/status\"}"; } |
	    rpcs -q 20 >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: read-only and masked paths need a mount namespace, and this server makes none (--sandbox-mode landlock)\"" log &&
	grep -q "{\"id\":2,\"result\":{\"status\":\"ready\"}}" log
'

test_expect_success NS 'write into ws/.git: EROFS' '
	sbis EROFS write "$TRASH/ws/.git/config" &&
	sbis EROFS append "$TRASH/ws/.git/config" &&
	sbis EROFS write "$TRASH/ws/.git/hooks" &&
	test "$(cat ws/.git/config)" = cfg && ! test -e ws/.git/hooks
'

test_expect_success NS 'ws/.git cannot be moved or removed: EBUSY' '
	sbis EBUSY rename "$TRASH/ws/.git" "$TRASH/ws/git" &&
	test -d ws/.git && ! test -e ws/git
'

test_expect_success NS 'write into ws/.git through a symlink made in ws: EROFS' '
	sbis ok symlink .git "$TRASH/ws/gl" &&
	sbis EROFS write "$TRASH/ws/gl/config" &&
	sbis EROFS append "$TRASH/ws/gl/config" &&
	test "$(cat ws/.git/config)" = cfg
'

test_expect_success NS 'hardlink or rename out of ws/.git into ws: EXDEV' '
	sbis EXDEV link "$TRASH/ws/.git/config" "$TRASH/ws/cfg" &&
	sbis EXDEV rename "$TRASH/ws/.git/config" "$TRASH/ws/cfg" &&
	! test -e ws/cfg && test "$(cat ws/.git/config)" = cfg
'

test_expect_success NS 'a missing .codex is a read-only placeholder: mkdir EEXIST, a file in it EROFS' '
	sbis EEXIST mkdir "$TRASH/ws/.codex" &&
	sbis EROFS write "$TRASH/ws/.codex/config.toml" &&
	sbis EROFS mkdir "$TRASH/ws/.agents/skills" &&
	sbis EROFS write "$TRASH/ws/.aws/credentials" &&
	! test -e ws/.codex/config.toml && ! test -e ws/.agents/skills
'

test_expect_success NS 'a placeholder cannot be replaced: rename over it EBUSY' '
	sbis ok mkdir "$TRASH/ws/mine" &&
	sbis EBUSY rename "$TRASH/ws/mine" "$TRASH/ws/.codex" &&
	test -d ws/mine
'

test_expect_success NS 'gitdir: target and existing .agents of another root: EROFS' '
	extra=",{\"path\":{\"type\":\"path\",\"path\":\"file://@TRASH@/ws2\"},\"access\":\"write\"}" &&
	sbis EROFS write "$TRASH/ws2/gitdata/HEAD" &&
	sbis EROFS write "$TRASH/ws2/.git" &&
	sbis EROFS write "$TRASH/ws2/.agents/s" &&
	sbis ok write "$TRASH/ws2/free" &&
	test "$(cat ws2/gitdata/HEAD)" = ref &&
	test "$(cat ws2/.git)" = "gitdir: gitdata" &&
	test "$(cat ws2/.agents/s)" = skill
'

# A protected name that is a symlink: the read-only bind lands on its
# target, and the link itself stays free to be moved and replaced.
WS3=",{\"path\":{\"type\":\"path\",\"path\":\"file://@TRASH@/ws3\"},\"access\":\"write\"}"
test_expect_success NS 'a protected name that is a symlink: refused, nothing runs (the reference refuses too)' '
	extra=$WS3 &&
	sbreq write "$TRASH/ws3/x" | rpcs -q 20 >log &&
	grep -q "\"error\":{\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: cannot enforce sandbox read-only path $TRASH/ws3/.git because it crosses writable symlink $TRASH/ws3/.git\"}" log &&
	! test -e ws3/x && test -L ws3/.git && test -L ws3/.codex &&
	test "$(cat codexhome/config.toml)" = "model = 1"
'

test_expect_success "hardlink and rename of a ws file to outside: $RO, $EDGE" '
	sbis $RO link "$TRASH/ws/a" "$TRASH/out/a" &&
	sbis $EDGE rename "$TRASH/ws/b" "$TRASH/out/b" &&
	! test -e out/a && ! test -e out/b && test "$(cat ws/b)" = b
'

test_expect_success "rename of an outside file into ws: $EDGE" '
	sbis $EDGE rename "$TRASH/out/f" "$TRASH/ws/stolen" &&
	test "$(cat out/f)" = orig && ! test -e ws/stolen
'

test_expect_success 'hardlink of a read-only file into ws (to write it there): EXDEV' '
	sbis EXDEV link "$TRASH/out/f" "$TRASH/ws/lnk" &&
	! test -e ws/lnk && test "$(cat out/f)" = orig
'

test_expect_success NS 'read of a file in a denied directory: EACCES' '
	sbis EACCES read "$TRASH/secretdir/f" &&
	sbis EACCES read "$TRASH/secretdir" &&
	test "$(cat secretdir/f)" = secret
'

# A denied file is masked by /dev/null on a nodev mount: no open.
test_expect_success NS 'read of a denied file, directly and through a symlink made in ws: EACCES' '
	extra=$(deny @TRASH@/secret) &&
	sbis ok symlink "$TRASH/secret" "$TRASH/ws/sl" &&
	sbis EACCES read "$TRASH/secret" &&
	sbis EACCES read "$TRASH/ws/sl" &&
	test "$(cat secret)" = secret
'

test_expect_success NS 'a denied directory inside ws: EACCES, and it stays in place (EBUSY)' '
	sbis EACCES read "$TRASH/ws/private/p" &&
	sbis EACCES write "$TRASH/ws/private/new" &&
	sbis EBUSY rename "$TRASH/ws/private" "$TRASH/ws/public" &&
	! test -e ws/private/new && test "$(cat ws/private/p)" = priv
'

test_expect_success NS 'read of a denied directory'"'"'s file through a symlink made in ws: EACCES' '
	sbis ok symlink "$TRASH/secretdir/f" "$TRASH/ws/sl2" &&
	sbis EACCES read "$TRASH/ws/sl2"
'

test_expect_success NS 'exec of a program in a denied directory: EACCES' '
	cp "$SBPROBE" secretdir/prog &&
	sbis EACCES exec "$TRASH/secretdir/prog" caps
'

test_expect_success NS 'a host process'"'"'s /proc/PID is not there (the sandbox has its own /proc)' '
	sbis ENOENT read "/proc/$SLEEP/root$TRASH/secretdir/f" &&
	sbis ENOENT read "/proc/$SLEEP/environ"
'

# Landlock has no right for a file's metadata, and the process is uid 0
# (without capabilities, still the owner of root's files): the read-only
# tree stops these (EROFS), seccomp the setuid and setgid bits (EPERM);
# without namespaces seccomp stops every metadata change (EPERM).

test_expect_success "chmod of a read-only file outside the writable root: $META" '
	chmod 644 out/f &&
	sbis $META chmod "$TRASH/out/f" 0777 &&
	sbis EPERM chmod "$TRASH/out/f" 4777 &&
	test "$(stat -c %a out/f)" = 644
'

test_expect_success "utimes of a read-only file outside the writable root: $META" '
	m0=$(stat -c %Y out/f) &&
	sbis $META utime "$TRASH/out/f" &&
	test "$(stat -c %Y out/f)" = "$m0"
'

test_expect_success "setxattr on a read-only file outside the writable root: $META" '
	sbis $META setxattr "$TRASH/out/f" &&
	test "$("$SBPROBE" getxattr out/f)" = ENODATA
'

test_expect_success 'no setuid or setgid file can be made in the writable root: EPERM' '
	sbis ok write "$TRASH/ws/evil" &&
	sbis EPERM chmod "$TRASH/ws/evil" 4755 &&
	sbis EPERM chmod "$TRASH/ws/evil" 2755 &&
	if test $mode = namespaces
	then
		sbis ok chmod "$TRASH/ws/evil" 0755
	else
		sbis EPERM chmod "$TRASH/ws/evil" 0755
	fi &&
	! test -u ws/evil && ! test -g ws/evil
'

# --- devices, terminals --------------------------------------------------

test_expect_success 'mknod of a character device in ws: EPERM' '
	sbis EPERM mknod-char "$TRASH/ws/mem" && ! test -e ws/mem
'

test_expect_success 'TIOCSTI on its own terminal (tty): EPERM' '
	tty=true &&
	sbis EPERM tiocsti
'

# --- network --------------------------------------------------------------

test_expect_success 'TCP connect to a host listener: EPERM, nothing arrives' '
	listen tcp &&
	test_when_finished "kill $lpid" &&
	sbis EPERM tcp-connect $port &&
	test "$(heard)" = nothing
'

test_expect_success 'TCP bind: EPERM' '
	sbis EPERM tcp-bind
'

test_expect_success 'UDP send to a host socket: EPERM, nothing arrives' '
	listen udp &&
	test_when_finished "kill $lpid" &&
	sbis EPERM udp-send $port &&
	test "$(heard)" = nothing
'

test_expect_success 'UNIX datagram to a host socket: EPERM, nothing arrives' '
	listen unix-dgram "$TRASH/dgram.sock" &&
	test_when_finished "kill $lpid" &&
	sbis EPERM unix-dgram "$TRASH/dgram.sock" &&
	test "$(heard)" = nothing
'

test_expect_success 'UNIX stream connect to a host socket: EPERM, nothing arrives' '
	listen unix "$TRASH/stream.sock" &&
	test_when_finished "kill $lpid" &&
	sbis EPERM unix-connect "$TRASH/stream.sock" &&
	test "$(heard)" = nothing
'

test_expect_success 'abstract UNIX socket of the host: EPERM, nothing arrives' '
	listen abstract sbprobe-t4001-$$ &&
	test_when_finished "kill $lpid" &&
	sbis EPERM abstract sbprobe-t4001-$$ &&
	test "$(heard)" = nothing
'

test_expect_success 'netlink: EPERM' '
	sbis EPERM netlink
'

test_expect_success 'positive: a socketpair works' '
	sbis ok socketpair-stream
'

test_expect_success 'positive: network enabled, TCP connect to a host listener works' '
	net=enabled &&
	listen tcp &&
	test_when_finished "kill $lpid" &&
	sbis ok tcp-connect $port &&
	test "$(heard)" = connected
'

test_expect_success 'network enabled: the host'"'"'s abstract socket is still out of scope (EPERM)' '
	net=enabled &&
	listen abstract sbprobe-t4001-en-$$ &&
	test_when_finished "kill $lpid" &&
	sbis EPERM abstract sbprobe-t4001-en-$$ &&
	test "$(heard)" = nothing
'

# --- processes, kernel ----------------------------------------------------

test_expect_success 'ptrace of a host process: EPERM' '
	sbis EPERM ptrace $SLEEP && host_alive
'

test_expect_success 'ptrace of the exec-server: EPERM' '
	sbis EPERM ptrace server
'

test_expect_success 'process_vm_readv of a host process and of the server: EPERM' '
	sbis EPERM vm-read $SLEEP &&
	sbis EPERM vm-read server
'

# As root the sandbox has its own PID namespace: a host PID names
# nothing (ESRCH), a /proc/PID of the host is no pidfd (EINVAL); the
# Landlock signal scope stands behind.
test_expect_success NS 'signals to a host process: ESRCH, by pidfd ENOENT' '
	sbis ESRCH kill $SLEEP &&
	sbis ESRCH kill $SLEEP 15 &&
	sbis ENOENT pidfd-kill $SLEEP 15 &&
	host_alive
'

# Without a PID namespace the host's processes are there, out of reach:
# Landlock's scope keeps signals in the sandbox, its ptrace rule /proc.
test_expect_success LL 'landlock: a host process: signals EPERM, its /proc/PID EACCES' '
	sbis EPERM kill $SLEEP &&
	sbis EPERM kill $SLEEP 15 &&
	sbis EPERM pidfd-kill $SLEEP 15 &&
	sbis EACCES read "/proc/$SLEEP/root$TRASH/secretdir/f" &&
	sbis EACCES read "/proc/$SLEEP/environ" &&
	host_alive
'

test_expect_success 'a daemon does not outlive its process (PID namespace; or the waiter kills its Landlock domain)' '
	sb /bin/sh -c "(setsid sleep 271830 </dev/null >/dev/null 2>&1 &); echo started" >said &&
	test "$(cat said)" = started &&
	sleep 0.3 &&
	! grep -l 271830 /proc/[0-9]*/cmdline 2>/dev/null
'

test_expect_success NS 'the sandbox'"'"'s /proc holds its own processes only (PID 1 first)' '
	sb /bin/sh -c "ls /proc" >procs &&
	grep -qx 1 procs && ! grep -qx "$SLEEP" procs &&
	test "$(grep -c "^[0-9][0-9]*$" procs)" -lt 10 &&
	sbis EROFS write /proc/sys/kernel/hostname
'

test_expect_success 'new namespaces and mounts: EPERM' '
	mkdir -p ws/mnt &&
	sbis EPERM unshare-user &&
	sbis EPERM unshare-mount &&
	sbis EPERM mount "$TRASH/ws/mnt" &&
	! grep -q " $TRASH/ws/mnt " /proc/self/mounts
'

test_expect_success 'clone3: ENOSYS (libc falls back to clone)' '
	sbis ENOSYS clone3
'

test_expect_success 'io_uring: EPERM' '
	sbis EPERM io-uring
'

test_expect_success 'keyctl and add_key: EPERM' '
	sbis EPERM keyctl &&
	sbis EPERM add-key
'

test_expect_success 'bpf, perf_event_open, userfaultfd: EPERM' '
	sbis EPERM bpf &&
	sbis EPERM perf &&
	sbis EPERM userfaultfd
'

test_expect_success 'no capability, no_new_privs, a seccomp filter' '
	zero=0000000000000000 &&
	sbis "ok CapEff=$zero CapPrm=$zero CapBnd=$zero" caps &&
	sbis 1 nnp &&
	sbis 2 seccomp
'

test_expect_success 'a setuid-root program run inside has no capability either' '
	zero=0000000000000000 &&
	test -u suid &&
	sbis "ok CapEff=$zero CapPrm=$zero CapBnd=$zero" "$TRASH/suid" caps &&
	sbis "ok CapEff=$zero CapPrm=$zero CapBnd=$zero" exec "$TRASH/suid" caps
'

# --- controls -------------------------------------------------------------

test_expect_success 'the probe itself succeeds unconfined (so the denials are the sandbox)' '
	test "$("$SBPROBE" io-uring)" = ok &&
	test "$("$SBPROBE" keyctl)" = ok &&
	test "$("$SBPROBE" clone3)" = ok &&
	test "$("$SBPROBE" unshare-user)" = ok &&
	test "$("$SBPROBE" netlink)" = ok &&
	test "$("$SBPROBE" tcp-bind)" = ok &&
	test "$("$SBPROBE" read secret)" = ok
'

test_expect_success 'a disabled profile and no sandbox: a write outside succeeds' '
	profile=disabled &&
	sbis ok write "$TRASH/out/disabled" && test "$(cat out/disabled)" = x &&
	profile=none &&
	sbis ok write "$TRASH/out/none" && test "$(cat out/none)" = x
'

test_expect_success NS 'deny globs: the files they name when it starts are masked (EACCES), others not' '
	mkdir -p ws/g/sub && echo k >ws/g/a.env && echo k >ws/g/sub/b.env &&
	echo ok >ws/g/c.txt &&
	extra=",{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"g/*.env\"},\"access\":\"deny\"}" &&
	sbis EACCES read "$TRASH/ws/g/a.env" &&
	sbis EACCES read "$TRASH/ws/g/sub/b.env" &&
	sbis ok read "$TRASH/ws/g/c.txt" &&
	test "$(cat ws/g/a.env)" = k
'

test_expect_success NS 'deny globs: glob_scan_max_depth 1 stops at the first level' '
	extra=",{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"g/**/*.env\"},\"access\":\"deny\"}" &&
	sbis EACCES read "$TRASH/ws/g/sub/b.env" &&
	{ sbreq read "$TRASH/ws/g/sub/b.env" |
	    sed "s/\"entries\":\[/\"glob_scan_max_depth\":1,&/" &&
	  echo "wait process/closed"; } | rpcs -q 20 -t 4000 >log &&
	test "$(out log p)" = ok
'

test_expect_success 'deny globs: alternation is refused, not half applied' '
	extra=",{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"g/*.{env,key}\"},\"access\":\"deny\"}" &&
	sbreq read "$TRASH/ws/g/a.env" | rpcs -q 20 >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: glob alternation ({a,b}) is not supported: " log
'

test_expect_success NS 'deny globs: more than 8192 files named is refused (LIM_SANDBOX_GLOB_MATCHES)' '
	mkdir -p ws/many && (cd ws/many && seq -f "f%05g.env" 1 8193 | xargs touch) &&
	extra=",{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"many/*.env\"},\"access\":\"deny\"}" &&
	sbreq read "$TRASH/ws/a" | rpcs -q 20 >log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: unreadable glob expansion for $TRASH/ws/many matched more than 8192 paths\"" log &&
	rm ws/many/f08193.env &&
	sbis ok read "$TRASH/ws/a" &&
	rm -r ws/many
'

test_expect_success LL 'landlock: /dev/shm is the host'"'"'s, not writable: EACCES' '
	sbis EACCES write /dev/shm/t4001-$$ && ! test -e /dev/shm/t4001-$$
'

test_expect_success NS 'a private /dev/shm: writable inside, nothing lands on the host' '
	sbis ok write /dev/shm/t4001-$$ && ! test -e /dev/shm/t4001-$$
'

test_expect_success NS 'the private /dev/shm holds 64 MiB at most (LIM_SANDBOX_SHM_MB)' '
	sb /bin/sh -c "head -c 70000000 /dev/zero >/dev/shm/big 2>/dev/null; echo \$?" >rc &&
	test "$(cat rc)" = 1
'

test_expect_success NS 'the placeholders are gone once the process exited, server still up' '
	{
		sbreq write "$TRASH/ws/new2" &&
		echo "wait process/closed" &&
		echo "{\"id\":2,\"method\":\"process/start\",\"params\":{\"processId\":\"ls\",\"argv\":[\"/bin/ls\",\"-A\",\"@TRASH@/ws\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false}}" &&
		echo "wait process/closed 2"
	} >in &&
	rpcs -q 20 <in >log &&
	out log ls >listing &&
	cat listing &&
	grep -qx .git listing &&
	! grep -q "^\.codex$\|^\.agents$\|^\.aws$" listing
'

test_expect_success 'in the end: no placeholder is left, the host process untouched' '
	test_when_finished "kill $SLEEP" &&
	! test -e ws/.codex && ! test -e ws/.agents && ! test -e ws/.aws &&
	! test -e ws2/.codex && ! test -e ws2/.aws && test -d ws2/.agents &&
	test -d ws/.git && host_alive
'

test_done
