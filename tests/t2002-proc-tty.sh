#!/bin/sh
test_description='process/start on a pseudo-terminal'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test -c /dev/ptmx && test_set_prereq PTY

test_expect_success PTY,BASE64 'tty cat: writes echo with CRLF, ^D ends it, a late write is accepted' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"tty-1","argv":["/bin/cat"],"cwd":"@CWD@","env":{"TERM":"dumb"},"tty":true}}
{"id":2,"method":"process/write","params":{"processId":"tty-1","chunk":"aGVsbG8K","writeId":"w-1"}}
wait "stream":"pty"
sleep 300
{"id":3,"method":"process/write","params":{"processId":"tty-1","chunk":"BA==","writeId":"w-2"}}
wait process/closed
{"id":4,"method":"process/write","params":{"processId":"tty-1","chunk":"bGF0ZQo=","writeId":"w-3"}}
wait "id":4
EOF
	printf "hello\r\nhello\r\n" >expect &&
	out log tty-1 pty >actual &&
	test_cmp expect actual &&
	events log tty-1 | tail -n 2 | tr "\n" " " >ev &&
	grep -Eqx "exited ([0-9]+) 0 closed ([0-9]+) " ev &&
	grep -qx "{\"id\":4,\"result\":{\"status\":\"accepted\"}}" log
'

test_expect_success PTY,BASE64 'the terminal is 24x80, on stdin and stdout, and is the controlling tty' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"t","argv":["/bin/sh","-c","printf \"ready\\n\"; read line; printf \"got:%s\\n\" \"$line\"; stty size; test -t 0 && test -t 1 && test -t 2 && echo tty; exec </dev/tty && echo ctty"],"cwd":"@CWD@","env":{"TERM":"xterm"},"tty":true,"pipeStdin":true}}
wait cmVhZHkNCg==
{"id":2,"method":"process/write","params":{"processId":"t","chunk":"YWJjDQ==","writeId":"1"}}
wait process/closed
EOF
	printf "ready\r\nabc\r\ngot:abc\r\n24 80\r\ntty\r\nctty\r\n" >expect &&
	out log t pty >actual &&
	test_cmp expect actual
'

