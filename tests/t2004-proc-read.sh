#!/bin/sh
test_description='process/read: afterSeq, maxBytes, nextSeq, long polls, retention'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success 'nextSeq: next unused seq without maxBytes, last chunk + 1 with it' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"echo-1","argv":["echo","hello"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
{"id":2,"method":"process/read","params":{"processId":"echo-1","afterSeq":0,"maxBytes":65536,"waitMs":0}}
{"id":3,"method":"process/read","params":{"processId":"echo-1"}}
{"id":4,"method":"process/read","params":{"processId":"echo-1","afterSeq":3}}
{"id":5,"method":"process/read","params":{"processId":"echo-1","afterSeq":null,"maxBytes":null,"waitMs":null}}
EOF
	cat >expect <<\EOF &&
{"id":2,"result":{"chunks":[{"seq":1,"stream":"stdout","chunk":"aGVsbG8K"}],"nextSeq":2,"exited":true,"exitCode":0,"closed":true,"failure":null,"sandboxDenied":false}}
{"id":3,"result":{"chunks":[{"seq":1,"stream":"stdout","chunk":"aGVsbG8K"}],"nextSeq":4,"exited":true,"exitCode":0,"closed":true,"failure":null,"sandboxDenied":false}}
{"id":4,"result":{"chunks":[],"nextSeq":4,"exited":true,"exitCode":0,"closed":true,"failure":null,"sandboxDenied":false}}
{"id":5,"result":{"chunks":[{"seq":1,"stream":"stdout","chunk":"aGVsbG8K"}],"nextSeq":4,"exited":true,"exitCode":0,"closed":true,"failure":null,"sandboxDenied":false}}
EOF
	grep "^{\"id\":[2-5]," log >actual &&
	test_cmp expect actual
'

test_expect_success 'maxBytes: the first chunk always, then while the total fits' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"rs","argv":["/bin/sh","-c","printf one; sleep 0.2; printf two; sleep 0.2; printf three"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
{"id":2,"method":"process/read","params":{"processId":"rs","afterSeq":0,"maxBytes":1}}
{"id":3,"method":"process/read","params":{"processId":"rs","afterSeq":0,"maxBytes":6}}
{"id":4,"method":"process/read","params":{"processId":"rs","afterSeq":0,"maxBytes":0}}
{"id":5,"method":"process/read","params":{"processId":"rs","afterSeq":0,"maxBytes":5}}
{"id":6,"method":"process/read","params":{"processId":"rs","afterSeq":3}}
{"id":7,"method":"process/read","params":{"processId":"rs","afterSeq":100,"waitMs":200}}
{"id":8,"method":"process/read","params":{"processId":"rs","afterSeq":0,"maxBytes":1000000}}
{"id":9,"method":"process/read","params":{"processId":"rs","afterSeq":1,"maxBytes":18446744073709551615}}
EOF
	S=",\"exited\":true,\"exitCode\":0,\"closed\":true,\"failure\":null,\"sandboxDenied\":false}}" &&
	C1="{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"b25l\"}" &&
	C2="{\"seq\":2,\"stream\":\"stdout\",\"chunk\":\"dHdv\"}" &&
	C3="{\"seq\":3,\"stream\":\"stdout\",\"chunk\":\"dGhyZWU=\"}" &&
	cat >expect <<-EOF &&
	{"id":2,"result":{"chunks":[$C1],"nextSeq":2$S
	{"id":3,"result":{"chunks":[$C1,$C2],"nextSeq":3$S
	{"id":4,"result":{"chunks":[$C1],"nextSeq":2$S
	{"id":5,"result":{"chunks":[$C1],"nextSeq":2$S
	{"id":6,"result":{"chunks":[],"nextSeq":6$S
	{"id":7,"result":{"chunks":[],"nextSeq":6$S
	{"id":8,"result":{"chunks":[$C1,$C2,$C3],"nextSeq":4$S
	{"id":9,"result":{"chunks":[$C2,$C3],"nextSeq":4$S
	EOF
	grep "^{\"id\":[2-9]," log >actual &&
	test_cmp expect actual
'

test_expect_success 'a long poll is answered when output arrives, not at its timeout' '
	t0=$(now_ms) &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"lp","argv":["/bin/sh","-c","sleep 0.4; printf one; sleep 30"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/read","params":{"processId":"lp","afterSeq":0,"waitMs":8000}}
wait "id":2
{"id":3,"method":"process/terminate","params":{"processId":"lp"}}
wait process/closed
EOF
	t1=$(now_ms) &&
	test $((t1 - t0)) -lt 5000 &&
	grep -qx "{\"id\":2,\"result\":{\"chunks\":\[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"b25l\"}\],\"nextSeq\":2,\"exited\":false,\"exitCode\":null,\"closed\":false,\"failure\":null,\"sandboxDenied\":false}}" log &&
	test $(grep -n "\"chunk\":\"b25l\"}}$" log | cut -d: -f1) -lt $(grep -n "^{\"id\":2," log | cut -d: -f1)
'

test_expect_success 'a long poll times out with the state at that time' '
	t0=$(now_ms) &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"s","argv":["sleep","30"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/read","params":{"processId":"s","afterSeq":0,"waitMs":300}}
wait "id":2
{"id":3,"method":"process/terminate","params":{"processId":"s"}}
wait process/closed
EOF
	t1=$(now_ms) &&
	test $((t1 - t0)) -ge 300 &&
	test $((t1 - t0)) -lt 5000 &&
	grep -qx "{\"id\":2,\"result\":{\"chunks\":\[\],\"nextSeq\":1,\"exited\":false,\"exitCode\":null,\"closed\":false,\"failure\":null,\"sandboxDenied\":false}}" log
'

test_expect_success 'a long poll never holds up other requests (the reference serialises them)' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"s","argv":["sleep","30"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":100,"method":"process/read","params":{"processId":"s","afterSeq":0,"waitMs":1500}}
{"id":101,"method":"process/read","params":{"processId":"s","afterSeq":0,"waitMs":1500}}
{"id":102,"method":"environment/status"}
{"id":103,"method":"process/start","params":{"processId":"e","argv":["echo","hi"],"cwd":"@CWD@","env":{},"tty":false}}
wait "processId":"e","seq":3
{"id":104,"method":"process/terminate","params":{"processId":"s"}}
wait "id":101
EOF
	grep -n "^{\"id\":10[0-4]," log | sed "s/^\([0-9]*\):{\"id\":\([0-9]*\),.*/\1 \2/" >order &&
	awk "\$2 == 102 { s = \$1 } \$2 == 100 { r = \$1 } END { exit !(s < r) }" order &&
	grep -q "^{\"id\":100,\"result\":{\"chunks\":\[\],\"nextSeq\":2,\"exited\":true,\"exitCode\":137," log &&
	grep -q "^{\"id\":101,\"result\":{\"chunks\":\[\],\"nextSeq\":2,\"exited\":true,\"exitCode\":137," log
'

test_expect_success 'the exit wakes a long poll; the close after it waits for a grandchild' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"gc","argv":["/bin/sh","-c","(sleep 1; echo grandchild-done) & echo parent-done"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/read","params":{"processId":"gc","afterSeq":1,"waitMs":5000}}
wait "id":2
{"id":3,"method":"process/read","params":{"processId":"gc","afterSeq":2,"waitMs":5000}}
wait "id":3
wait process/closed
{"id":4,"method":"process/read","params":{"processId":"gc","afterSeq":0}}
wait "id":4
EOF
	grep -qx "{\"id\":2,\"result\":{\"chunks\":\[\],\"nextSeq\":3,\"exited\":true,\"exitCode\":0,\"closed\":false,\"failure\":null,\"sandboxDenied\":false}}" log &&
	grep -qx "{\"id\":3,\"result\":{\"chunks\":\[{\"seq\":3,\"stream\":\"stdout\",\"chunk\":\"Z3JhbmRjaGlsZC1kb25lCg==\"}\],\"nextSeq\":4,\"exited\":true,\"exitCode\":0,\"closed\":false,\"failure\":null,\"sandboxDenied\":false}}" log &&
	grep -qx "{\"id\":4,\"result\":{\"chunks\":\[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"cGFyZW50LWRvbmUK\"},{\"seq\":3,\"stream\":\"stdout\",\"chunk\":\"Z3JhbmRjaGlsZC1kb25lCg==\"}\],\"nextSeq\":5,\"exited\":true,\"exitCode\":0,\"closed\":true,\"failure\":null,\"sandboxDenied\":false}}" log
'

test_expect_success 'read params errors and unknown ids' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/read","params":{"processId":"nope"}}
{"id":2,"method":"process/read","params":{}}
{"id":3,"method":"process/read","params":{"processId":"nope","afterSeq":-1}}
{"id":4,"method":"process/read","params":{"processId":"nope","waitMs":"soon"}}
{"id":5,"method":"process/read","params":null}
{"id":6,"method":"process/read","params":{"processId":"nope","maxBytes":1.5}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32600,"message":"unknown process id nope"},"id":1}
{"error":{"code":-32602,"message":"missing field `processId`"},"id":2}
{"error":{"code":-32602,"message":"invalid number"},"id":3}
{"error":{"code":-32602,"message":"invalid type: string \"soon\", expected u64"},"id":4}
{"error":{"code":-32602,"message":"invalid type: null, expected struct ReadParams"},"id":5}
{"error":{"code":-32602,"message":"invalid number"},"id":6}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'the last 1 MiB of output is retained, the rest evicted' '
	head -c 3000000 /dev/urandom >big &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"big","argv":["cat","@TRASH@/big"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
{"id":2,"method":"process/read","params":{"processId":"big","afterSeq":0}}
wait "id":2
EOF
	answer log 2 | sed -n "s/^{\"id\":2,\"result\":{\"chunks\":\[{\"seq\":\([0-9]*\),.*/\1/p" >first &&
	test "$(cat first)" -gt 1 &&
	answer log 2 | grep -o "\"chunk\":\"[^\"]*\"" | sed "s/\"chunk\":\"//; s/\"$//" |
	    while read -r c; do printf "%s" "$c" | base64 -d; done >retained &&
	n=$(wc -c <retained) &&
	test "$n" -le 1048576 &&
	test "$n" -gt $((1048576 - 8192)) &&
	tail -c "$n" big >expect &&
	test_cmp expect retained
'

test_done
