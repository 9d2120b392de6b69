#!/bin/sh
test_description='process/terminate and process/signal reach the whole process group'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success BASE64 'terminate: SIGKILL to the group, a grandchild included (137)' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"g","argv":["/bin/sh","-c","sleep 300 & echo $!; wait"],"cwd":"@CWD@","env":{},"tty":false}}
wait "processId":"g","seq":1
{"id":2,"method":"process/terminate","params":{"processId":"g"}}
wait process/closed
{"id":3,"method":"process/terminate","params":{"processId":"g"}}
{"id":4,"method":"process/terminate","params":{"processId":"never-started"}}
{"id":5,"method":"process/read","params":{"processId":"g"}}
EOF
	gc=$(out log g) &&
	test -n "$gc" &&
	! alive "$gc" &&
	grep -qx "{\"id\":2,\"result\":{\"running\":true}}" log &&
	events log g | tail -n 2 >ev &&
	printf "exited 2 137\nclosed 3\n" >expect &&
	test_cmp expect ev &&
	grep -qx "{\"id\":3,\"result\":{\"running\":false}}" log &&
	grep -qx "{\"id\":4,\"result\":{\"running\":false}}" log &&
	grep -q "^{\"id\":5,\"result\":{\"chunks\":\[.*\],\"nextSeq\":4,\"exited\":true,\"exitCode\":137,\"closed\":true," log
'

test_expect_success 'interrupt: SIGINT (130); a trap runs; {} for unknown ids' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"int-1","argv":["sleep","30"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/signal","params":{"processId":"int-1","signal":"interrupt"}}
wait "processId":"int-1","seq":2
{"id":3,"method":"process/start","params":{"processId":"int-trap","argv":["/bin/sh","-c","trap \"echo caught INT; exit 7\" INT; echo armed; while :; do sleep 0.05; done"],"cwd":"@CWD@","env":{},"tty":false}}
wait YXJtZWQK
{"id":4,"method":"process/signal","params":{"processId":"int-trap","signal":"interrupt"}}
wait "processId":"int-trap","seq":4
{"id":5,"method":"process/signal","params":{"processId":"no-such","signal":"interrupt"}}
{"id":6,"method":"process/signal","params":{"processId":"int-1","signal":"kill"}}
{"id":7,"method":"process/signal","params":{"processId":"int-1","signal":"SIGINT"}}
{"id":8,"method":"process/signal","params":{"processId":"int-1"}}
{"id":9,"method":"process/signal","params":{"processId":"int-1","signal":"interrupt"}}
EOF
	events log int-1 >ev &&
	printf "exited 1 130\nclosed 2\n" >expect &&
	test_cmp expect ev &&
	events log int-trap >ev &&
	printf "output 1 stdout\noutput 2 stdout\nexited 3 7\nclosed 4\n" >expect &&
	test_cmp expect ev &&
	cat >expect <<\EOF &&
{"id":2,"result":{}}
{"id":4,"result":{}}
{"id":5,"result":{}}
{"error":{"code":-32602,"message":"unknown variant `kill`, expected `interrupt`"},"id":6}
{"error":{"code":-32602,"message":"unknown variant `SIGINT`, expected `interrupt`"},"id":7}
{"error":{"code":-32602,"message":"missing field `signal`"},"id":8}
{"id":9,"result":{}}
EOF
	grep -e "\"result\":{}" -e "\"error\"" log >actual &&
	test_cmp expect actual
'

test_expect_success 'interrupt reaches the foreground grandchild too' '
	t0=$(now_ms) &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"fg","argv":["/bin/sh","-c","(sleep 30; echo not-interrupted); echo sub=$?"],"cwd":"@CWD@","env":{},"tty":false}}
sleep 200
{"id":2,"method":"process/signal","params":{"processId":"fg","signal":"interrupt"}}
wait process/closed
EOF
	t1=$(now_ms) &&
	test $((t1 - t0)) -lt 5000 &&
	events log fg >ev &&
	printf "exited 1 130\nclosed 2\n" >expect &&
	test_cmp expect ev
'

test_expect_success BASE64 'a grandchild that left the group is not killed by terminate' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"s","argv":["/bin/sh","-c","setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	gc=$(out log s) &&
	alive "$gc" &&
	kill "$gc"
'

test_done
