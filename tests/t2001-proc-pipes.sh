#!/bin/sh
test_description='process/start with pipes: streams, events, exit codes, spawn errors'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success 'echo: the answer, then output, exited and closed with seqs 1-3' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"echo-1","argv":["echo","hello"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	cat >expect <<\EOF &&
{"id":1,"result":{"processId":"echo-1","sandboxType":"none"}}
{"method":"process/output","params":{"processId":"echo-1","seq":1,"stream":"stdout","chunk":"aGVsbG8K"}}
{"method":"process/exited","params":{"processId":"echo-1","seq":2,"exitCode":0,"sandboxDenied":false}}
{"method":"process/closed","params":{"processId":"echo-1","seq":3}}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'stdout and stderr are separate streams, one seq counter' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"mix","argv":["/bin/sh","-c","echo out1; echo err1 >&2; sleep 0.1; echo out2; echo err2 >&2"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	printf "out1\nout2\n" >expect.out &&
	printf "err1\nerr2\n" >expect.err &&
	out log mix stdout >actual.out &&
	out log mix stderr >actual.err &&
	test_cmp expect.out actual.out &&
	test_cmp expect.err actual.err &&
	events log mix | cut -d" " -f2 >seqs &&
	printf "1\n2\n3\n4\n5\n6\n" >expect.seqs &&
	test_cmp expect.seqs seqs &&
	events log mix | tail -n 1 | grep -qx "closed 6"
'

test_expect_success 'exit codes: exit N, and 128+signal for a signal death' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"e3","argv":["/bin/sh","-c","exit 3"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"e255","argv":["/bin/sh","-c","exit 255"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"term","argv":["/bin/sh","-c","kill -TERM $$"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":4,"method":"process/start","params":{"processId":"segv","argv":["/bin/sh","-c","kill -SEGV $$"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"processId":"kill","argv":["/bin/sh","-c","kill -KILL $$"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed 5
EOF
	events log e3 | grep -qx "exited 1 3" &&
	events log e255 | grep -qx "exited 1 255" &&
	events log term | grep -qx "exited 1 143" &&
	events log segv | grep -qx "exited 1 139" &&
	events log kill | grep -qx "exited 1 137"
'

test_expect_success 'process/read reports the exit after the fact' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"x","argv":["/bin/sh","-c","echo out; echo err >&2; exit 3"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
{"id":2,"method":"process/read","params":{"processId":"x","afterSeq":0}}
wait "id":2
EOF
	answer log 2 >actual &&
	grep -q "\"nextSeq\":5,\"exited\":true,\"exitCode\":3,\"closed\":true,\"failure\":null,\"sandboxDenied\":false}}$" actual &&
	grep -q "{\"seq\":[12],\"stream\":\"stdout\",\"chunk\":\"b3V0Cg==\"}" actual &&
	grep -q "{\"seq\":[12],\"stream\":\"stderr\",\"chunk\":\"ZXJyCg==\"}" actual
'

test_expect_success BASE64 'without pipeStdin, stdin is /dev/null' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"in","argv":["/bin/sh","-c","readlink /proc/self/fd/0; cat; echo end"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	printf "/dev/null\nend\n" >expect &&
	out log in >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'each child leads its own session and process group' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"g","argv":["/bin/sh","-c","read p c s pp pgrp sid rest </proc/$$/stat; [ $pgrp = $$ ] && [ $sid = $$ ] && echo leader"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	echo leader >expect &&
	out log g >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'a child inherits descriptors 0, 1, 2 and nothing else, not even the server'"'"'s' '
	rpcs >log 9>inherited <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"fd","argv":["/bin/sh","-c","ls /proc/$$/fd"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	printf "0\n1\n2\n" >expect &&
	out log fd >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'a child starts with default signal dispositions and no blocked signal' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"sig","argv":["grep","-E","^Sig(Blk|Ign)","/proc/self/status"],"cwd":"@CWD@","env":{"PATH":"/usr/bin:/bin"},"tty":false}}
wait process/closed
EOF
	printf "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n" >expect &&
	out log sig >actual &&
	test_cmp expect actual
'

test_expect_success 'spawn errors are -32603 with the OS error' '
	printf "not a program\n" >data && chmod +x data &&
	mkdir dir &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"nx-1","argv":["definitely-not-a-program-xyz"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"nx-2","argv":["/nonexistent/bin/prog"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"nx-3","argv":["@TRASH@/data"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":4,"method":"process/start","params":{"processId":"nx-4","argv":["@TRASH@/dir"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"processId":"nx-5","argv":["/bin/pwd"],"cwd":"file:///nonexistent/dir","env":{},"tty":false}}
{"id":6,"method":"process/start","params":{"processId":"nx-6","argv":["/bin/pwd"],"cwd":"@CWD@/data","env":{},"tty":false}}
{"id":7,"method":"process/read","params":{"processId":"nx-1"}}
{"id":8,"method":"process/start","params":{"processId":"nx-1","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32603,"message":"No such file or directory (os error 2)"},"id":1}
{"error":{"code":-32603,"message":"No such file or directory (os error 2)"},"id":2}
{"error":{"code":-32603,"message":"Exec format error (os error 8)"},"id":3}
{"error":{"code":-32603,"message":"Permission denied (os error 13)"},"id":4}
{"error":{"code":-32603,"message":"No such file or directory (os error 2)"},"id":5}
{"error":{"code":-32603,"message":"Not a directory (os error 20)"},"id":6}
{"error":{"code":-32600,"message":"unknown process id nx-1"},"id":7}
{"id":8,"result":{"processId":"nx-1","sandboxType":"none"}}
EOF
	grep "\"id\":[1-8][,}]" log >actual &&
	test_cmp expect actual
'

test_expect_success 'pipes: a bare name is looked up in the PATH of the child environment' '
	mkdir bin && printf "#!/bin/sh\necho from-bin\n" >bin/myprog &&
	chmod +x bin/myprog &&
	PATH="$TRASH/bin:$PATH" rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["myprog"],"cwd":"@CWD@","env":{"PATH":"@TRASH@/bin"},"tty":false}}
wait process/closed
{"id":2,"method":"process/start","params":{"processId":"b","argv":["myprog"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"c","argv":["echo","x"],"cwd":"@CWD@","env":{"PATH":"/nonexistent"},"tty":false}}
{"id":4,"method":"process/start","params":{"processId":"d","argv":["sh","-c","exit 4"],"cwd":"@CWD@","env":{},"tty":false}}
wait "processId":"d","seq":2
EOF
	grep -qx "{\"method\":\"process/output\",\"params\":{\"processId\":\"a\",\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"ZnJvbS1iaW4K\"}}" log &&
	grep -qx "{\"error\":{\"code\":-32603,\"message\":\"No such file or directory (os error 2)\"},\"id\":2}" log &&
	grep -qx "{\"error\":{\"code\":-32603,\"message\":\"No such file or directory (os error 2)\"},\"id\":3}" log &&
	events log d | grep -qx "exited 1 4"
'

test_expect_success 'duplicate ids: -32600 while running and after exit; empty ids are fine' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"dup","argv":["sleep","5"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"dup","argv":["sleep","5"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/terminate","params":{"processId":"dup"}}
wait "processId":"dup","seq":2
{"id":4,"method":"process/start","params":{"processId":"dup","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"processId":"","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
wait "processId":"","seq":2
EOF
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"process dup already exists\"},\"id\":2}" log &&
	grep -qx "{\"id\":3,\"result\":{\"running\":true}}" log &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"process dup already exists\"},\"id\":4}" log &&
	grep -qx "{\"id\":5,\"result\":{\"processId\":\"\",\"sandboxType\":\"none\"}}" log
'

test_expect_success 'params errors, as serde and the reference word them' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"e1","argv":[],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"e2","argv":["/bin/true"],"cwd":"@CWD@","env":{}}}
{"id":3,"method":"process/start","params":{"processId":"e3","argv":["/bin/true"],"cwd":"@CWD@","tty":false}}
{"id":4,"method":"process/start","params":{"processId":"e4","argv":["/bin/true"],"env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":6,"method":"process/start","params":{"processId":42,"argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":7,"method":"process/start","params":{"processId":"e5","argv":["/bin/true"],"cwd":"@CWD@","env":{"A":1},"tty":false}}
{"id":8,"method":"process/start","params":{"processId":"e6","argv":"/bin/true","cwd":"@CWD@","env":{},"tty":false}}
{"id":9,"method":"process/start","params":null}
{"id":10,"method":"process/start","params":{"processId":"e7","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"pipeStdin":null}}
{"id":11,"method":"process/start","params":{"processId":"e8","argv":["/bin/echo","a\u0000b"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":12,"method":"process/start","params":{"processId":"e9","argv":["/usr/bin/env"],"cwd":"@CWD@","env":{"A":"c\u0000d"},"tty":false}}
{"id":13,"method":"process/start","params":{"processId":"e10","argv":[""],"cwd":"@CWD@","env":{},"tty":false}}
{"id":14,"method":"process/start","params":{"processId":"e11","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"arg0":5}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"argv must not be empty"},"id":1}
{"error":{"code":-32602,"message":"missing field `tty`"},"id":2}
{"error":{"code":-32602,"message":"missing field `env`"},"id":3}
{"error":{"code":-32602,"message":"missing field `cwd`"},"id":4}
{"error":{"code":-32602,"message":"missing field `processId`"},"id":5}
{"error":{"code":-32602,"message":"invalid type: number, expected a string"},"id":6}
{"error":{"code":-32602,"message":"invalid type: number, expected a string"},"id":7}
{"error":{"code":-32602,"message":"invalid type: string \"/bin/true\", expected a sequence"},"id":8}
{"error":{"code":-32602,"message":"invalid type: null, expected struct WireExecParams"},"id":9}
{"error":{"code":-32602,"message":"invalid type: null, expected a boolean"},"id":10}
{"error":{"code":-32603,"message":"nul byte found in provided data"},"id":11}
{"error":{"code":-32603,"message":"data provided contains a nul byte"},"id":12}
{"error":{"code":-32603,"message":"missing program for pipe spawn"},"id":13}
{"error":{"code":-32602,"message":"invalid type: number, expected a string"},"id":14}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success 'process methods are gated like the reference' '
	printf "%s\n" "{\"id\":1,\"method\":\"process/read\",\"params\":{\"processId\":\"x\"}}" >in &&
	"$RP" "$ES" --listen stdio <in >log &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"client must call initialize before using exec methods\"},\"id\":1}" log
'

test_done
