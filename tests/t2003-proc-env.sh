#!/bin/sh
test_description='process/start: env, envPolicy, arg0 and the cwd URI'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

# envrun NAME POLICY-JSON ENV-JSON: /usr/bin/env under a server whose own
# environment is the rest of the arguments; prints the child's env.
envrun() {
	name=$1 pol=$2 env=$3
	shift 3
	printf "%s\n" "{\"id\":1,\"method\":\"process/start\",\"params\":{\"processId\":\"$name\",\"argv\":[\"/usr/bin/env\"],\"cwd\":\"file://$TRASH\",\"env\":$env,\"tty\":false$pol}}" \
	    "wait process/closed" >"$name.in" &&
	env -i "$@" "$RP" -i "$ES" --listen stdio <"$name.in" >"$name.log" &&
	out "$name.log" "$name"
}

test_expect_success BASE64 'env is the whole environment, sorted by key' '
	envrun a "" "{}" PATH=/usr/bin:/bin HOME=/h FOO=server >actual &&
	test_must_be_empty actual &&
	envrun b "" "{\"FOO\":\"bar\",\"EMPTY\":\"\",\"b\":\"1\",\"B\":\"2\",\"A=B\":\"c\"}" \
	    PATH=/bin >actual &&
	printf "A=B=c\nB=2\nEMPTY=\nFOO=bar\nb=1\n" >expect &&
	test_cmp expect actual
'

test_expect_success BASE64,NATIVE 'CODEX_EXEC_SERVER_EXIT_ON_STDIN_CLOSE is never passed on' '
	envrun a "" "{\"CODEX_EXEC_SERVER_EXIT_ON_STDIN_CLOSE\":\"1\",\"Z\":\"1\"}" >actual &&
	echo Z=1 >expect &&
	test_cmp expect actual &&
	envrun b ",\"envPolicy\":{\"inherit\":\"all\",\"ignoreDefaultExcludes\":true,\"exclude\":[],\"set\":{},\"includeOnly\":[]}" \
	    "{}" CODEX_EXEC_SERVER_EXIT_ON_STDIN_CLOSE=1 K=v >actual &&
	echo K=v >expect &&
	test_cmp expect actual
'

test_expect_success BASE64 'envPolicy none: set, then env laid over it' '
	envrun a ",\"envPolicy\":{\"inherit\":\"none\",\"ignoreDefaultExcludes\":true,\"exclude\":[],\"set\":{\"FROM_SET\":\"1\",\"OVERLAY\":\"from-set\"},\"includeOnly\":[]}" \
	    "{\"OVERLAY\":\"from-env\"}" HOME=/h PATH=/bin >actual &&
	printf "FROM_SET=1\nOVERLAY=from-env\n" >expect &&
	test_cmp expect actual
'

test_expect_success BASE64,NATIVE 'envPolicy core keeps the core variables only' '
	envrun a ",\"envPolicy\":{\"inherit\":\"core\",\"ignoreDefaultExcludes\":false,\"exclude\":[],\"set\":{},\"includeOnly\":[]}" \
	    "{}" HOME=/h LANG=C LC_ALL=C LC_CTYPE=C LOGNAME=l PATH=/usr/bin:/bin \
	    SHELL=/bin/sh TMPDIR=/t TEMP=/t2 TMP=/t3 USER=u FOO=1 PWD=/p LC_TIME=C >actual &&
	printf "%s\n" HOME=/h LANG=C LC_ALL=C LC_CTYPE=C LOGNAME=l PATH=/usr/bin:/bin \
	    SHELL=/bin/sh TEMP=/t2 TMP=/t3 TMPDIR=/t USER=u >expect &&
	test_cmp expect actual
'

test_expect_success BASE64,NATIVE 'envPolicy all drops *KEY*, *SECRET*, *TOKEN* unless told not to' '
	envrun a ",\"envPolicy\":{\"inherit\":\"all\",\"ignoreDefaultExcludes\":false,\"exclude\":[],\"set\":{},\"includeOnly\":[]}" \
	    "{}" MY_API_KEY=1 a_secret_b=2 SOME_Token=3 KEEP=4 >actual &&
	echo KEEP=4 >expect &&
	test_cmp expect actual &&
	envrun b ",\"envPolicy\":{\"inherit\":\"all\",\"ignoreDefaultExcludes\":true,\"exclude\":[],\"set\":{},\"includeOnly\":[]}" \
	    "{}" MY_API_KEY=1 a_secret_b=2 SOME_Token=3 KEEP=4 >actual &&
	printf "KEEP=4\nMY_API_KEY=1\nSOME_Token=3\na_secret_b=2\n" >expect &&
	test_cmp expect actual
'

