#!/bin/sh
test_description='fs/watchMissing and fs/missingChanged: ids, arming, firing once, the right path'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir -p p q w/c && echo x >afile && ln -s nowhere dl && : >exists.txt

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
fired() {
	grep -c "^{\"method\":\"fs/missingChanged\",\"params\":{\"watchId\":$1}}$" log
}
# seen TEXT FILE: wait (30 s at most) until rpcpipe has written a line
# with TEXT, so that a touch comes after the watch is armed, however slow
# the server (valgrind).
seen() {
	i=0
	while ! grep -qF "$1" "$2" 2>/dev/null && test $i -lt 300; do
		sleep 0.1
		i=$((i + 1))
	done
}

test_expect_success 'ids must grow from 0; a stale id changes nothing; empty or present paths do not arm' '
	fsrpc >log <<\EOF &&
{"id":4,"method":"fs/watchMissing","params":{"watchId":0,"missing":["@U@/q/a.txt"]}}
{"id":1,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/q/a.txt"]}}
{"id":2,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/q/b.txt"]}}
{"id":3,"method":"fs/watchMissing","params":{"watchId":0,"missing":["@U@/q/b.txt"]}}
wait "id":3
EOF
	ok 4 "{\"watching\":false}" &&
	ok 1 "{\"watching\":true}" && ok 2 "{\"watching\":false}" && ok 3 "{\"watching\":false}" &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/watchMissing","params":{"watchId":5,"missing":[]}}
{"id":2,"method":"fs/watchMissing","params":{"watchId":6,"missing":["@U@/exists.txt","@U@/q/f.txt"]}}
{"id":3,"method":"fs/watchMissing","params":{"watchId":7,"missing":["@U@/dl"]}}
{"id":4,"method":"fs/watchMissing","params":{"watchId":8,"missing":["@U@/afile/y"]}}
{"id":5,"method":"fs/watchMissing","params":{"watchId":9,"missing":["file://host/x"]}}
{"id":6,"method":"fs/watchMissing","params":{"watchId":10,"missing":["file:///"]}}
{"id":7,"method":"fs/watchMissing","params":{"watchId":"w","missing":[]}}
{"id":8,"method":"fs/watchMissing","params":{"watchId":11,"missing":["/not/a/uri"]}}
{"id":9,"method":"fs/watchMissing","params":{"watchId":12,"missing":null}}
EOF
	for i in 1 2 3 4 5 6; do ok $i "{\"watching\":false}" || return 1; done &&
	expect_answer log 7 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: string \\\"w\\\", expected u64\"},\"id\":7}" &&
	expect_answer log 8 "{\"error\":{\"code\":-32602,\"message\":\"invalid URI: relative URL without a base\"},\"id\":8}" &&
	expect_answer log 9 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: null, expected a sequence\"},\"id\":9}"
'

test_expect_success 'fires once when the path appears, not for other names' '
	{ sed "s|@U@|file://$TRASH|g" <<\EOF
{"id":1,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/q/m"]}}
wait "id":1
EOF
	  seen "\"id\":1" log; touch q/r; echo x >>q/r; rm q/r; touch q/other q/m.txt; mkdir q/mm
	  echo "sleep 300"; sleep 0.5; touch q/m; echo "wait missingChanged"
	  sleep 0.2; rm q/m; touch q/m; echo "sleep 300"; } | "$RP" -i "$ES" --listen stdio >log &&
	ok 1 "{\"watching\":true}" &&
	test "$(fired 1)" -eq 1
'

test_expect_success 'no fire for other names in the directory' '
	{ sed "s|@U@|file://$TRASH|g" <<\EOF
{"id":1,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/q/never"]}}
wait "id":1
EOF
	  sleep 0.3; touch q/r; echo x >>q/r; chmod 600 q/r; rm q/r
	  touch q/other2 q/never.txt q/neve; mkdir q/nevermore; echo "sleep 400"; } |
	    "$RP" -i "$ES" --listen stdio >log &&
	test "$(fired 1)" -eq 0
'

test_expect_success 'the first missing ancestor: created, or its directory touched or removed' '
	{ sed "s|@U@|file://$TRASH|g" <<\EOF
{"id":1,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/p/x/y/z"]}}
wait "id":1
EOF
	  seen "\"id\":1," log4; mkdir p/x; echo "wait missingChanged"
	  echo "{\"id\":2,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":2,\"missing\":[\"file://$TRASH/w/c/e\"]}}"
	  echo "wait \"id\":2"; seen "\"id\":2," log4; touch w/c/e.tmp; sleep 0.3
	  chmod 700 w/c; echo "wait missingChanged 2"
	  echo "{\"id\":3,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":3,\"missing\":[\"file://$TRASH/w/c/e\"]}}"
	  echo "wait \"id\":3"; seen "\"id\":3," log4; rm -rf w/c; echo "wait missingChanged 3"
	  echo "{\"id\":4,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":4,\"missing\":[\"file://$TRASH/w/c/e\"]}}"
	  echo "wait \"id\":4"; seen "\"id\":4," log4; mkdir w/c; echo "wait missingChanged 4"; } |
	    "$RP" -i "$ES" --listen stdio >log4 && cp log4 log &&
	test "$(fired 1)" -eq 1 && test "$(fired 2)" -eq 1 &&
	test "$(fired 3)" -eq 1 && test "$(fired 4)" -eq 1 &&
	grep -n "missingChanged\|\"id\":[1-4]," log | cut -d: -f2- >order &&
	cat >expect <<\EOF &&
{"id":1,"result":{"watching":true}}
{"method":"fs/missingChanged","params":{"watchId":1}}
{"id":2,"result":{"watching":true}}
{"method":"fs/missingChanged","params":{"watchId":2}}
{"id":3,"result":{"watching":true}}
{"method":"fs/missingChanged","params":{"watchId":3}}
{"id":4,"result":{"watching":true}}
{"method":"fs/missingChanged","params":{"watchId":4}}
EOF
	test_cmp expect order
'

test_expect_success 'a newer id cancels the armed watch; several paths fire once' '
	{ sed "s|@U@|file://$TRASH|g" <<\EOF
{"id":1,"method":"fs/watchMissing","params":{"watchId":10,"missing":["@U@/q/n3"]}}
{"id":2,"method":"fs/watchMissing","params":{"watchId":18446744073709551615,"missing":["@U@/q/n4","@U@/q/n5"]}}
wait "id":2
EOF
	  seen "\"id\":2" log; touch q/n3; echo "sleep 200"; touch q/n5; echo "wait missingChanged"
	  touch q/n4; echo "sleep 300"; } | "$RP" -i "$ES" --listen stdio >log &&
	test "$(fired 10)" -eq 0 &&
	test "$(fired 18446744073709551615)" -eq 1
'

test_expect_success 'watches are per connection, and die with it' '
	ws_start &&
	{ echo init
	  echo "{\"id\":1,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":5,\"missing\":[\"file://$TRASH/q/c1\"]}}"
	  echo "wait \"id\":1"; echo connect; echo init
	  echo "{\"id\":2,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":1,\"missing\":[\"file://$TRASH/q/c2\"]}}"
	  echo "wait \"id\":2"; seen "c2 {\"id\":2" log; touch q/c2; echo "wait missingChanged"
	  echo drop; echo use 1; sleep 0.2; touch q/c1; echo "wait missingChanged 2"; } |
	    "$RP" -w "$WS_URL" >log &&
	grep -q "^{\"id\":1,\"result\":{\"watching\":true}}$" log &&
	grep -q "^c2 {\"id\":2,\"result\":{\"watching\":true}}$" log &&
	grep -q "^c2 {\"method\":\"fs/missingChanged\",\"params\":{\"watchId\":1}}$" log &&
	grep -q "^{\"method\":\"fs/missingChanged\",\"params\":{\"watchId\":5}}$" log &&
	{ echo init
	  echo "{\"id\":1,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":1,\"missing\":[\"file://$TRASH/q/c3\"]}}"
	  echo "wait \"id\":1"; echo drop; echo connect; echo init
	  echo "{\"id\":2,\"method\":\"fs/watchMissing\",\"params\":{\"watchId\":1,\"missing\":[]}}"
	  echo "wait \"id\":2"; seen "c2 {\"id\":2" log2; touch q/c3; echo "sleep 300"; } |
	    "$RP" -w "$WS_URL" >log2 &&
	grep -q "^c2 {\"id\":2,\"result\":{\"watching\":false}}$" log2 &&
	! grep -q missingChanged log2
'

test_done
