#!/bin/sh
test_description='fs/open, fs/readBlock, fs/writeBlock, fs/close: blocks, eof, modes, scope'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir sub && printf "hello world" >a.txt && mkfifo fifo

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}

test_expect_success 'positional reads; eof only when fewer bytes than asked came back' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"r1","path":"@U@/a.txt"}}
{"id":2,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":5}}
{"id":3,"method":"fs/readBlock","params":{"handleId":"r1","offset":6,"len":1048576}}
{"id":4,"method":"fs/readBlock","params":{"handleId":"r1","offset":1000,"len":5}}
{"id":5,"method":"fs/readBlock","params":{"handleId":"r1","offset":6,"len":5}}
{"id":6,"method":"fs/readBlock","params":{"handleId":"r1","offset":11,"len":1}}
{"id":7,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":12}}
EOF
	ok 1 "{\"handleId\":\"r1\"}" &&
	ok 2 "{\"chunk\":\"aGVsbG8=\",\"eof\":false}" &&
	ok 3 "{\"chunk\":\"d29ybGQ=\",\"eof\":true}" &&
	ok 4 "{\"chunk\":\"\",\"eof\":true}" &&
	ok 5 "{\"chunk\":\"d29ybGQ=\",\"eof\":false}" &&
	ok 6 "{\"chunk\":\"\",\"eof\":true}" &&
	ok 7 "{\"chunk\":\"aGVsbG8gd29ybGQ=\",\"eof\":true}"
'

test_expect_success 'block lengths 1..1048576, both ways' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"r1","path":"@U@/a.txt"}}
{"id":2,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":1048577}}
{"id":3,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":0}}
{"id":4,"method":"fs/readBlock","params":{"handleId":"nope","offset":0,"len":0}}
{"id":5,"method":"fs/open","params":{"handleId":"w1","path":"@U@/w.bin","mode":"replace"}}
{"id":6,"method":"fs/writeBlock","params":{"handleId":"w1","offset":0,"chunk":""}}
{"id":7,"method":"fs/readBlock","params":{"handleId":"r1","offset":-1,"len":1}}
EOF
	err 2 -32600 "file read block length must be between 1 and 1048576" &&
	err 3 -32600 "file read block length must be between 1 and 1048576" &&
	err 4 -32600 "file read block length must be between 1 and 1048576" &&
	err 6 -32600 "file write block length must be between 1 and 1048576" &&
	err 7 -32602 "invalid number"
'

test_expect_success BASE64 'a 1 MiB block is accepted, one byte more is not' '
	head -c 1048576 /dev/urandom >mib && head -c 1048577 /dev/urandom >mib1 &&
	printf "%s\n" \
	    "{\"id\":1,\"method\":\"fs/open\",\"params\":{\"handleId\":\"w\",\"path\":\"@U@/blk\",\"mode\":\"replace\"}}" \
	    "{\"id\":2,\"method\":\"fs/writeBlock\",\"params\":{\"handleId\":\"w\",\"offset\":0,\"chunk\":\"$(b64 mib)\"}}" \
	    "{\"id\":3,\"method\":\"fs/writeBlock\",\"params\":{\"handleId\":\"w\",\"offset\":0,\"chunk\":\"$(b64 mib1)\"}}" \
	    "{\"id\":4,\"method\":\"fs/close\",\"params\":{\"handleId\":\"w\"}}" | fsrpc >log &&
	ok 2 "{}" &&
	err 3 -32600 "file write block length must be between 1 and 1048576" &&
	test_cmp mib blk
'

test_expect_success 'writes are positional, gaps zero-filled; modes are enforced by the kernel' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"w1","path":"@U@/written.bin","mode":"replace"}}
{"id":2,"method":"fs/writeBlock","params":{"handleId":"w1","offset":0,"chunk":"aGVsbG8="}}
{"id":3,"method":"fs/writeBlock","params":{"handleId":"w1","offset":8,"chunk":"d29ybGQ="}}
{"id":4,"method":"fs/open","params":{"handleId":"r1","path":"@U@/a.txt"}}
{"id":5,"method":"fs/writeBlock","params":{"handleId":"r1","offset":0,"chunk":"eA=="}}
{"id":6,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":1}}
{"id":7,"method":"fs/close","params":{"handleId":"w1"}}
{"id":8,"method":"fs/readFile","params":{"path":"@U@/written.bin"}}
EOF
	ok 2 "{}" && ok 3 "{}" &&
	err 5 -32603 "Bad file descriptor (os error 9)" &&
	ok 6 "{\"chunk\":\"aA==\",\"eof\":false}" &&
	ok 8 "{\"dataBase64\":\"aGVsbG8AAAB3b3JsZA==\"}"
'

test_expect_success 'a failed read loses the handle, a failed write does not' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"w1","path":"@U@/w2.bin","mode":"replace"}}
{"id":2,"method":"fs/readBlock","params":{"handleId":"w1","offset":0,"len":4}}
{"id":3,"method":"fs/writeBlock","params":{"handleId":"w1","offset":0,"chunk":"eA=="}}
{"id":4,"method":"fs/open","params":{"handleId":"w2","path":"@U@/w3.bin","mode":"replace"}}
{"id":5,"method":"fs/writeBlock","params":{"handleId":"w2","offset":9223372036854775806,"chunk":"eA=="}}
{"id":6,"method":"fs/writeBlock","params":{"handleId":"w2","offset":0,"chunk":"eA=="}}
{"id":7,"method":"fs/writeBlock","params":{"handleId":"w2","offset":9223372036854775807,"chunk":"eA=="}}
{"id":8,"method":"fs/writeBlock","params":{"handleId":"nope","offset":18446744073709551615,"chunk":"eA=="}}
{"id":9,"method":"fs/open","params":{"handleId":"r1","path":"@U@/a.txt"}}
{"id":10,"method":"fs/readBlock","params":{"handleId":"r1","offset":18446744073709551615,"len":5}}
{"id":11,"method":"fs/readBlock","params":{"handleId":"r1","offset":0,"len":5}}
EOF
	err 2 -32603 "Bad file descriptor (os error 9)" &&
	err 3 -32004 "unknown file handle \`w1\`" &&
	err 5 -32603 "File too large (os error 27)" &&
	ok 6 "{}" &&
	err 7 -32600 "file write range exceeds the signed 64-bit file offset limit" &&
	err 8 -32600 "file write range exceeds the signed 64-bit file offset limit" &&
	err 10 -32600 "Invalid argument (os error 22)" &&
	err 11 -32004 "unknown file handle \`r1\`"
