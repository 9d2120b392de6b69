#!/bin/sh
test_description='http/request against a local HTTP server: fields, framings, redirects, timeouts, streams, errors'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

HTTPD="$SRC_DIR/tests/httpd"
test -x "$HTTPD" || { echo "Bail out! build first: make check-build"; exit 1; }
test_have_prereq BASE64 || test_skip_all "base64 (coreutils) is missing"

"$HTTPD" "$TRASH/port" 2>"$TRASH/httpd.err" &
HPID=$!
i=0
while ! test -s "$TRASH/port" && test $i -lt 100; do sleep 0.05; i=$((i + 1)); done
P=$(cat "$TRASH/port")
test -n "$P" || { echo "Bail out! tests/httpd did not start"; exit 1; }
U="http://127.0.0.1:$P"

# req ID URL [MORE]: an http/request line; MORE: extra params.
req() {
	printf '{"id":%s,"method":"http/request","params":{"method":"GET","url":"%s","requestId":"r%s"%s}}\n' \
	    "$1" "$2" "$1" "${3:-}"
}
# answers N: a script line that waits for N answers (initialize's
# included), however slow the server (valgrind): better than quiet time.
answers() {
	echo "wait \"id\": $1"
}
# answer LOG ID: the line answering ID.
answer() {
	grep "\"id\":$2[,}]" "$1" | grep -v '"method"'
}
# body LOG ID: its bodyBase64, decoded.
body() {
	answer "$1" "$2" | sed -n 's/.*"bodyBase64":"\([^"]*\)".*/\1/p' | base64 -d
}
# err LOG ID CODE MESSAGE
err() {
	got=$(answer "$1" "$2")
	want="{\"error\":{\"code\":$3,\"message\":\"$4\"},\"id\":$2}"
	test "$got" = "$want" || { echo "got:  $got"; echo "want: $want"; false; }
}
# deltas LOG RID: the streamed body, decoded, checked in seq order.
deltas() {
	grep "\"method\":\"http/request/bodyDelta\",\"params\":{\"requestId\":\"$2\"" "$1" |
	    sed 's/.*"seq":\([0-9]*\),"deltaBase64":"\([^"]*\)".*/\1 \2/' >"$1.d" &&
	awk 'BEGIN { s = 0 } { if ($1 != ++s) { print "seq " $1 " after " s - 1 > "/dev/stderr"; exit 1 } }' "$1.d" &&
	while read -r s d; do printf '%s' "$d" | base64 -d; done <"$1.d"
}

test_expect_success 'GET: status, the body, lower-case header names' '
	{ req 1 "$U/hello.txt"; answers 2; } | rpcs >log &&
	answer log 1 | grep -q "^{\"id\":1,\"result\":{\"status\":200,\"headers\":\[" &&
	answer log 1 | grep -q "{\"name\":\"content-type\",\"value\":\"text/plain\"}" &&
	test "$(body log 1)" = "hello from http"
'

test_expect_success 'POST: the caller'"'"'s fields in order, then accept, host, content-length' '
	req 2 "$U/echo" ",\"method\":\"POST\",\"headers\":[{\"name\":\"X-Test\",\"value\":\"1\"},{\"name\":\"Content-Type\",\"value\":\"text/plain\"}],\"bodyBase64\":\"cG9zdGVkIGJvZHk=\"" |
	    sed "s/\"method\":\"GET\",//" >script && answers 2 >>script &&
	rpcs <script >log &&
	test "$(body log 2)" = "{\"method\": \"POST\", \"path\": \"/echo\", \"headers\": {\"x-test\": \"1\", \"content-type\": \"text/plain\", \"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\", \"content-length\": \"11\"}, \"body\": \"posted body\"}"
'

test_expect_success 'answer fields: names in first-seen order, each name'"'"'s values together (the reference'"'"'s header map)' '
	{ req 3 "$U/headers"; answers 2; } | rpcs >log &&
	answer log 3 | grep -q "\"headers\":\[{\"name\":\"set-cookie\",\"value\":\"a=1\"},{\"name\":\"set-cookie\",\"value\":\"b=2\"},{\"name\":\"x-mixed-case\",\"value\":\"Value One\"}," &&
	test "$(body log 3)" = hi
'

test_expect_success 'HEAD: no body; 204 and 304: none either' '
	{ req 4 "$U/hello.txt" | sed "s/\"GET\"/\"HEAD\"/"
	  req 5 "$U/status/204"
	  req 6 "$U/status/304"; answers 4; } | rpcs >log &&
	answer log 4 | grep -q "\"status\":200,.*\"bodyBase64\":\"\"}}$" &&
	answer log 5 | grep -q "\"status\":204,.*\"bodyBase64\":\"\"}}$" &&
	answer log 6 | grep -q "\"status\":304,.*\"bodyBase64\":\"\"}}$"
