#!/bin/sh
test_description='file:// URIs: parsing, normalisation, rejections, and the URIs the server sends'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

mkdir -p sub && printf hello >a.txt && printf x >"sp ace" && printf y >"a%b"

test_expect_success 'percent-escapes are decoded, also in dot segments' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/a%2Etxt"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@/%61.txt"}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/sp%20ace"}}
{"id":4,"method":"fs/readFile","params":{"path":"@U@/a%25b"}}
{"id":5,"method":"fs/readFile","params":{"path":"@U@/sub/%2e%2E/a.txt"}}
{"id":6,"method":"fs/readFile","params":{"path":"@U@/sp ace"}}
EOF
	expect_answer log 1 "{\"id\":1,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}" &&
	expect_answer log 2 "{\"id\":2,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}" &&
	expect_answer log 3 "{\"id\":3,\"result\":{\"dataBase64\":\"eA==\"}}" &&
	expect_answer log 4 "{\"id\":4,\"result\":{\"dataBase64\":\"eQ==\"}}" &&
	expect_answer log 5 "{\"id\":5,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}" &&
	expect_answer log 6 "{\"id\":6,\"result\":{\"dataBase64\":\"eA==\"}}"
'

test_expect_success 'WHATWG spellings: FILE:, file:/x, blanks, tabs, backslashes, localhost' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"FILE://@T@/a.txt"}}
{"id":2,"method":"fs/readFile","params":{"path":"file:@T@/a.txt"}}
{"id":3,"method":"fs/readFile","params":{"path":"  file://@T@/a.txt  "}}
{"id":4,"method":"fs/readFile","params":{"path":"file://@T@/a.\ttxt"}}
{"id":5,"method":"fs/readFile","params":{"path":"file://localhost@T@/a.txt"}}
{"id":6,"method":"fs/readFile","params":{"path":"file://LocalHost@T@/a.txt"}}
{"id":7,"method":"fs/readFile","params":{"path":"file://@T@/./sub/../a.txt"}}
EOF
	for i in 1 2 3 4 5 6 7; do
		expect_answer log $i "{\"id\":$i,\"result\":{\"dataBase64\":\"aGVsbG8=\"}}" || return 1
	done
'

test_expect_success 'the host path is normalised: "//", ".", a trailing "/", decoded ".."' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/sp%20ace/"}}
{"id":2,"method":"fs/readFile","params":{"path":"@U@//sub/"}}
{"id":3,"method":"fs/readFile","params":{"path":"@U@/a.txt%2F..%2Fsub"}}
{"id":4,"method":"fs/readFile","params":{"path":"file:///../..@T@/sub/."}}
{"id":5,"method":"fs/readFile","params":{"path":"@U@/sub%2F.%2F%2F"}}
EOF
	expect_answer log 1 "{\"id\":1,\"result\":{\"dataBase64\":\"eA==\"}}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32600,\"message\":\"path \`@T@/sub\` is not a file\"},\"id\":2}" &&
	expect_answer log 3 "{\"error\":{\"code\":-32600,\"message\":\"path \`@T@/sub\` is not a file\"},\"id\":3}" &&
	expect_answer log 4 "{\"error\":{\"code\":-32600,\"message\":\"path \`@T@/sub\` is not a file\"},\"id\":4}" &&
	expect_answer log 5 "{\"error\":{\"code\":-32600,\"message\":\"path \`@T@/sub\` is not a file\"},\"id\":5}"
'

test_expect_success 'relative strings and other schemes: -32602' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"@T@/a.txt"}}
{"id":2,"method":"fs/readFile","params":{"path":""}}
{"id":3,"method":"fs/readFile","params":{"path":"http://example.com/a"}}
{"id":4,"method":"fs/readFile","params":{"path":"data:text/plain,hi"}}
{"id":5,"method":"fs/readFile","params":{"path":"@U@/a.txt?q=1"}}
{"id":6,"method":"fs/readFile","params":{"path":"@U@/a.txt#frag"}}
{"id":7,"method":"fs/readFile","params":{"path":"file:///x%00y"}}
EOF
	expect_answer log 1 "{\"error\":{\"code\":-32602,\"message\":\"invalid URI: relative URL without a base\"},\"id\":1}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32602,\"message\":\"invalid URI: relative URL without a base\"},\"id\":2}" &&
	expect_answer log 3 "{\"error\":{\"code\":-32602,\"message\":\"unsupported path URI scheme \`http\`\"},\"id\":3}" &&
	expect_answer log 4 "{\"error\":{\"code\":-32602,\"message\":\"unsupported path URI scheme \`data\`\"},\"id\":4}" &&
	expect_answer log 5 "{\"error\":{\"code\":-32602,\"message\":\"query parameters are not allowed in path URIs\"},\"id\":5}" &&
	expect_answer log 6 "{\"error\":{\"code\":-32602,\"message\":\"fragments are not allowed in path URIs\"},\"id\":6}" &&
	expect_answer log 7 "{\"error\":{\"code\":-32602,\"message\":\"'"'"'file:///x%00y'"'"' is invalid on '"'"'linux'"'"'\"},\"id\":7}"