test_expect_success PTY 'signal deaths report exit code 1 on a terminal; exit N stays N' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"term","argv":["/bin/sh","-c","kill -TERM $$"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":2,"method":"process/start","params":{"processId":"int","argv":["/bin/sleep","30"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":3,"method":"process/signal","params":{"processId":"int","signal":"interrupt"}}
{"id":4,"method":"process/start","params":{"processId":"kill","argv":["/bin/sleep","30"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":5,"method":"process/terminate","params":{"processId":"kill"}}
{"id":6,"method":"process/start","params":{"processId":"seven","argv":["/bin/sh","-c","exit 7"],"cwd":"@CWD@","env":{},"tty":true}}
wait process/closed 4
EOF
	events log term | grep -qx "exited 1 1" &&
	events log int | grep -qx "exited 1 1" &&
	events log kill | grep -qx "exited 1 1" &&
	events log seven | grep -qx "exited 1 7" &&
	grep -qx "{\"id\":5,\"result\":{\"running\":true}}" log
'

test_expect_success PTY 'tty program lookup uses the child PATH, with portable-pty wording' '
	mkdir -p sub/d bin && printf "#!/bin/sh\necho script\n" >bin/s.sh &&
	cp bin/s.sh bin/noexec.sh && chmod +x bin/s.sh && chmod -x bin/noexec.sh &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["sleep","0.1"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":2,"method":"process/start","params":{"processId":"b","argv":["no-such-prog-xyz"],"cwd":"@CWD@","env":{"PATH":"/usr/bin:/bin"},"tty":true}}
{"id":3,"method":"process/start","params":{"processId":"c","argv":["d"],"cwd":"@CWD@","env":{"PATH":"@TRASH@/sub"},"tty":true}}
{"id":4,"method":"process/start","params":{"processId":"d","argv":["noexec.sh"],"cwd":"@CWD@","env":{"PATH":"@TRASH@/bin:/usr/bin"},"tty":true}}
{"id":5,"method":"process/start","params":{"processId":"e","argv":["./nonexist"],"cwd":"@CWD@","env":{"PATH":"/bin"},"tty":true}}
{"id":6,"method":"process/start","params":{"processId":"f","argv":["sleep"],"cwd":"@CWD@","env":{"PATH":""},"tty":true}}
{"id":7,"method":"process/start","params":{"processId":"g","argv":["/nonexistent/x"],"cwd":"@CWD@","env":{"PATH":"/bin"},"tty":true}}
{"id":8,"method":"process/start","params":{"processId":"h","argv":["@TRASH@/sub"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":9,"method":"process/start","params":{"processId":"i","argv":[""],"cwd":"@CWD@","env":{"PATH":"/bin"},"tty":true}}
{"id":10,"method":"process/start","params":{"processId":"j","argv":["/bin/sh"],"cwd":"@CWD@","env":{},"tty":true,"arg0":"@TRASH@/sub"}}
{"id":11,"method":"process/start","params":{"processId":"k","argv":["/bin/sh"],"cwd":"@CWD@","env":{},"tty":true,"arg0":"@TRASH@/bin/noexec.sh"}}
{"id":12,"method":"process/start","params":{"processId":"l","argv":["/bin/sh"],"cwd":"@CWD@","env":{},"tty":true,"arg0":"/nonexistent"}}
{"id":13,"method":"process/start","params":{"processId":"m","argv":["./bin/s.sh"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":14,"method":"process/start","params":{"processId":"n","argv":["s.sh"],"cwd":"@CWD@","env":{"PATH":"bin"},"tty":true}}
wait process/closed 2
EOF
	q=$(printf "\\047") &&
	sed -e "s|@TRASH@|$TRASH|g" -e "s|@APOS|$q|g" >expect <<\EOF &&
{"error":{"code":-32603,"message":"Unable to spawn sleep because:\nUnable to resolve the PATH"},"id":1}
{"error":{"code":-32603,"message":"Unable to spawn no-such-prog-xyz because:\nNo viable candidates found in PATH \"/usr/bin:/bin\""},"id":2}
{"error":{"code":-32603,"message":"Unable to spawn d because:\n@TRASH@/sub/d exists but is a directory.\nNo viable candidates found in PATH \"@TRASH@/sub\""},"id":3}
{"error":{"code":-32603,"message":"Unable to spawn noexec.sh because:\n@TRASH@/bin/noexec.sh exists but is not executable.\nNo viable candidates found in PATH \"@TRASH@/bin:/usr/bin\""},"id":4}
{"error":{"code":-32603,"message":"Unable to spawn @TRASH@/./nonexist because it does not exist"},"id":5}
{"error":{"code":-32603,"message":"Unable to spawn sleep because:\nNo viable candidates found in PATH \"\""},"id":6}
{"error":{"code":-32603,"message":"No such file or directory (os error 2)"},"id":7}
{"error":{"code":-32603,"message":"Permission denied (os error 13)"},"id":8}
{"error":{"code":-32603,"message":"missing program for PTY spawn"},"id":9}
{"error":{"code":-32603,"message":"Unable to spawn @TRASH@/sub because it is a directory"},"id":10}
{"error":{"code":-32603,"message":"Unable to spawn @TRASH@/bin/noexec.sh because it is not executable (EACCES: Permission denied)"},"id":11}
{"error":{"code":-32603,"message":"Unable to spawn /nonexistent because it doesn@APOSt exist on the filesystem (ENOENT: No such file or directory)"},"id":12}
{"id":13,"result":{"processId":"m","sandboxType":"none"}}
{"id":14,"result":{"processId":"n","sandboxType":"none"}}
EOF
	grep "\"id\":[1-9][0-9]*[,}]" log | grep -v "\"id\":0," >actual &&
	test_cmp expect actual
'

test_expect_success PTY,BASE64 'arg0 names the program on a terminal (portable-pty), $0 with pipes' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"t","argv":["/bin/sh","-c","echo $0"],"cwd":"@CWD@","env":{},"tty":true,"arg0":"/bin/echo"}}
{"id":2,"method":"process/start","params":{"processId":"p","argv":["/bin/sh","-c","echo $0"],"cwd":"@CWD@","env":{},"tty":false,"arg0":"my-arg0"}}
wait process/closed 2
EOF
	printf -- "-c echo \$0\r\n" >expect.t &&
	out log t >actual.t &&
	test_cmp expect.t actual.t &&
	echo my-arg0 >expect.p &&
	out log p >actual.p &&
	test_cmp expect.p actual.p
'

test_expect_success PTY,BASE64 'a bad cwd on a terminal means $HOME of the child, else the account home' '
	home=$(getent passwd "$(id -u)" | cut -d: -f6) &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/pwd"],"cwd":"file:///nonexistent/dir","env":{},"tty":true}}
{"id":2,"method":"process/start","params":{"processId":"b","argv":["/bin/pwd"],"cwd":"file:///etc/passwd","env":{"HOME":"@TRASH@"},"tty":true}}
wait process/closed 2
EOF
	printf "%s\r\n" "$home" >expect.a &&
	out log a >actual.a &&
	test_cmp expect.a actual.a &&
	printf "%s\r\n" "$TRASH" >expect.b &&
	out log b >actual.b &&
	test_cmp expect.b actual.b
'

test_expect_success PTY,BASE64 'a terminal child gets $SHELL (the account shell) unless env has one' '
	shell=$(getent passwd "$(id -u)" | cut -d: -f7) &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/usr/bin/env"],"cwd":"@CWD@","env":{"Z":"1","A":"2"},"tty":true}}
{"id":2,"method":"process/start","params":{"processId":"b","argv":["/usr/bin/env"],"cwd":"@CWD@","env":{"SHELL":"/x"},"tty":true}}
wait process/closed 2
EOF
	printf "A=2\r\nSHELL=%s\r\nZ=1\r\n" "$shell" >expect.a &&
	out log a >actual.a &&
	test_cmp expect.a actual.a &&
	printf "SHELL=/x\r\n" >expect.b &&
	out log b >actual.b &&
	test_cmp expect.b actual.b
'

test_expect_success PTY,BASE64 'the terminal output of a big writer arrives whole' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"big","argv":["/bin/sh","-c","head -c 300000 /dev/zero | tr \"\\000\" a; echo"],"cwd":"@CWD@","env":{},"tty":true}}
wait process/closed
EOF
	test "$(outlen log big)" = 300002
'

test_done