'

test_expect_success 'ids: 32 bytes at most (checked first), unique, close is idempotent' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","path":"@U@/a.txt"}}
{"id":2,"method":"fs/open","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","path":"@U@/a.txt"}}
{"id":3,"method":"fs/open","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","path":"@U@/missing"}}
{"id":4,"method":"fs/open","params":{"handleId":"","path":"@U@/a.txt"}}
{"id":5,"method":"fs/close","params":{"handleId":""}}
{"id":6,"method":"fs/close","params":{"handleId":""}}
{"id":7,"method":"fs/readBlock","params":{"handleId":"","offset":0,"len":5}}
{"id":8,"method":"fs/close","params":{"handleId":"never"}}
{"id":9,"method":"fs/readBlock","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","offset":0,"len":0}}
{"id":10,"method":"fs/writeBlock","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","offset":0,"chunk":""}}
{"id":11,"method":"fs/close","params":{"handleId":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}
{"id":12,"method":"fs/open","params":{"handleId":"éééééééééééééééé","path":"@U@/a.txt"}}
{"id":13,"method":"fs/open","params":{"handleId":"ééééééééééééééééé","path":"@U@/a.txt"}}
EOF
	err 1 -32600 "file handle ID must not exceed 32 bytes" &&
	ok 2 "{\"handleId\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}" &&
	err 3 -32600 "file handle \`xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\` already exists" &&
	ok 4 "{\"handleId\":\"\"}" && ok 5 "{}" && ok 6 "{}" &&
	err 7 -32004 "unknown file handle \`\`" &&
	ok 8 "{}" &&
	err 9 -32600 "file handle ID must not exceed 32 bytes" &&
	err 10 -32600 "file handle ID must not exceed 32 bytes" &&
	err 11 -32600 "file handle ID must not exceed 32 bytes" &&
	ok 12 "{\"handleId\":\"éééééééééééééééé\"}" &&
	err 13 -32600 "file handle ID must not exceed 32 bytes"
'

test_expect_success 'open errors: missing, directory, devices, modes' '
	ln -s made-by-open dangling &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/open","params":{"handleId":"a","path":"@U@/missing"}}
{"id":2,"method":"fs/open","params":{"handleId":"b","path":"@U@/sub"}}
{"id":3,"method":"fs/open","params":{"handleId":"c","path":"@U@/fifo"}}
{"id":4,"method":"fs/open","params":{"handleId":"d","path":"file:///dev/null","mode":"replace"}}
{"id":5,"method":"fs/open","params":{"handleId":"e","path":"@U@/sub","mode":"replace"}}
{"id":6,"method":"fs/open","params":{"handleId":"f","path":"@U@/no-dir/f","mode":"replace"}}
{"id":7,"method":"fs/open","params":{"handleId":"g","path":"@U@/a.txt","mode":"append"}}
{"id":8,"method":"fs/open","params":{"handleId":"h","path":"@U@/a.txt","mode":5}}
{"id":9,"method":"fs/open","params":{"handleId":"i","path":"@U@/dangling","mode":"replace"}}
{"id":10,"method":"fs/open","params":{"handleId":"j","path":"@U@/a.txt","mode":null}}
EOF
	err 1 -32004 "No such file or directory (os error 2)" &&
	err 2 -32600 "path \`@T@/sub\` is not a file" &&
	err 3 -32600 "path \`@T@/fifo\` is not a file" &&
	err 4 -32600 "path \`/dev/null\` is not a file" &&
	err 5 -32603 "Is a directory (os error 21)" &&
	err 6 -32004 "No such file or directory (os error 2)" &&
	err 7 -32602 "unknown variant \`append\`, expected \`read\` or \`replace\`" &&
	err 8 -32602 "invalid type: number, expected string or map" &&
	ok 9 "{\"handleId\":\"i\"}" && test -f made-by-open &&
	err 10 -32602 "invalid type: null, expected string or map"
'

test_expect_success 'handles belong to the connection: not seen by another, closed at its end' '
	ws_start &&
	"$RP" -w "$WS_URL" >log <<EOF &&
init
{"id":1,"method":"fs/open","params":{"handleId":"h","path":"file://$TRASH/a.txt"}}
wait "id":1
connect
init
{"id":2,"method":"fs/readBlock","params":{"handleId":"h","offset":0,"len":5}}
wait "id":2
use 1
{"id":3,"method":"fs/readBlock","params":{"handleId":"h","offset":0,"len":5}}
wait "id":3
EOF
	grep -q "^{\"id\":1,\"result\":{\"handleId\":\"h\"}}$" log &&
	grep -q "^c2 {\"error\":{\"code\":-32004,\"message\":\"unknown file handle \`h\`\"},\"id\":2}$" log &&
	grep -q "^{\"id\":3,\"result\":{\"chunk\":\"aGVsbG8=\",\"eof\":false}}$" log &&
	sleep 0.2 &&
	! ls -l /proc/$WS_PID/fd | grep -q "$TRASH/a.txt"
'

test_done
