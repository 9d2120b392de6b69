#!/bin/sh
test_description='JSON-RPC envelope and the initialize gate, over stdio'
. "$(dirname "$0")/tap.sh"


# rpc FILE: send the lines of FILE to a stdio server, keep stdin open
# briefly so every answer arrives, and print the answers.
rpc() {
	{ cat "$1"; sleep 0.3; } | "$ES" --listen stdio
}

INIT='{"id":1,"method":"initialize","params":{"clientName":"t"}}'
INITD='{"method":"initialized"}'

test_expect_success 'initialize answers a v4 session id and environmentInfo' '
	echo "$INIT" >in &&
	rpc in >out &&
	grep -Eq "^\{\"id\":1,\"result\":\{\"sessionId\":\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\",\"environmentInfo\":\{\"shell\":" out
'

test_expect_success 'environmentInfo tells the truth about this machine' '
	echo "$INIT" >in &&
	(cd / && HOME=/nonexistent/h TMPDIR=/var/tmp rpc "$TRASH/in") >out &&
	grep -q "\"cwd\":\"file:///\"" out &&
	grep -q "\"userHomeDir\":\"file:///nonexistent/h\"" out &&
	grep -q "\"temporaryDirectories\":\[\"file:///var/tmp\"\]" out &&
	grep -q "\"tempDir\":\"file:///var/tmp\"" out &&
	grep -q "\"platformOs\":\"linux\"" out &&
	sh=$(getent passwd "$(id -un)" | cut -d: -f7) &&
	grep -q "\"shell\":{\"name\":\"${sh##*/}\",\"path\":\"$sh\"}" out
'

test_expect_success 'no "jsonrpc" member is ever sent' '
	printf "%s\n" "$INIT" "$INITD" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"environment/status\"}" >in &&
	rpc in >out &&
	! grep -q jsonrpc out &&
	grep -qx "{\"id\":2,\"result\":{\"status\":\"ready\"}}" out
'

test_expect_success 'gate: before initialize, after initialize, after initialized' '
	printf "%s\n" "{\"id\":1,\"method\":\"environment/status\"}" "$INIT" \
	    "{\"id\":2,\"method\":\"environment/info\"}" "$INITD" \
	    "{\"id\":3,\"method\":\"environment/status\"}" >in &&
	rpc in >out &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"client must call initialize before using environment status methods\"},\"id\":1}" out &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"client must send initialized before using environment info methods\"},\"id\":2}" out &&
	grep -qx "{\"id\":3,\"result\":{\"status\":\"ready\"}}" out
'

test_expect_success 'params are checked before the gate' '
	echo "{\"id\":5,\"method\":\"environment/status\",\"params\":[]}" >in &&
	rpc in >out &&
	grep -qx "{\"error\":{\"code\":-32602,\"message\":\"invalid type: sequence, expected unit\"},\"id\":5}" out
'

test_expect_success 'unit params: absent, null and {} are fine; a string is not' '
	printf "%s\n" "$INIT" "$INITD" \
	    "{\"id\":2,\"method\":\"environment/status\",\"params\":null}" \
	    "{\"id\":3,\"method\":\"environment/status\",\"params\":{}}" \
	    "{\"id\":4,\"method\":\"environment/status\",\"params\":\"x\"}" >in &&
	rpc in >out &&
	grep -qx "{\"id\":2,\"result\":{\"status\":\"ready\"}}" out &&
	grep -qx "{\"id\":3,\"result\":{\"status\":\"ready\"}}" out &&
	grep -qx "{\"error\":{\"code\":-32602,\"message\":\"invalid type: string \\\\\"x\\\\\", expected unit\"},\"id\":4}" out
'

test_expect_success 'initialize: params are a struct with a required clientName' '
	printf "%s\n" "{\"id\":1,\"method\":\"initialize\"}" \
	    "{\"id\":2,\"method\":\"initialize\",\"params\":{}}" \
	    "{\"id\":3,\"method\":\"initialize\",\"params\":{\"clientName\":5}}" >in &&
	rpc in >out &&
	grep -qx "{\"error\":{\"code\":-32602,\"message\":\"invalid type: null, expected struct InitializeParams\"},\"id\":1}" out &&
	grep -qx "{\"error\":{\"code\":-32602,\"message\":\"missing field \`clientName\`\"},\"id\":2}" out &&
	grep -qx "{\"error\":{\"code\":-32602,\"message\":\"invalid type: number, expected a string\"},\"id\":3}" out
'

test_expect_success 'initialize twice: -32600; a failed initialize can be retried' '
	printf "%s\n" "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\",\"resumeSessionId\":\"bogus\"}}" \
	    "$INIT" "{\"id\":2,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\"}}" >in &&
	rpc in >out &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"unknown session id bogus\"},\"id\":1}" out &&
	grep -q "^{\"id\":1,\"result\":{\"sessionId\"" out &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"initialize may only be sent once per connection\"},\"id\":2}" out
'

