#!/bin/sh
test_description='sessions own processes: detach, resume, TTL, retention (WebSocket)'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

# wsrun: run a script on connection 1 (initialized) of the server.
wsrun() {
	sed -e "s|@CWD@|file://$TRASH|g" | "$RP" -i -w "$URL"
}

test_expect_success BASE64 'a dropped connection detaches: processes run on, events are kept, not re-sent' '
	wsserver &&
	wsrun >log <<\EOF &&
{"id":2,"method":"process/start","params":{"processId":"long","argv":["/bin/sh","-c","for i in 1 2 3; do echo tick $i; sleep 0.4; done"],"cwd":"@CWD@","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"short","argv":["/bin/sh","-c","sleep 0.2; echo finished-while-detached"],"cwd":"@CWD@","env":{},"tty":false}}
wait "id":3
drop
sleep 600
connect
resume
{"id":4,"method":"process/read","params":{"processId":"short","afterSeq":0}}
{"id":5,"method":"process/read","params":{"processId":"long","afterSeq":0,"maxBytes":1000}}
wait c2 {"method":"process/closed","params":{"processId":"long"
{"id":6,"method":"process/read","params":{"processId":"long","afterSeq":0}}
wait "id":6
EOF
	grep -q "^c2 {\"id\":0,\"result\":{\"sessionId\":\"$(sed -n "1s/.*\"sessionId\":\"\([^\"]*\)\".*/\1/p" log)\"" log &&
	grep -qx "c2 {\"id\":4,\"result\":{\"chunks\":\[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"ZmluaXNoZWQtd2hpbGUtZGV0YWNoZWQK\"}\],\"nextSeq\":4,\"exited\":true,\"exitCode\":0,\"closed\":true,\"failure\":null,\"sandboxDenied\":false}}" log &&
	grep -q "^c2 {\"id\":5,\"result\":{\"chunks\":\[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"dGljayAxCg==\"},{\"seq\":2," log &&
	! grep -q "^c2 {\"method\":\"process/[a-z]*\",\"params\":{\"processId\":\"short\"" log &&
	! grep -q "^c2 {\"method\":\"process/output\",\"params\":{\"processId\":\"long\",\"seq\":[12]," log &&
	grep -q "^c2 {\"method\":\"process/exited\",\"params\":{\"processId\":\"long\"" log &&
	grep -q "^c2 {\"id\":6,\"result\":{\"chunks\":\[{\"seq\":1,.*{\"seq\":3,.*\"exited\":true,\"exitCode\":0,\"closed\":true," log
'

test_expect_success 'a session is attached to one connection at a time; bad ids are refused' '
	wsserver &&
	wsrun >log <<\EOF &&
wait "sessionId"
connect
resume
wait c2 {"error"
connect
{"id":1,"method":"initialize","params":{"clientName":"x","resumeSessionId":"bogus"}}
{"id":2,"method":"initialize","params":{"clientName":"x","resumeSessionId":null}}
wait c3 {"id":2
EOF
	sid=$(sed -n "1s/.*\"sessionId\":\"\([^\"]*\)\".*/\1/p" log) &&
	grep -qx "c2 {\"error\":{\"code\":-32010,\"message\":\"session $sid is already attached to another connection\"},\"id\":0}" log &&
	grep -qx "c3 {\"error\":{\"code\":-32600,\"message\":\"unknown session id bogus\"},\"id\":1}" log &&
	grep -q "^c3 {\"id\":2,\"result\":{\"sessionId\":\"" log &&
	! grep -q "^c3 {\"id\":2,\"result\":{\"sessionId\":\"$sid\"" log
'

test_expect_success BASE64 'the detach TTL ends the session and kills its process groups' '
	wsserver --session-ttl 1 &&
	wsrun >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"orphan","argv":["/bin/sh","-c","sleep 600 & echo $! $$; wait"],"cwd":"file:///","env":{},"tty":false}}
wait "processId":"orphan","seq":1
drop
sleep 500
connect
resume
{"id":2,"method":"process/read","params":{"processId":"orphan"}}
wait c2 {"id":2
drop
sleep 1600
connect
resume
wait c3 {"error"
EOF
	pids=$(out log orphan) &&
	sid=$(sed -n "1s/.*\"sessionId\":\"\([^\"]*\)\".*/\1/p" log) &&
	grep -q "^c2 {\"id\":2,\"result\":{\"chunks\":\[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"[^\"]*\"}\],\"nextSeq\":2,\"exited\":false," log &&
	grep -qx "c3 {\"error\":{\"code\":-32600,\"message\":\"unknown session id $sid\"},\"id\":0}" log &&
	for p in $pids; do ! alive $p || exit 1; done
'

test_expect_success 'a closed process stays readable for the TTL, then its id is free' '
	wsserver --session-ttl 1 &&
	wsrun >log <<\EOF &&
{"id":2,"method":"process/start","params":{"processId":"ret","argv":["/bin/echo","bye"],"cwd":"file:///","env":{},"tty":false}}
wait process/closed
{"id":3,"method":"process/read","params":{"processId":"ret"}}
sleep 500
{"id":4,"method":"process/read","params":{"processId":"ret"}}
{"id":5,"method":"process/start","params":{"processId":"ret","argv":["/bin/echo","again"],"cwd":"file:///","env":{},"tty":false}}
sleep 800
{"id":6,"method":"process/read","params":{"processId":"ret"}}
{"id":7,"method":"process/start","params":{"processId":"ret","argv":["/bin/echo","again"],"cwd":"file:///","env":{},"tty":false}}
wait process/closed 2
EOF
	R="{\"chunks\":[{\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"YnllCg==\"}],\"nextSeq\":4,\"exited\":true,\"exitCode\":0,\"closed\":true,\"failure\":null,\"sandboxDenied\":false}" &&
	grep -qxF "{\"id\":3,\"result\":$R}" log &&
	grep -qxF "{\"id\":4,\"result\":$R}" log &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"process ret already exists\"},\"id\":5}" log &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"unknown process id ret\"},\"id\":6}" log &&
	grep -qx "{\"method\":\"process/output\",\"params\":{\"processId\":\"ret\",\"seq\":1,\"stream\":\"stdout\",\"chunk\":\"YWdhaW4K\"}}" log
'

test_expect_success 'processes are per session: another session sees none of them' '
	wsserver &&
	wsrun >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"mine","argv":["sleep","30"],"cwd":"file:///","env":{},"tty":false}}
wait "id":1
connect
init
{"id":2,"method":"process/read","params":{"processId":"mine"}}
{"id":3,"method":"process/terminate","params":{"processId":"mine"}}
{"id":4,"method":"process/write","params":{"processId":"mine","chunk":"","writeId":"x"}}
wait c2 {"id":4
use 1
{"id":5,"method":"process/terminate","params":{"processId":"mine"}}
wait process/closed
EOF
	grep -qx "c2 {\"error\":{\"code\":-32600,\"message\":\"unknown process id mine\"},\"id\":2}" log &&
	grep -qx "c2 {\"id\":3,\"result\":{\"running\":false}}" log &&
	grep -qx "c2 {\"id\":4,\"result\":{\"status\":\"unknownProcess\"}}" log &&
	grep -qx "{\"id\":5,\"result\":{\"running\":true}}" log
'

test_expect_success NATIVE 'a session holds at most 1024 processes, retained ones included' '
	i=0 &&
	while [ $i -lt 1025 ]; do
		printf "{\"id\":%d,\"method\":\"process/start\",\"params\":{\"processId\":\"p%d\",\"argv\":[\"/bin/true\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false}}\n" $((i + 10)) $i
		i=$((i + 1))
	done >script &&
	echo "wait \"id\":1034}" >>script &&
	rpcs <script >log &&
	test $(grep -c "\"sandboxType\":\"none\"" log) = 1024 &&
	grep -q "^{\"error\":{\"code\":-32600,\"message\":\"too many processes" log &&
	grep "\"id\":1034}$" log | grep -q "too many processes"
'

# Stop the servers still running (and only them: pids are checked).
for p in $(cat "$TRASH/servers" 2>/dev/null); do
	grep -q exec-server /proc/$p/cmdline 2>/dev/null && kill $p
done
test_done
