#!/bin/sh
test_description='WebSocket authentication (--ws-auth), its command line, and the handshake MUSTs'
. "$(dirname "$0")/tap.sh"

AP="$SRC_DIR/tests/authprobe"
test -x "$AP" || { echo "Bail out! build first: make check-build"; exit 1; }

wait_url() {
	i=0
	while [ $i -lt 100 ] && ! [ -s "$1" ]; do sleep 0.05; i=$((i + 1)); done
	head -n 1 "$1"
}

# serve NAME ARG...: a server with these flags; $url, and kill at the end.
serve() {
	name=$1
	shift
	"$ES" "$@" >"$name.url" 2>"$name.err" &
	echo $! >"$name.pid"
	url=$(wait_url "$name.url")
	test -n "$url"
}
stop() {
	kill "$(cat "$1.pid")" 2>/dev/null
}

# is WANT ARG...: authprobe get ARG...: its status and body, one line.
is() {
	want=$1
	shift
	got=$("$AP" get "$@" | head -n 2 | tr '\n' ' ' | sed 's/ $//')
	echo "authprobe get $*: $got (want $want)"
	test "$got" = "$want"
}

now=$(date +%s)
# jwt CLAIMS [HEADER]: a token signed with the test's secret.
jwt() {
	"$AP" jwt secret "${2:-{\"alg\":\"HS256\",\"typ\":\"JWT\"\}}" "$1"
}

# --- the command line: every error of the reference, its words ---------

cli() {
	test_expect_code 1 "$ES" "$@" 2>err >out &&
	test_must_be_empty out
}
msg() {
	grep -qxF "Error: $1" err || { cat err; false; }
}

test_expect_success 'setup: a token, a secret, files of the wrong kind' '
	printf "  my-secret-token\n" >token && chmod 600 token &&
	printf "0123456789abcdef0123456789abcdef-shared\n" >secret &&
	chmod 600 secret &&
	printf "short-secret\n" >short && chmod 600 short &&
	printf " \n\t\n" >blank && chmod 600 blank &&
	mkdir adir
'

test_expect_success 'auth flags without --ws-auth' '
	cli --ws-token-file token &&
	msg "websocket auth flags require \`--ws-auth capability-token\` or \`--ws-auth signed-bearer-token\`" &&
	cli --ws-max-clock-skew-seconds 5 &&
	msg "websocket auth flags require \`--ws-auth capability-token\` or \`--ws-auth signed-bearer-token\`"
'

test_expect_success 'capability-token: JWT flags, both token forms, neither' '
	cli --ws-auth capability-token --ws-token-file token --ws-issuer x &&
	msg "\`--ws-shared-secret-file\`, \`--ws-issuer\`, \`--ws-audience\`, and \`--ws-max-clock-skew-seconds\` require \`--ws-auth signed-bearer-token\`" &&
	cli --ws-auth capability-token --ws-token-file token --ws-token-sha256 ab &&
	msg "\`--ws-token-file\` and \`--ws-token-sha256\` are mutually exclusive" &&
	cli --ws-auth capability-token &&
	msg "\`--ws-token-file\` or \`--ws-token-sha256\` is required when \`--ws-auth capability-token\` is set"
'

test_expect_success 'capability-token: a digest that is not 64 hex digits' '
	cli --ws-auth capability-token --ws-token-sha256 ab &&
	msg "--ws-token-sha256 must be a 64-character hex SHA-256 digest" &&
	cli --ws-auth capability-token --ws-token-sha256 "$(printf "g%.0s" $(seq 64))" &&
	msg "--ws-token-sha256 must be a 64-character hex SHA-256 digest"
'

test_expect_success 'signed-bearer-token: token flags, no secret, a short or empty one' '
	cli --ws-auth signed-bearer-token --ws-token-file token &&
	msg "\`--ws-token-file\` and \`--ws-token-sha256\` require \`--ws-auth capability-token\`, not \`signed-bearer-token\`" &&
	cli --ws-auth signed-bearer-token &&
	msg "\`--ws-shared-secret-file\` is required when \`--ws-auth signed-bearer-token\` is set" &&
	cli --ws-auth signed-bearer-token --ws-shared-secret-file short &&
	msg "signed websocket bearer secret short must be at least 32 bytes" &&
	cli --ws-auth signed-bearer-token --ws-shared-secret-file blank &&
	msg "websocket auth secret blank must not be empty"
'