test_expect_success 'ids: strings and i64 echoed verbatim, others are parse errors' '
	printf "%s\n" "{\"id\":\"str-id\",\"method\":\"x/y\"}" \
	    "{\"id\":-5,\"method\":\"x/y\"}" \
	    "{\"id\":9223372036854775807,\"method\":\"x/y\"}" \
	    "{\"id\":9223372036854775808,\"method\":\"x/y\"}" \
	    "{\"id\":1.5,\"method\":\"x/y\"}" \
	    "{\"id\":null,\"method\":\"x/y\"}" \
	    "{\"id\":{},\"method\":\"x/y\"}" >in &&
	rpc in >out &&
	grep -q "\"id\":\"str-id\"}$" out &&
	grep -q "\"id\":-5}$" out &&
	grep -q "\"id\":9223372036854775807}$" out &&
	test $(grep -c "untagged enum RequestId\"},\"id\":-1}$" out) = 4
'

test_expect_success 'unknown methods: -32601 in every state' '
	printf "%s\n" "{\"id\":1,\"method\":\"no/such\"}" "$INIT" "$INITD" \
	    "{\"id\":2,\"method\":\"no/such\"}" >in &&
	rpc in >out &&
	test $(grep -c "^{\"error\":{\"code\":-32601,\"message\":\"exec-server stub does not implement \`no/such\` yet\"}" out) = 2
'

test_expect_success 'parse errors: id -1, stdio wording, the connection stays up' '
	printf "%s\n" "{not json" "42" "[]" "{}" "{\"method\":5}" \
	    "{\"id\":3,\"method\":\"x\"} trailing" "{\"id\":7,\"method\":\"x/y\"}" >in &&
	rpc in >out &&
	P="{\"error\":{\"code\":-32600,\"message\":\"failed to parse JSON-RPC message from exec-server stdio:" &&
	grep -qx "$P key must be a string at line 1 column 2\"},\"id\":-1}" out &&
	test $(grep -c "expected a JSON-RPC object\"},\"id\":-1}" out) = 2 &&
	grep -qx "$P missing field \`error\`\"},\"id\":-1}" out &&
	grep -qx "$P invalid type: number, expected a string\"},\"id\":-1}" out &&
	grep -qx "$P trailing characters at line 1 column 23\"},\"id\":-1}" out &&
	grep -q "\"id\":7}$" out
'

test_expect_success 'blank lines are skipped and CRLF is accepted' '
	printf "\n   \n{\"id\":1,\"method\":\"x/y\"}\r\n\t\n" >in &&
	rpc in >out &&
	test $(wc -l <out) = 1 &&
	grep -q "\"id\":1}$" out
'

test_expect_success 'a last line without a newline still counts' '
	printf "{\"id\":1,\"method\":\"x/y\"}" >in &&
	"$ES" --listen stdio <in >out &&
	grep -q "\"id\":1}$" out
'

test_expect_success 'initialized before initialize ends the connection' '
	printf "%s\n" "$INITD" "{\"id\":2,\"method\":\"x/y\"}" >in &&
	rpc in >out &&
	test_must_be_empty out
'

test_expect_success 'an unknown notification ends the connection' '
	printf "%s\n" "$INIT" "{\"method\":\"bogus\"}" "{\"id\":2,\"method\":\"x/y\"}" >in &&
	rpc in >out &&
	test $(wc -l <out) = 1
'

test_expect_success 'a response or error from the client ends the connection' '
	printf "%s\n" "{\"id\":9,\"result\":{}}" "{\"id\":2,\"method\":\"x/y\"}" >in &&
	rpc in >out && test_must_be_empty out &&
	printf "%s\n" "{\"id\":9,\"error\":{\"code\":1,\"message\":\"m\"}}" "{\"id\":2,\"method\":\"x/y\"}" >in &&
	rpc in >out && test_must_be_empty out
'

test_expect_success 'a second initialized is accepted silently' '
	printf "%s\n" "$INIT" "$INITD" "$INITD" "{\"id\":2,\"method\":\"environment/status\"}" >in &&
	rpc in >out &&
	grep -qx "{\"id\":2,\"result\":{\"status\":\"ready\"}}" out
'

test_expect_success 'unknown members in params are ignored; a repeated key is a parse error' '
	printf "%s\n" "{\"id\":1,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\",\"x\":[1,{}]}}" \
	    "{\"id\":2,\"method\":\"initialize\",\"params\":{\"clientName\":\"t\",\"clientName\":\"u\"}}" >in &&
	rpc in >out &&
	grep -q "^{\"id\":1,\"result\"" out &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"failed to parse JSON-RPC message from exec-server stdio: duplicate JSON object key \`clientName\` at line 1 column 69\"},\"id\":-1}" out
'

test_expect_success 'nesting deeper than the limit is a parse error, not a crash' '
	d=$(printf "%0200d" 0 | tr 0 "[") &&
	printf "{\"id\":1,\"method\":\"x\",\"params\":%s\n{\"id\":2,\"method\":\"x/y\"}\n" "$d" >in &&
	rpc in >out &&
	grep -q "recursion limit exceeded" out &&
	grep -q "\"id\":2}$" out
'

test_expect_success 'a line over 64 MiB is refused and skipped; the next is served' '
	{
		printf "{\"id\":1,\"method\":\"x/y\",\"p\":\"" &&
		head -c 67108865 /dev/zero | tr "\\000" a &&
		printf "\"}\n{\"id\":2,\"method\":\"x/y\"}\n"
	} >in &&
	rpc in >out &&
	test $(wc -l <out) = 2 &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"failed to parse JSON-RPC message from exec-server stdio: message too large\"},\"id\":-1}" out &&
	grep -q "\"id\":2}$" out
'

test_done
