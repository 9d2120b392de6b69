#!/bin/sh
test_description='command line: flags, --listen forms and their errors, signals'
. "$(dirname "$0")/tap.sh"


test_expect_success '--version names the protocol level' '
	"$ES" --version >out &&
	grep -q "^exec-server [0-9.]* (protocol of codex 0.169.0)$" out
'

test_expect_success '--help prints the usage on stdout and exits 0' '
	"$ES" --help >out &&
	grep -q "^usage: exec-server" out &&
	grep -q -- "--listen URL" out
'

test_expect_success 'an unknown flag is a usage error (exit 2)' '
	test_expect_code 2 "$ES" --bogus 2>err &&
	grep -q "^usage:" err
'

test_expect_success 'a hostname is not a literal IP (exit 1, the reference wording)' '
	test_expect_code 1 "$ES" --listen ws://localhost:0 >out 2>err &&
	test_must_be_empty out &&
	grep -q "^Error: invalid websocket --listen URL \`ws://localhost:0\`; expected \`ws://IP:PORT\`$" err
'

test_expect_success 'a missing port is refused' '
	test_expect_code 1 "$ES" --listen ws://127.0.0.1 2>err &&
	grep -q "invalid websocket --listen URL" err
'

test_expect_success 'a port over 65535 is refused' '
	test_expect_code 1 "$ES" --listen ws://127.0.0.1:65536 2>err &&
	grep -q "invalid websocket --listen URL" err
'

test_expect_success 'another scheme is unsupported' '
	test_expect_code 1 "$ES" --listen tcp://127.0.0.1:0 2>err &&
	grep -q "^Error: unsupported --listen URL \`tcp://127.0.0.1:0\`; expected \`ws://IP:PORT\` or \`stdio\`$" err
'

test_expect_success 'a bad --session-ttl is refused' '
	test_expect_code 1 "$ES" --session-ttl soon 2>err &&
	grep -q "invalid --session-ttl" err
'

test_expect_success 'a bad --sandbox-mode is refused; landlock says it is weaker' '
	test_expect_code 1 "$ES" --sandbox-mode none 2>err &&
	grep -qx "Error: invalid --sandbox-mode \`none\`; expected \`namespaces\` or \`landlock\`" err &&
	echo "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" |
	    "$ES" --sandbox-mode landlock --listen stdio >out 2>err &&
	grep -q "\"id\":1,\"result\"" out &&
	grep -q "sandboxes without namespaces: Landlock and seccomp only; the .git, .agents, .codex and .aws of writable roots are not protected" err
'

wait_url() {
	i=0
	while [ $i -lt 100 ] && ! [ -s "$1" ]; do sleep 0.05; i=$((i + 1)); done
	head -n 1 "$1"
}

test_expect_success 'port 0: the bound URL is the first stdout line' '
	"$ES" --listen ws://127.0.0.1:0 >url 2>err &
	pid=$! &&
	test_when_finished "kill $pid 2>/dev/null" &&
	u=$(wait_url url) &&
	echo "$u" | grep -Eq "^ws://127\.0\.0\.1:[1-9][0-9]*$"
'

test_expect_success 'IPv6 literal listens and prints a bracketed URL' '
	"$ES" --listen "ws://[::1]:0" >url6 2>err6 &
	pid=$! &&
	test_when_finished "kill $pid 2>/dev/null" &&
	u=$(wait_url url6) &&
	{ echo "$u" | grep -Eq "^ws://\[::1\]:[0-9]+$" || grep -q "cannot listen" err6; }
'

test_expect_success 'the port in use is a startup error (exit 1)' '
	"$ES" --listen ws://127.0.0.1:0 >url2 &
	pid=$! &&
	test_when_finished "kill $pid 2>/dev/null" &&
	u=$(wait_url url2) &&
	test_expect_code 1 "$ES" --listen "$u" 2>err &&
	grep -q "^Error: cannot listen on" err
'

test_expect_success 'SIGTERM stops the server with status 0' '
	"$ES" --listen ws://127.0.0.1:0 >url3 &
	pid=$! &&
	wait_url url3 >/dev/null &&
	kill -TERM $pid &&
	wait $pid
'

test_expect_success 'SIGINT stops the server with status 0' '
	"$ES" --listen ws://127.0.0.1:0 >url4 &
	pid=$! &&
	wait_url url4 >/dev/null &&
	kill -INT $pid &&
	wait $pid
'

test_expect_success 'stdio: EOF on stdin ends the server with status 0' '
	"$ES" --listen stdio </dev/null >out &&
	test_must_be_empty out
'

test_expect_success 'stdio:// is the same as stdio' '
	echo "{\"id\":1,\"method\":\"environment/status\"}" |
	"$ES" --listen stdio:// >out &&
	grep -q "client must call initialize" out
'

test_expect_success '--verbose logs each request: connection, method, outcome' '
	cat >in <<-\EOF &&
	{"id":1,"method":"initialize","params":{"clientName":"v"}}
	{"method":"initialized"}
	{"id":2,"method":"fs/getMetadata","params":{"path":"file:///no/such/file"}}
	{"id":3,"method":"no\u0001such","params":{}}
	{"id":4,"method":"fs/readFile","params":{}}
	{"id":5,"method":"process/read","params":{"processId":"p","waitMs":10}}
	{"id":6,"method":"process/start","params":{"processId":"p","argv":["sleep","5"],"cwd":"file:///tmp","env":{},"tty":false}}
	{"id":7,"method":"process/read","params":{"processId":"p","waitMs":5000}}
	EOF
	"$ES" --verbose --listen stdio <in >out 2>err &&
	cat >want <<-\EOF &&
	exec-server: [1] initialize -> ok
	exec-server: [1] fs/getMetadata -> error -32004
	exec-server: [1] no?such -> error -32601
	exec-server: [1] fs/readFile -> error -32602
	exec-server: [1] process/read -> error -32600
	exec-server: [1] process/start -> ok
	exec-server: [1] process/read -> later
	EOF
	test_cmp want err &&
	"$ES" -v --listen stdio <in >out2 2>err2 &&
	test_cmp err err2
'

test_expect_success 'without --verbose nothing is logged' '
	"$ES" --listen stdio <in >out 2>err &&
	test_must_be_empty err
'

# The children of process $1 (from /proc, no procps needed).
children_of() {
	for st in /proc/[0-9]*/stat; do
		read -r cpid comm state ppid rest <"$st" 2>/dev/null &&
		    [ "$ppid" = "$1" ] && echo "$cpid"
	done
	return 0
}

command -v make >/dev/null 2>&1 && test -f "$SRC_DIR/Makefile" &&
    test_set_prereq MAKE

# As typed in a shell in the project directory: not a sub-make of make
# test (a sub-make, like make -C, prints "Entering directory" first).
test_expect_success MAKE 'make run: the bound URL is the first line, then SIGTERM ends it' '
	( cd "$SRC_DIR" &&
	    exec env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS make run ) \
	    >run.out 2>run.err &
	mk=$! && i=0 &&
	while ! grep -q . run.out && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done &&
	srv=$(children_of $mk) && test -n "$srv" &&
	kill -TERM $srv && wait $mk &&
	head -n 1 run.out | grep -Eq "^ws://127\.0\.0\.1:[0-9]+$" &&
	test $(wc -l <run.out) -eq 1
'

test_done