test_expect_success 'files that cannot be read, in the reference'"'"'s words' '
	cli --ws-auth capability-token --ws-token-file missing &&
	msg "failed to read websocket auth secret missing: No such file or directory (os error 2)" &&
	cli --ws-auth capability-token --ws-token-file adir &&
	msg "failed to read websocket auth secret adir: Is a directory (os error 21)"
'

test_expect_success 'auth with --listen stdio (exit 1); an unknown mode, a bad skew (usage, exit 2)' '
	cli --ws-auth capability-token --ws-token-file token --listen stdio &&
	msg "WebSocket auth requires a WebSocket listener, not stdio" &&
	test_expect_code 2 "$ES" --ws-auth password 2>err &&
	grep -qxF "exec-server: invalid value \`password\` for --ws-auth; expected \`capability-token\` or \`signed-bearer-token\`" err &&
	grep -q "^usage:" err &&
	test_expect_code 2 "$ES" --ws-auth signed-bearer-token --ws-shared-secret-file secret --ws-max-clock-skew-seconds -1 2>err &&
	grep -qxF "exec-server: invalid --ws-max-clock-skew-seconds \`-1\`; expected whole seconds, at most 1000000000" err
'

test_expect_success 'a secret others can read: a warning, and the server runs' '
	printf "0123456789abcdef0123456789abcdef\n" >open-secret &&
	chmod 644 open-secret &&
	serve warn --ws-auth signed-bearer-token --ws-shared-secret-file open-secret &&
	test_when_finished "stop warn" &&
	grep -q "warning: open-secret can be read by other users (mode 644); chmod 600 it" warn.err
'

test_expect_success 'beyond loopback without --ws-auth: refused, unless accepted' '
	cli --listen ws://0.0.0.0:0 &&
	msg "refusing to listen on \`ws://0.0.0.0:0\` without --ws-auth: anyone who can reach it could run commands as this account; use --ws-auth, or --allow-unauthenticated to accept that" &&
	serve open --listen ws://0.0.0.0:0 --allow-unauthenticated &&
	test_when_finished "stop open" &&
	echo "$url" | grep -q "^ws://0\.0\.0\.0:[1-9]" &&
	serve tokened --listen ws://0.0.0.0:0 --ws-auth capability-token --ws-token-file token &&
	test_when_finished "stop tokened" &&
	test -n "$url"
'

# --- capability-token: protocol.md §3.4, transcript 51 ------------------

test_expect_success 'capability-token (file, trimmed): the 401 table' '
	serve cap --ws-auth capability-token --ws-token-file token &&
	test_when_finished "stop cap" &&
	is "401 missing websocket bearer token" "$url" &&
	is "401 missing websocket bearer token" "$url/?token=my-secret-token" &&
	is "401 invalid authorization header" "$url" "Authorization: Basic Zm9v" &&
	is "401 invalid authorization header" "$url" "Authorization: Bearer" &&
	is "401 invalid authorization header" "$url" "Authorization: Bearer	my-secret-token" &&
	is "401 invalid websocket bearer token" "$url" "Authorization: Bearer wrong" &&
	is "401 invalid websocket bearer token" "$url" "Authorization: Bearer my-secret-token2" &&
	is "101" "$url" "Authorization: Bearer my-secret-token" &&
	is "101" "$url" "Authorization: bearer my-secret-token" &&
	is "101" "$url" "Authorization: BEARER   my-secret-token  " &&
	test_must_be_empty cap.err
'

test_expect_success 'a 401 names the scheme (RFC 7235), a second Authorization is refused' '
	serve cap1 --ws-auth capability-token --ws-token-file token &&
	test_when_finished "stop cap1" &&
	"$AP" get "$url" >out &&
	grep -qi "^www-authenticate: Bearer" out &&
	is "401 invalid authorization header" "$url" "Authorization: Bearer my-secret-token" "Authorization: Bearer my-secret-token"
'

test_expect_success 'capability-token by --ws-token-sha256 (either case)' '
	d=$(printf my-secret-token | sha256sum | cut -d" " -f1) &&
	D=$(echo "$d" | tr a-f A-F) &&
	serve sha --ws-auth capability-token --ws-token-sha256 "$D" &&
	test_when_finished "stop sha" &&
	is "101" "$url" "Authorization: Bearer my-secret-token" &&
	is "401 invalid websocket bearer token" "$url" "Authorization: Bearer $d"
'

