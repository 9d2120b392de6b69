#!/bin/sh
test_description='process/write: statuses, writeId deduplication, queued stdin'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success BASE64 'pipeStdin: writes reach the child; an empty chunk is accepted' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"p","argv":["/bin/cat"],"cwd":"@CWD@","env":{},"tty":false,"pipeStdin":true}}
{"id":2,"method":"process/write","params":{"processId":"p","chunk":"bGluZSBvbmUK","writeId":"a"}}
wait "seq":1,"stream":"stdout"
{"id":3,"method":"process/write","params":{"processId":"p","chunk":"","writeId":"b"}}
{"id":4,"method":"process/write","params":{"processId":"p","chunk":"bGluZSB0d28K","writeId":"c"}}
wait "seq":2,"stream":"stdout"
{"id":5,"method":"process/terminate","params":{"processId":"p"}}
wait process/closed
EOF
	printf "line one\nline two\n" >expect &&
	out log p >actual &&
	test_cmp expect actual &&
	test $(grep -c "^{\"id\":[234],\"result\":{\"status\":\"accepted\"}}$" log) = 3 &&
	events log p | tail -n 2 >ev &&
	printf "exited 3 137\nclosed 4\n" >expect.ev &&
	test_cmp expect.ev ev
'

test_expect_success BASE64 'a repeated writeId is accepted and not written again' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"wd","argv":["/bin/cat"],"cwd":"@CWD@","env":{},"tty":false,"pipeStdin":true}}
{"id":2,"method":"process/write","params":{"processId":"wd","chunk":"b25lCg==","writeId":"w-1"}}
wait b25lCg==
{"id":3,"method":"process/write","params":{"processId":"wd","chunk":"b25lCg==","writeId":"w-1"}}
{"id":4,"method":"process/write","params":{"processId":"wd","chunk":"dHdvCg==","writeId":"w-2"}}
wait dHdvCg==
{"id":5,"method":"process/terminate","params":{"processId":"wd"}}
wait process/closed
EOF
	printf "one\ntwo\n" >expect &&
	out log wd >actual &&
	test_cmp expect actual &&
	test $(grep -c "^{\"id\":[234],\"result\":{\"status\":\"accepted\"}}$" log) = 3
'

test_expect_success BASE64 'the dedup window is the last 4096 writeIds' '
	{
		echo "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"w\",\"argv\":[\"/bin/cat\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false,\"pipeStdin\":true}}" &&
		echo "{\"id\":2,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"YQ==\",\"writeId\":\"first\"}}" &&
		i=0 &&
		while [ $i -lt 4095 ]; do
			echo "{\"id\":3,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"\",\"writeId\":\"id-$i\"}}"
			i=$((i + 1))
		done &&
		echo "{\"id\":4,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"Yg==\",\"writeId\":\"first\"}}" &&
		echo "{\"id\":5,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"\",\"writeId\":\"one-more\"}}" &&
		echo "{\"id\":6,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"Yw==\",\"writeId\":\"first\"}}" &&
		echo "{\"id\":7,\"method\":\"process/write\",\"params\":{\"processId\":\"w\",\"chunk\":\"ZA==\",\"writeId\":\"id-0\"}}" &&
		echo "wait \"id\":7" &&
		echo "sleep 200" &&
		echo "{\"id\":8,\"method\":\"process/terminate\",\"params\":{\"processId\":\"w\"}}" &&
		echo "wait process/closed"
	} >script &&
	rpcs <script >log &&
	printf "acd" >expect &&
	out log w >actual &&
	test_cmp expect actual
'