test_expect_success BASE64,NATIVE 'exclude and includeOnly are case-insensitive globs; set is never excluded' '
	envrun a ",\"envPolicy\":{\"inherit\":\"all\",\"ignoreDefaultExcludes\":false,\"exclude\":[\"keep*\",\"X?Z\"],\"set\":{\"MY_TOKEN\":\"s\",\"XAZ\":\"set\"},\"includeOnly\":[]}" \
	    "{}" KEEP1=1 KEEPER=2 XYZ=3 XYYZ=4 OTHER=5 >actual &&
	printf "MY_TOKEN=s\nOTHER=5\nXAZ=set\nXYYZ=4\n" >expect &&
	test_cmp expect actual &&
	envrun b ",\"envPolicy\":{\"inherit\":\"all\",\"ignoreDefaultExcludes\":false,\"exclude\":[],\"set\":{\"AB\":\"1\",\"BC\":\"2\"},\"includeOnly\":[\"a*\"]}" \
	    "{\"ENV\":\"overlay\"}" AX=1 BX=2 >actual &&
	printf "AB=1\nAX=1\nENV=overlay\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'envPolicy shape errors' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"envPolicy":{"inherit":"bogus","ignoreDefaultExcludes":false,"exclude":[],"set":{},"includeOnly":[]}}}
{"id":2,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"envPolicy":{}}}
{"id":3,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"envPolicy":5}}
{"id":4,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"envPolicy":{"inherit":"all","ignoreDefaultExcludes":false,"exclude":5,"set":{},"includeOnly":[]}}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"unknown variant `bogus`, expected one of `core`, `all`, `none`"},"id":1}
{"error":{"code":-32602,"message":"missing field `inherit`"},"id":2}
{"error":{"code":-32602,"message":"invalid type: number, expected struct ExecEnvPolicy"},"id":3}
{"error":{"code":-32602,"message":"invalid type: number, expected a sequence"},"id":4}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success BASE64 'cwd: percent-escapes, dot segments, localhost, blanks, backslashes' '
	mkdir -p "sp ace/sub" &&
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/pwd"],"cwd":"@CWD@/sp%20ace","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"b","argv":["/bin/pwd"],"cwd":"@CWD@/sp%20ace/sub/../%2e/sub/.","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"c","argv":["/bin/pwd"],"cwd":"file://LOCALHOST@TRASH@","env":{},"tty":false}}
{"id":4,"method":"process/start","params":{"processId":"d","argv":["/bin/pwd"],"cwd":"  FILE://@TRASH@\\sp ace  ","env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"processId":"e","argv":["/bin/pwd"],"cwd":"file:///..","env":{},"tty":false}}
wait process/closed 5
EOF
	echo "$TRASH/sp ace" >expect && out log a >actual && test_cmp expect actual &&
	echo "$TRASH/sp ace/sub" >expect && out log b >actual && test_cmp expect actual &&
	echo "$TRASH" >expect && out log c >actual && test_cmp expect actual &&
	echo "$TRASH/sp ace" >expect && out log d >actual && test_cmp expect actual &&
	echo "/" >expect && out log e >actual && test_cmp expect actual
'

test_expect_success 'cwd URI errors' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"tmp","env":{},"tty":false}}
{"id":2,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"/tmp","env":{},"tty":false}}
{"id":3,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"http://host/tmp/x","env":{},"tty":false}}
{"id":4,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file://host/tmp/x","env":{},"tty":false}}
{"id":5,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file:///tmp?x=1","env":{},"tty":false}}
{"id":6,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file:///tmp#frag","env":{},"tty":false}}
{"id":7,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file:///tmp/%00x","env":{},"tty":false}}
{"id":8,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file:///C:/x","env":{},"tty":false}}
{"id":9,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file://Host.Example","env":{},"tty":false}}
{"id":10,"method":"process/start","params":{"processId":"p","argv":["/bin/pwd"],"cwd":"file://ho%20st/x","env":{},"tty":false}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"invalid URI: relative URL without a base"},"id":1}
{"error":{"code":-32602,"message":"invalid URI: relative URL without a base"},"id":2}
{"error":{"code":-32602,"message":"unsupported path URI scheme `http`"},"id":3}
{"error":{"code":-32602,"message":"cwd URI `file://host/tmp/x` is not valid on this exec-server host: @Q@file://host/tmp/x@Q@ is invalid on @Q@linux@Q@"},"id":4}
{"error":{"code":-32602,"message":"query parameters are not allowed in path URIs"},"id":5}
{"error":{"code":-32602,"message":"fragments are not allowed in path URIs"},"id":6}
{"error":{"code":-32602,"message":"@Q@file:///tmp/%00x@Q@ is invalid on @Q@linux@Q@"},"id":7}
{"error":{"code":-32602,"message":"cwd URI `file:///C:/x` is not valid on this exec-server host: @Q@file:///C:/x@Q@ is invalid on @Q@linux@Q@"},"id":8}
{"error":{"code":-32602,"message":"cwd URI `file://host.example/` is not valid on this exec-server host: @Q@file://host.example/@Q@ is invalid on @Q@linux@Q@"},"id":9}
{"error":{"code":-32602,"message":"invalid URI: invalid international domain name"},"id":10}
EOF
	q=$(printf "\\047") &&
	sed -i "s/@Q@/$q/g" expect &&
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_done