'

test_expect_success 'a host other than localhost, or a drive letter: -32600' '
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"file://host/tmp/x"}}
{"id":2,"method":"fs/readFile","params":{"path":"file://HOST/tmp/./x"}}
{"id":3,"method":"fs/readFile","params":{"path":"file:///C:/x"}}
EOF
	expect_answer log 1 "{\"error\":{\"code\":-32600,\"message\":\"'"'"'file://host/tmp/x'"'"' is invalid on '"'"'linux'"'"'\"},\"id\":1}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32600,\"message\":\"'"'"'file://host/tmp/x'"'"' is invalid on '"'"'linux'"'"'\"},\"id\":2}" &&
	expect_answer log 3 "{\"error\":{\"code\":-32600,\"message\":\"'"'"'file:///C:/x'"'"' is invalid on '"'"'linux'"'"'\"},\"id\":3}"
'

test_expect_success 'URI errors are params errors: reported before the initialize gate' '
	"$RP" "$ES" --listen stdio >log <<\EOF &&
{"id":1,"method":"fs/readFile","params":{"path":"/x"}}
{"id":2,"method":"fs/readFile","params":{"path":"file://host/x"}}
{"id":3,"method":"fs/readFile","params":{"followSymlinks":"no","path":"/x"}}
EOF
	expect_answer log 1 "{\"error\":{\"code\":-32602,\"message\":\"invalid URI: relative URL without a base\"},\"id\":1}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32600,\"message\":\"client must call initialize before using filesystem methods\"},\"id\":2}" &&
	expect_answer log 3 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: string \\\"no\\\", expected a boolean\"},\"id\":3}"
'

test_expect_success 'URIs sent back are percent-encoded like the reference' '
	mkdir odd &&
	for n in "sp ace" "pc%t" "ha#sh" "q?m" "é" "qu'"'"'o" "dq\"x" "back\\slash" \
	    "pi|pe^[]{}<>\`;=@&\$+,!~*()" "$(printf "\001ctl")" "a:b"; do
		: >"odd/$n" || return 1
	done &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"fs/walk","params":{"path":"@U@/odd","options":{"maxDepth":0,"maxDirectories":1,"maxEntries":100,"followDirectorySymlinks":false}}}
{"id":2,"method":"fs/canonicalize","params":{"path":"@U@/odd/back%5Cslash"}}
EOF
	answer log 1 | sed "s|$TRASH|@T@|g" >actual &&
	cat >expect <<\EOF &&
{"id":1,"result":{"entries":[{"path":"file://@T@/odd/%01ctl","kind":"file"},{"path":"file://@T@/odd/a:b","kind":"file"},{"path":"file://@T@/odd/back%5Cslash","kind":"file"},{"path":"file://@T@/odd/dq%22x","kind":"file"},{"path":"file://@T@/odd/ha%23sh","kind":"file"},{"path":"file://@T@/odd/pc%25t","kind":"file"},{"path":"file://@T@/odd/pi|pe^[]%7B%7D%3C%3E%60;=@&$+,!~*()","kind":"file"},{"path":"file://@T@/odd/q%3Fm","kind":"file"},{"path":"file://@T@/odd/qu'"'"'o","kind":"file"},{"path":"file://@T@/odd/sp%20ace","kind":"file"},{"path":"file://@T@/odd/%C3%A9","kind":"file"}],"errors":[],"truncated":false}}
EOF
	test_cmp expect actual &&
	expect_answer log 2 "{\"id\":2,\"result\":{\"path\":\"file://@T@/odd/back%5Cslash\"}}"
'

test_done