'

test_expect_success 'framings: chunked (extensions, trailer), close-delimited, a kept-alive length' '
	{ req 7 "$U/chunked?n=4&size=300"
	  req 8 "$U/close"
	  req 9 "$U/keepalive"; answers 4; } | rpcs >log &&
	test "$(body log 7 | wc -c)" = 1200 && test "$(body log 7 | tr -d c)" = "" &&
	test "$(body log 8)" = "close-delimited body" &&
	test "$(body log 9)" = ka
'

test_expect_success 'redirects: followed, stopped, ten at most' '
	{ req 10 "$U/redirect"
	  req 11 "$U/redirect" ",\"redirectPolicy\":\"stop\""
	  req 12 "$U/redirect-n/9"
	  req 13 "$U/redirect-n/10"
	  req 14 "$U/redirect-loop"
	  req 15 "$U/redirect-abs"; answers 7; } | rpcs >log &&
	test "$(body log 10)" = "hello from http" &&
	answer log 11 | grep -q "\"status\":302,.*{\"name\":\"location\",\"value\":\"/hello.txt\"}.*\"bodyBase64\":\"\"}}$" &&
	test "$(body log 12)" = "hello from http" &&
	err log 13 -32603 "http/request failed: too many redirects" &&
	err log 14 -32603 "http/request failed: too many redirects" &&
	test "$(body log 15)" = "hello from http"
'

test_expect_success 'redirects: 301/303 turn a POST into a GET without body, 307 keeps both' '
	B=",\"headers\":[{\"name\":\"Content-Type\",\"value\":\"text/plain\"}],\"bodyBase64\":\"eA==\"" &&
	{ req 16 "$U/redirect-303" "$B" | sed "s/\"GET\"/\"POST\"/"
	  req 17 "$U/redirect-301" "$B" | sed "s/\"GET\"/\"POST\"/"
	  req 18 "$U/redirect-307" "$B" | sed "s/\"GET\"/\"POST\"/"; answers 4; } | rpcs >log &&
	test "$(body log 16)" = "{\"method\": \"GET\", \"path\": \"/echo\", \"headers\": {\"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\"}, \"body\": \"\"}" &&
	test "$(body log 17)" = "{\"method\": \"GET\", \"path\": \"/echo\", \"headers\": {\"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\"}, \"body\": \"\"}" &&
	test "$(body log 18)" = "{\"method\": \"POST\", \"path\": \"/echo\", \"headers\": {\"content-type\": \"text/plain\", \"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\", \"content-length\": \"1\"}, \"body\": \"x\"}"
'

test_expect_success 'redirects: credentials stay with their origin (localhost to 127.0.0.1)' '
	H=",\"headers\":[{\"name\":\"Authorization\",\"value\":\"Bearer x\"},{\"name\":\"Cookie\",\"value\":\"c=1\"},{\"name\":\"X-Keep\",\"value\":\"k\"}]" &&
	{ req 120 "http://localhost:$P/redirect-abs-echo" "$H"
	  req 121 "http://127.0.0.1:$P/redirect-abs-echo" "$H"; answers 3; } | rpcs >log &&
	test "$(body log 120)" = "{\"method\": \"GET\", \"path\": \"/echo\", \"headers\": {\"x-keep\": \"k\", \"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\"}, \"body\": \"\"}" &&
	test "$(body log 121)" = "{\"method\": \"GET\", \"path\": \"/echo\", \"headers\": {\"authorization\": \"Bearer x\", \"cookie\": \"c=1\", \"x-keep\": \"k\", \"accept\": \"*/*\", \"host\": \"127.0.0.1:$P\"}, \"body\": \"\"}"
'

test_expect_success 'https: refused by name, and a redirect to it' '
	{ req 19 "https://127.0.0.1:$P/x"
	  req 20 "$U/redirect-https"; answers 3; } | rpcs >log &&
	err log 19 -32602 "http/request https URLs are not supported by this server (it has no TLS): use http://, for example through a local TLS proxy" &&
	err log 20 -32603 "http/request failed: a redirect to https (from $U/redirect-https), and this server has no TLS"
'