test_expect_success '/readyz needs no token; an Origin is 403 before anything' '
	serve cap2 --ws-auth capability-token --ws-token-file token &&
	test_when_finished "stop cap2" &&
	"$AP" get "$url/readyz" | head -n 1 >st &&
	test "$(cat st)" = 200 &&
	is "403 " "$url" "Authorization: Bearer my-secret-token" "Origin: http://evil.example" &&
	is "403 " "$url/readyz" "Origin: null"
'

test_expect_success 'the client tools send a token: --token-file, $EXEC_SERVER_TOKEN' '
	serve cap3 --ws-auth capability-token --ws-token-file token &&
	test_when_finished "stop cap3" &&
	test "$("$SRC_DIR/exec-client" --url "$url" --token-file token /bin/echo hi)" = hi &&
	test "$(EXEC_SERVER_TOKEN=my-secret-token "$SRC_DIR/exec-client" --url "$url" /bin/echo hi)" = hi &&
	test_expect_code 125 "$SRC_DIR/exec-client" --url "$url" /bin/echo hi 2>err &&
	grep -q "401" err &&
	(cd "$SRC_DIR" && ./exec-conformance --url "$url" --token-file "$TRASH/token" \
	    conformance/transcripts/01_initialize_handshake.jsonl) >conf &&
	grep -q "^ok 1" conf
'

# --- signed-bearer-token: transcript 52 and the edges ------------------

test_expect_success 'signed-bearer-token: valid, and the header forms' '
	serve jwt --ws-auth signed-bearer-token --ws-shared-secret-file secret \
	    --ws-issuer test-issuer --ws-audience exec-server &&
	echo "$(cat jwt.pid)" >jwt.keep &&
	C="{\"exp\":$((now + 300)),\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}" &&
	is "101" "$url" "Authorization: Bearer $(jwt "$C")" &&
	is "101" "$url" "Authorization: Bearer $(jwt "$C" "{\"alg\":\"HS256\"}")" &&
	is "101" "$url" "Authorization: bearer $(jwt "$C" "{\"typ\":\"other\",\"alg\":\"HS256\",\"kid\":\"k\"}")"
'
JURL=$(cat "$TRASH/jwt.url" 2>/dev/null)

jis() {
	is "$1" "$JURL" "Authorization: Bearer $2"
}

