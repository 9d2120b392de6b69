#!/bin/sh
test_description='processes at scale and at the end: big outputs, many children, shutdown, leaks, flow control'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success BASE64 '3 MB of random output arrives byte for byte, in chunks of at most 8 KiB' '
	head -c 3000000 /dev/urandom >big &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"big","argv":["cat","@TRASH@/big"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	out log big stdout >got &&
	test_cmp big got &&
	chunks_of log big | awk "length(\$0) > 10924 { bad = 1 } END { exit bad }" &&
	events log big | cut -d" " -f2 >seqs &&
	n=$(wc -l <seqs) &&
	seq 1 "$n" >expect.seqs &&
	test_cmp expect.seqs seqs &&
	events log big | tail -n 1 | grep -qx "closed $n"
'

test_expect_success BASE64 'stdout and stderr of a big writer interleave without loss' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"two","argv":["/bin/sh","-c","head -c 1500000 /dev/zero | tr \"\\000\" o & head -c 1200000 /dev/zero | tr \"\\000\" e >&2; wait"],"cwd":"@CWD@","env":{},"tty":false}}
wait process/closed
EOF
	test "$(out log two stdout | wc -c)" = 1500000 &&
	test "$(out log two stderr | wc -c)" = 1200000 &&
	test "$(out log two stdout | tr -d o | wc -c)" = 0
'

test_expect_success BASE64 '50 processes at once, each with its own output and exit code' '
	i=0 &&
	while [ $i -lt 50 ]; do
		echo "{\"id\":$i,\"method\":\"process/start\",\"params\":{\"processId\":\"p$i\",\"argv\":[\"/bin/sh\",\"-c\",\"sleep 0.3; echo out-$i; exit $((i % 7))\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":$( [ $((i % 5)) = 0 ] && echo true || echo false)}}"
		i=$((i + 1))
	done >script &&
	echo "wait process/closed 50" >>script &&
	rpcs <script >log &&
	i=0 &&
	while [ $i -lt 50 ]; do
		if [ $((i % 5)) = 0 ]; then
			printf "out-%d\r\n" $i >expect
		else
			printf "out-%d\n" $i >expect
		fi &&
		out log p$i >actual &&
		test_cmp expect actual &&
		events log p$i | grep -qx "exited [0-9]* $((i % 7))" || exit 1
		i=$((i + 1))
	done
'

test_expect_success BASE64 'stdio EOF kills every process group and the server exits 0' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/sh","-c","sleep 300 & echo $! $$; wait"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"b","argv":["/bin/sh","-c","echo $$; exec sleep 300"],"cwd":"@CWD@","env":{},"tty":true}}
wait "processId":"b","seq":1
wait "processId":"a","seq":1
eof
EOF
	pids="$(out log a) $(out log b | tr -d "\r")" &&
	test $(echo $pids | wc -w) = 3 &&
	sleep 0.2 &&
	for p in $pids; do ! alive $p || exit 1; done
'

test_expect_success BASE64 'SIGTERM kills every process group and the server exits 0' '
	WS_BARE=1 wsserver &&
	"$RP" -i -w "$URL" >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/sh","-c","sleep 300 & echo $! $$; wait"],"cwd":"file:///","env":{},"tty":false}}
wait "processId":"a","seq":1
EOF
	pids=$(out log a) &&
	for p in $pids; do alive $p || exit 1; done &&
	kill -TERM $SP &&
	wait $SP &&
	sleep 0.1 &&
	for p in $pids; do ! alive $p || exit 1; done
'

test_expect_success BASE64 'SIGINT too' '
	WS_BARE=1 wsserver &&
	"$RP" -i -w "$URL" >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/sh","-c","echo $$; exec sleep 300"],"cwd":"file:///","env":{},"tty":true}}
wait "processId":"a","seq":1
EOF
	pid=$(out log a | tr -d "\r") &&
	alive $pid &&
	kill -INT $SP &&
	wait $SP &&
	sleep 0.1 &&
	! alive $pid
'

test_expect_success NATIVE 'no zombie and no descriptor left behind after 150 processes' '
	wsserver &&
	before=$(ls /proc/$SRV/fd | wc -l) &&
	i=0 &&
	while [ $i -lt 50 ]; do
		echo "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"p$i\",\"argv\":[\"/bin/sh\",\"-c\",\"echo $i; echo $i >&2\"],\"cwd\":\"file:///\",\"env\":{},\"tty\":false,\"pipeStdin\":true}}"
		echo "{\"id\":2,\"method\":\"process/start\",\"params\":{\"processId\":\"t$i\",\"argv\":[\"/bin/echo\",\"$i\"],\"cwd\":\"file:///\",\"env\":{},\"tty\":true}}"
		echo "{\"id\":3,\"method\":\"process/start\",\"params\":{\"processId\":\"k$i\",\"argv\":[\"/bin/sleep\",\"30\"],\"cwd\":\"file:///\",\"env\":{},\"tty\":false}}"
		echo "{\"id\":4,\"method\":\"process/terminate\",\"params\":{\"processId\":\"k$i\"}}"
		echo "{\"id\":5,\"method\":\"process/start\",\"params\":{\"processId\":\"x$i\",\"argv\":[\"/nonexistent\"],\"cwd\":\"file:///\",\"env\":{},\"tty\":false}}"
		i=$((i + 1))
	done >script &&
	echo "wait process/closed 150" >>script &&
	"$RP" -i -w "$URL" <script >log &&
	test $(grep -c "\"code\":-32603" log) = 50 &&
	i=0 &&
	while after=$(ls /proc/$SRV/fd | wc -l) && test "$after" != "$before" &&
	    test $i -lt 40; do
		sleep 0.05
		i=$((i + 1))
	done &&
	test "$after" = "$before" &&
	! ps -o stat= --ppid $SRV | grep -q Z
'

test_expect_success BASE64,NATIVE 'a client that stops reading stalls the children, not the server memory' '
	{
		printf "%s\n" "{\"id\":0,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" \
		    "{\"method\":\"initialized\"}" \
		    "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"y\",\"argv\":[\"/bin/sh\",\"-c\",\"head -c 60000000 /dev/zero; echo \$\$ >&2\"],\"cwd\":\"file:///\",\"env\":{},\"tty\":false}}" &&
		i=0 &&
		while ! test -f done && test $i -lt 600; do
			sleep 0.1
			i=$((i + 1))
		done
	} | sh -c "echo \$\$ >server.pid; exec \"$ES\" --listen stdio" 2>server.err | {
		sleep 1 &&
		pid=$(cat server.pid) &&
		i=0 &&
		while test "$(ps -o pid= --ppid $pid | wc -l)" = 0 && test $i -lt 100; do
			sleep 0.1
			i=$((i + 1))
		done &&
		sleep 1 &&
		grep VmRSS /proc/$pid/status | awk "{ print \$2 }" >rss &&
		ps -o pid= --ppid $pid | wc -l >children &&
		awk "{ print > \"log\" } /\"method\":\"process\/closed\"/ { system(\"touch done\") }"
	} &&
	test "$(cat rss)" -lt 65536 &&
	test "$(cat children)" = 1 &&
	test "$(outlen log y)" -ge 60000000 &&
	grep -q "\"method\":\"process/closed\",\"params\":{\"processId\":\"y\"" log
'

# Stop the servers still running (and only them: pids are checked).
for p in $(cat "$TRASH/servers" 2>/dev/null); do
	grep -q exec-server /proc/$p/cmdline 2>/dev/null && kill $p
done
test_done