test_expect_success 'bad params, in the reference'"'"'s words' '
	{ req 21 "$U/" | sed "s/\"GET\"/\"NOT A METHOD\"/"
	  req 22 "ftp://127.0.0.1/x"
	  req 23 "http://"
	  req 24 "not a url"
	  req 25 "http://127.0.0.1:99999/"
	  req 26 "http://1.2.3.4.5/"
	  req 27 "http://[::1/"
	  req 35 "http://\\u034f\\u034f:8/"
	  req 36 "http://a.09/"
	  req 37 "http://xn--zz/"
	  req 28 "$U/" ",\"headers\":[{\"name\":\"bad name\",\"value\":\"1\"}]"
	  req 29 "$U/" ",\"headers\":[{\"name\":\"X\",\"value\":\"a\\r\\nInjected: 1\"}]"
	  req 30 "$U/" ",\"headers\":[{\"name\":\"X\"}]"
	  req 31 "$U/" ",\"redirectPolicy\":\"bogus\""
	  req 32 "$U/" ",\"bodyBase64\":\"!!\""
	  echo "{\"id\":33,\"method\":\"http/request\",\"params\":{\"method\":\"GET\",\"url\":\"$U/\"}}"
	  echo "{\"id\":34,\"method\":\"environment/status\"}"; } | rpcs >log &&
	err log 21 -32602 "http/request method is invalid: invalid HTTP method" &&
	err log 22 -32602 "http/request only supports http and https URLs, got ftp" &&
	err log 23 -32602 "http/request url is invalid: empty host" &&
	err log 24 -32602 "http/request url is invalid: relative URL without a base" &&
	err log 25 -32602 "http/request url is invalid: invalid port number" &&
	err log 26 -32602 "http/request url is invalid: invalid IPv4 address" &&
	err log 27 -32602 "http/request url is invalid: invalid IPv6 address" &&
	err log 35 -32602 "http/request url is invalid: empty host" &&
	err log 36 -32602 "http/request url is invalid: invalid IPv4 address" &&
	err log 37 -32602 "http/request url is invalid: invalid international domain name" &&
	err log 28 -32602 "http/request header name is invalid: invalid HTTP header name" &&
	err log 29 -32602 "http/request header value is invalid for X: failed to parse header value" &&
	err log 30 -32602 "missing field \`value\`" &&
	err log 31 -32602 "unknown variant \`bogus\`, expected \`follow\` or \`stop\`" &&
	err log 32 -32602 "Invalid symbol 33, offset 0." &&
	err log 33 -32602 "missing field \`requestId\`" &&
	answer log 34 | grep -q ready
'

test_expect_success 'timeouts, a refused port, an unknown host: error sending request' '
	{ req 35 "$U/slow" ",\"timeoutMs\":300"
	  req 36 "$U/never" ",\"timeoutMs\":300"
	  req 37 "http://127.0.0.1:1/"
	  req 38 "http://no-such-host.invalid/"
	  req 40 "http://[::FFFF:127.0.0.1]:1/"
	  req 39 "$U/slow" ",\"timeoutMs\":null"; } | rpcs -q 2500 >log &&
	err log 35 -32603 "http/request failed: error sending request for url ($U/slow)" &&
	err log 36 -32603 "http/request failed: error sending request for url ($U/never)" &&
	err log 37 -32603 "http/request failed: error sending request for url (http://127.0.0.1:1/)" &&
	err log 38 -32603 "http/request failed: error sending request for url (http://no-such-host.invalid/)" &&
	err log 40 -32603 "http/request failed: error sending request for url (http://[::ffff:7f00:1]:1/)" &&
	test "$(body log 39)" = slow
'

test_expect_success 'a name is looked up without holding the loop (localhost)' '
	{ req 40 "http://localhost:$P/hello.txt"
	  echo "{\"id\":41,\"method\":\"environment/status\"}"; answers 3; } |
	    rpcs >log &&
	test "$(body log 40)" = "hello from http"
'

test_expect_success NATIVE 'a broken upstream: truncated, not HTTP, bad chunks, a huge head' '
	{ req 42 "$U/broken"
	  req 43 "$U/garbage"
	  req 44 "$U/badchunk"
	  req 45 "$U/hugehead"
	  echo "{\"id\":46,\"method\":\"environment/status\"}"; } | rpcs >log &&
	err log 42 -32603 "failed to read http/request response body: error decoding response body" &&
	err log 43 -32603 "http/request failed: error sending request for url ($U/garbage)" &&
	err log 44 -32603 "failed to read http/request response body: error decoding response body" &&
	err log 45 -32603 "http/request failed: error sending request for url ($U/hugehead)" &&
	answer log 46 | grep -q ready
'

test_expect_success NATIVE 'a body over 64 MiB is refused unless streamed' '
	req 47 "$U/bigbody?mb=65" | rpcs -t 20000 >log &&
	err log 47 -32603 "failed to read http/request response body: a body over 64 MiB (stream it: streamResponse)"
'