test_expect_success 'the algorithm: alg none, HS512, no alg, crit: invalid' '
	C="{\"exp\":$((now + 300)),\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}" &&
	t=$(jwt "$C") &&
	jis "401 invalid websocket jwt" "$(jwt "$C" "{\"alg\":\"none\"}" | cut -d. -f1-2)." &&
	jis "401 invalid websocket jwt" "$(jwt "$C" "{\"alg\":\"HS512\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "$C" "{\"typ\":\"JWT\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "$C" "{\"alg\":\"HS256\",\"crit\":[\"exp\"]}")"
'

test_expect_success 'the form: a bad signature, a trailing dot, padding, two or four parts' '
	C="{\"exp\":$((now + 300)),\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}" &&
	t=$(jwt "$C") &&
	s=${t##*.} && hc=${t%.*} &&
	case $s in A*) o=B${s#A} ;; *) o=A${s#?} ;; esac &&
	jis "401 invalid websocket jwt" "$hc.$o" &&
	jis "401 invalid websocket jwt" "$t." &&
	jis "401 invalid websocket jwt" "$t=" &&
	jis "401 invalid websocket jwt" "$hc" &&
	jis "401 invalid websocket jwt" "$t.$s" &&
	jis "401 invalid websocket jwt" "$(echo "$t" | tr -- "-_" "+/")X" &&
	other=$(printf "another-secret-of-32-bytes-or-more\n" >s2 && "$AP" jwt s2 "{\"alg\":\"HS256\"}" "$C") &&
	jis "401 invalid websocket jwt" "$other"
'

test_expect_success 'the claims: exp missing, not an integer, too large; duplicates; not an object' '
	jis "401 invalid websocket jwt" "$(jwt "{\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":$((now + 300)).5,\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":\"$((now + 300))\",\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":18446744073709551616,\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":1,\"exp\":$((now + 300)),\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "[$((now + 300))]")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":$((now + 300)),\"nbf\":\"x\",\"iss\":\"test-issuer\",\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":$((now + 300)),\"iss\":5,\"aud\":\"exec-server\"}")" &&
	jis "401 invalid websocket jwt" "$(jwt "{\"exp\":$((now + 300)),\"iss\":\"test-issuer\",\"aud\":[5,\"exec-server\"]}")"
'

test_expect_success 'exp and nbf around the 30 s skew' '
	# Now, not when the file started: a slow server (valgrind) takes time.
	now=$(date +%s) &&
	a="\"iss\":\"test-issuer\",\"aud\":\"exec-server\"" &&
	jis "101" "$(jwt "{\"exp\":$((now - 20)),$a}")" &&
	jis "401 expired websocket jwt" "$(jwt "{\"exp\":$((now - 40)),$a}")" &&
	jis "401 expired websocket jwt" "$(jwt "{\"exp\":-5,$a}")" &&
	jis "101" "$(jwt "{\"exp\":$((now + 300)),\"nbf\":$((now + 20)),$a}")" &&
	jis "401 websocket jwt is not valid yet" "$(jwt "{\"exp\":$((now + 300)),\"nbf\":$((now + 40)),$a}")" &&
	jis "101" "$(jwt "{\"exp\":$((now + 300)),\"nbf\":null,$a}")"
'

test_expect_success 'issuer and audience (string, array), in the reference'"'"'s order' '
	e="\"exp\":$((now + 300))" &&
	jis "401 websocket jwt issuer mismatch" "$(jwt "{$e,\"iss\":\"other\",\"aud\":\"exec-server\"}")" &&
	jis "401 websocket jwt issuer mismatch" "$(jwt "{$e,\"aud\":\"exec-server\"}")" &&
	jis "401 websocket jwt audience mismatch" "$(jwt "{$e,\"iss\":\"test-issuer\",\"aud\":\"other\"}")" &&
	jis "401 websocket jwt audience mismatch" "$(jwt "{$e,\"iss\":\"test-issuer\"}")" &&
	jis "401 websocket jwt audience mismatch" "$(jwt "{$e,\"iss\":\"test-issuer\",\"aud\":[\"a\",\"b\"]}")" &&
	jis "101" "$(jwt "{$e,\"iss\":\"test-issuer\",\"aud\":[\"a\",\"exec-server\"]}")" &&
	jis "401 expired websocket jwt" "$(jwt "{\"exp\":$((now - 100)),\"iss\":\"x\",\"aud\":\"y\"}")" &&
	jis "401 websocket jwt issuer mismatch" "$(jwt "{$e,\"iss\":\"x\",\"aud\":\"y\"}")"
'

test_expect_success 'skew 0: two seconds late is expired; no issuer or audience set: not checked' '
	stop jwt &&
	serve jwt0 --ws-auth signed-bearer-token --ws-shared-secret-file secret \
	    --ws-max-clock-skew-seconds 0 &&
	test_when_finished "stop jwt0" &&
	is "401 expired websocket jwt" "$url" "Authorization: Bearer $(jwt "{\"exp\":$((now - 2))}")" &&
	is "101" "$url" "Authorization: Bearer $(jwt "{\"exp\":$((now + 300)),\"iss\":\"any\",\"aud\":\"any\"}")"
'

# --- the handshake MUSTs the reference misses ---------------------------

test_expect_success 'RFC 6455 §4.4: a wrong version names 13 in the answer' '
	serve hs &&
	test_when_finished "stop hs" &&
	printf "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n" |
	    "$AP" raw "$url" | tr -d "\r" >ans &&
	head -n 1 ans | grep -q "^HTTP/1.1 400 " &&
	grep -qx "sec-websocket-version: 13" ans &&
	grep -q "did not include .13." ans
'

test_expect_success 'RFC 7230 §5.4: no Host, or two, is 400 (HTTP/1.1); HTTP/1.0 needs none' '
	serve hs2 &&
	test_when_finished "stop hs2" &&
	printf "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n" |
	    "$AP" raw "$url" | tr -d "\r" >ans &&
	head -n 1 ans | grep -q "^HTTP/1.1 400 " && grep -q "missing .Host. header" ans &&
	printf "GET /readyz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" |
	    "$AP" raw "$url" | tr -d "\r" >ans &&
	head -n 1 ans | grep -q "^HTTP/1.1 400 " && grep -q "more than one .Host. header" ans &&
	printf "GET /readyz HTTP/1.0\r\n\r\n" | "$AP" raw "$url" | tr -d "\r" >ans &&
	head -n 1 ans | grep -q "^HTTP/1.0 200 "
'

test_done