test_expect_success 'statuses: unknownProcess, stdinClosed, accepted after an exit, an error after terminate' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/write","params":{"processId":"nope","chunk":"aGk=","writeId":"x"}}
{"id":2,"method":"process/start","params":{"processId":"ns","argv":["/bin/sleep","5"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/write","params":{"processId":"ns","chunk":"eA==","writeId":"d"}}
{"id":4,"method":"process/terminate","params":{"processId":"ns"}}
wait "processId":"ns","seq":2
{"id":5,"method":"process/write","params":{"processId":"ns","chunk":"eA==","writeId":"e"}}
{"id":6,"method":"process/start","params":{"processId":"h","argv":["head","-c","3"],"cwd":"@CWD@","env":{},"tty":false,"pipeStdin":true}}
{"id":7,"method":"process/write","params":{"processId":"h","chunk":"YWJj","writeId":"1"}}
wait "processId":"h","seq":3
{"id":8,"method":"process/write","params":{"processId":"h","chunk":"YWJj","writeId":"2"}}
{"id":9,"method":"process/start","params":{"processId":"k","argv":["/bin/cat"],"cwd":"@CWD@","env":{},"tty":false,"pipeStdin":true}}
{"id":10,"method":"process/terminate","params":{"processId":"k"}}
wait "processId":"k","seq":2
{"id":11,"method":"process/write","params":{"processId":"k","chunk":"YWJj","writeId":"1"}}
{"id":12,"method":"process/start","params":{"processId":"t","argv":["/bin/cat"],"cwd":"@CWD@","env":{},"tty":true}}
{"id":13,"method":"process/terminate","params":{"processId":"t"}}
wait "processId":"t","seq":2
{"id":14,"method":"process/write","params":{"processId":"t","chunk":"YWJj","writeId":"1"}}
EOF
	cat >expect <<\EOF &&
{"id":1,"result":{"status":"unknownProcess"}}
{"id":3,"result":{"status":"stdinClosed"}}
{"id":5,"result":{"status":"stdinClosed"}}
{"id":7,"result":{"status":"accepted"}}
{"id":8,"result":{"status":"accepted"}}
{"error":{"code":-32603,"message":"failed to write to process stdin"},"id":11}
{"error":{"code":-32603,"message":"failed to write to process stdin"},"id":14}
EOF
	grep -e "\"status\"" -e "\"code\"" log >actual &&
	test_cmp expect actual
'

test_expect_success 'write params errors: base64, writeId' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/write","params":{"processId":"nope","chunk":"aGk="}}
{"id":2,"method":"process/write","params":{"processId":"nope","chunk":"%%%","writeId":"x"}}
{"id":3,"method":"process/write","params":{"processId":"nope","chunk":"aGk","writeId":"x"}}
{"id":4,"method":"process/write","params":{"processId":"nope","chunk":"aGk=","writeId":""}}
{"id":5,"method":"process/write","params":{"processId":"nope","chunk":"%%%","writeId":""}}
{"id":6,"method":"process/write","params":{"processId":"nope","chunk":5,"writeId":"x"}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"missing field `writeId`"},"id":1}
{"error":{"code":-32602,"message":"Invalid symbol 37, offset 0."},"id":2}
{"error":{"code":-32602,"message":"Invalid padding"},"id":3}
{"error":{"code":-32602,"message":"writeId must not be empty"},"id":4}
{"error":{"code":-32602,"message":"Invalid symbol 37, offset 0."},"id":5}
{"error":{"code":-32602,"message":"invalid type: number, expected a string"},"id":6}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success BASE64,NATIVE 'megabytes to a slow reader: queued, never blocking, delivered byte for byte' '
	head -c 2097152 /dev/urandom >in.bin &&
	{
		echo "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"c\",\"argv\":[\"/bin/sh\",\"-c\",\"sleep 0.5; exec cat\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false,\"pipeStdin\":true}}" &&
		i=0 &&
		while [ $i -lt 32 ]; do
			c=$(dd if=in.bin bs=65536 skip=$i count=1 2>/dev/null | base64 -w0) &&
			echo "{\"id\":2,\"method\":\"process/write\",\"params\":{\"processId\":\"c\",\"chunk\":\"$c\",\"writeId\":\"w$i\"}}" &&
			i=$((i + 1))
		done &&
		echo "{\"id\":3,\"method\":\"environment/status\"}"
	} >script &&
	t0=$(now_ms) &&
	rpcs -q 1500 <script >log &&
	test $(grep -c "^{\"id\":2,\"result\":{\"status\":\"accepted\"}}$" log) = 32 &&
	grep -n "" log | grep -m1 "{\"id\":3,\"result\"" | cut -d: -f1 >n3 &&
	grep -n "" log | grep -m1 "\"processId\":\"c\",\"seq\":1," | cut -d: -f1 >n1 &&
	test "$(cat n3)" -lt "$(cat n1)" &&
	out log c >actual &&
	test_cmp in.bin actual
'

test_done