test_expect_success 'streams: the answer, then deltas from seq 1, the last one done' '
	{ req 48 "$U/hello.txt" ",\"streamResponse\":true"
	  echo "wait \"requestId\":\"r48\",\"seq\":2"; } | rpcs >log &&
	answer log 48 | grep -q "\"status\":200,.*\"bodyBase64\":\"\"}}$" &&
	grep -q "{\"method\":\"http/request/bodyDelta\",\"params\":{\"requestId\":\"r48\",\"seq\":1,\"deltaBase64\":\"aGVsbG8gZnJvbSBodHRw\",\"done\":false,\"error\":null}}" log &&
	grep -q "{\"method\":\"http/request/bodyDelta\",\"params\":{\"requestId\":\"r48\",\"seq\":2,\"deltaBase64\":\"\",\"done\":true,\"error\":null}}" log
'

test_expect_success 'streams: 3 000 000 bytes whole and in order, no delta over 1 MiB' '
	{ req 49 "$U/big.txt" ",\"streamResponse\":true"
	  echo "wait \"done\":true"; } | rpcs -t 20000 >log &&
	test "$(deltas log r49 | wc -c)" = 3000000 &&
	test "$(deltas log r49 | tr -d z | wc -c)" = 0 &&
	test -z "$(awk "length(\$2) > 1398104" log.d)"
'

test_expect_success 'streams: a requestId already streaming is refused; a broken one ends with its error' '
	{ req 50 "$U/stream?n=4&ms=200" ",\"streamResponse\":true" | sed "s/r50/dup/"
	  req 51 "$U/hello.txt" ",\"streamResponse\":true" | sed "s/r51/dup/"
	  req 52 "$U/broken" ",\"streamResponse\":true"
	  echo "wait \"requestId\":\"dup\",\"seq\":5"; } | rpcs -t 5000 >log &&
	err log 51 -32602 "http/request streamResponse requestId \`dup\` is already active" &&
	test "$(deltas log dup | wc -c)" = 4000 &&
	grep -q "\"requestId\":\"r52\",\"seq\":2,\"deltaBase64\":\"\",\"done\":true,\"error\":\"error decoding response body\"" log
'

test_expect_success 'many at once beside process output, on one connection' '
	{ i=60
	  while test $i -lt 100; do
		req $i "$U/hello.txt"
		i=$((i + 1))
	  done
	  req 100 "$U/slow"
	  echo "{\"id\":101,\"method\":\"process/start\",\"params\":{\"processId\":\"p\",\"argv\":[\"/bin/sh\",\"-c\",\"seq 1 20000\"],\"cwd\":\"@CWD@\",\"env\":{},\"tty\":false}}"
	  echo "wait process/closed"
	  echo "wait \"id\":100,"; } | rpcs -t 10000 >log &&
	test "$(grep -c "\"result\":{\"status\":200,.*\"bodyBase64\":\"aGVsbG8gZnJvbSBodHRw\"" log)" = 40 &&
	test "$(body log 100)" = slow &&
	test "$(out log p | tail -n 1)" = 20000
'

test_expect_success NATIVE 'a client that ends mid-stream: the server ends at once, the upstream is let go' '
	{ req 102 "$U/stream?n=50&ms=100" ",\"streamResponse\":true"
	  echo "wait \"requestId\":\"r102\",\"seq\":2"; } | rpcs -q 0 -t 2000 >log &&
	grep -q "\"requestId\":\"r102\",\"seq\":2" log
'

# Under AddressSanitizer freed memory is held in quarantine (256 MB):
# the server's RSS says nothing there, the bytes still do.
grep -qa __asan_init "$ES" || test_set_prereq UNSANITIZED
rss_below() {
	test_have_prereq UNSANITIZED,NATIVE || return 0
	v=$(awk "/$1/ { print \$2 }" /proc/$SRV/status)
	echo "server $1: $v kB (want below $2)"
	test "$v" -lt "$2"
}

test_expect_success 'a stream to a client that stops reading: the socket stops being read, memory stays bounded, nothing is lost' '
	WS_BARE=1 wsserver &&
	test_when_finished "kill $SP" &&
	{ "$SRC_DIR/tests/fsload" -t 60000 "$URL" hslow "$U/bigbody?mb=256" 2000 >hs.out & } &&
	fl=$! &&
	i=0 &&
	while ! grep -q paused hs.out && test $i -lt 200; do sleep 0.05; i=$((i + 1)); done &&
	sleep 1.5 &&
	rss_below VmRSS 49152 &&
	wait $fl &&
	cat hs.out &&
	grep -q "^ok 268435456 " hs.out &&
	rss_below VmHWM 65536
'

test_expect_success 'cleanup: the fixture' '
	kill $HPID
'

test_done
