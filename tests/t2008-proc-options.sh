#!/bin/sh
test_description='process/start: sandbox, metadata, shellSnapshot, managedNetwork, networkProxy'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

test_expect_success 'a disabled sandbox profile runs the process (sandboxType linuxSeccomp, as the reference)' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"sb","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled"},"windowsSandboxLevel":"disabled"}}}
{"id":2,"method":"process/start","params":{"processId":"sb2","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled","x":1},"windowsSandboxLevel":"restricted-token","cwd":"@CWD@"}}}
{"id":3,"method":"process/start","params":{"processId":"none","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":null}}
wait process/closed 3
EOF
	grep -qx "{\"id\":1,\"result\":{\"processId\":\"sb\",\"sandboxType\":\"linuxSeccomp\"}}" log &&
	grep -qx "{\"id\":2,\"result\":{\"processId\":\"sb2\",\"sandboxType\":\"linuxSeccomp\"}}" log &&
	grep -qx "{\"id\":3,\"result\":{\"processId\":\"none\",\"sandboxType\":\"none\"}}" log
'

test_expect_success LANDLOCK 'other profiles run confined (t4001 has the rules); managed network is refused' '
	rpcs -q 1500 >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"ro","argv":["/bin/sh","-c","echo x > @TRASH@/escaped"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"managed","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"}]},"network":"restricted"},"windowsSandboxLevel":"disabled"}}}
{"id":2,"method":"process/start","params":{"processId":"ext","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"external","network":"restricted"},"windowsSandboxLevel":"disabled"}}}
{"id":3,"method":"process/start","params":{"processId":"mu","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"managed","file_system":{"type":"unrestricted"},"network":"enabled"},"windowsSandboxLevel":"disabled"}}}
{"id":5,"method":"process/start","params":{"processId":"emn","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"enforceManagedNetwork":true}}
EOF
	grep -qx "{\"id\":1,\"result\":{\"processId\":\"ro\",\"sandboxType\":\"linuxSeccomp\"}}" log &&
	grep -qx "{\"id\":2,\"result\":{\"processId\":\"ext\",\"sandboxType\":\"linuxSeccomp\"}}" log &&
	grep -qx "{\"id\":3,\"result\":{\"processId\":\"mu\",\"sandboxType\":\"linuxSeccomp\"}}" log &&
	grep -qx "{\"error\":{\"code\":-32600,\"message\":\"enforceManagedNetwork is not supported by this exec-server yet: the process would run with unrestricted network access\"},\"id\":5}" log &&
	grep -q "\"processId\":\"ro\",\"seq\":2,\"exitCode\":2,\"sandboxDenied\":true" log &&
	! test -e escaped
'

test_expect_success LANDLOCK 'sandboxDenied: the reference guess from a sandboxed non-zero exit' '
	SB="\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"}]},\"network\":\"restricted\"},\"windowsSandboxLevel\":\"disabled\"}" &&
	sed "s/@SB@/$SB/" <<\EOF | rpcs -q 1500 >log &&
{"id":1,"method":"process/start","params":{"processId":"ro","argv":["/bin/sh","-c","echo x > @TRASH@/escaped; exit 3"],"cwd":"@CWD@","env":{},"tty":false,@SB@}}
{"id":2,"method":"process/start","params":{"processId":"zero","argv":["/bin/sh","-c","echo permission denied"],"cwd":"@CWD@","env":{},"tty":false,@SB@}}
{"id":3,"method":"process/start","params":{"processId":"nf","argv":["/bin/sh","-c","exit 127"],"cwd":"@CWD@","env":{},"tty":false,@SB@}}
{"id":4,"method":"process/start","params":{"processId":"sys","argv":["/bin/sh","-c","kill -SYS $$"],"cwd":"@CWD@","env":{},"tty":false,@SB@}}
{"id":5,"method":"process/start","params":{"processId":"plain","argv":["/bin/sh","-c","echo Permission denied >&2; exit 1"],"cwd":"@CWD@","env":{},"tty":false}}
EOF
	grep -q "\"processId\":\"ro\",\"seq\":[0-9]*,\"exitCode\":3,\"sandboxDenied\":true" log &&
	grep -q "\"processId\":\"zero\",\"seq\":[0-9]*,\"exitCode\":0,\"sandboxDenied\":false" log &&
	grep -q "\"processId\":\"nf\",\"seq\":[0-9]*,\"exitCode\":127,\"sandboxDenied\":false" log &&
	grep -q "\"processId\":\"sys\",\"seq\":[0-9]*,\"exitCode\":159,\"sandboxDenied\":true" log &&
	grep -q "\"processId\":\"plain\",\"seq\":[0-9]*,\"exitCode\":1,\"sandboxDenied\":false" log &&
	! test -e escaped
'

test "$(id -u)" = 0 && test_set_prereq ROOT

test_expect_success ROOT,LANDLOCK 'a sandboxed daemon does not outlive its process (PID namespace)' '
	SB="\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"file_system\":{\"type\":\"unrestricted\"},\"network\":\"restricted\"},\"windowsSandboxLevel\":\"disabled\"}" &&
	sed "s/@SB@/$SB/" <<\EOF | rpcs -q 1500 >log &&
{"id":1,"method":"process/start","params":{"processId":"d","argv":["/bin/sh","-c","(setsid sleep 271828 </dev/null >/dev/null 2>&1 &); echo $$"],"cwd":"@CWD@","env":{},"tty":false,@SB@}}
EOF
	test "$(out log d)" = "2" &&
	sleep 0.3 &&
	! grep -l 271828 /proc/[0-9]*/cmdline 2>/dev/null
'

test_expect_success 'a refused sandbox leaves the connection serving (stdin stays open)' '
	G="\"sandbox\":{\"permissions\":{\"type\":\"managed\",\"file_system\":{\"type\":\"restricted\",\"entries\":[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\"},{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"/x/*.{a,b}\"},\"access\":\"deny\"}]},\"network\":\"restricted\"},\"windowsSandboxLevel\":\"disabled\",\"cwd\":\"@CWD@\"}" &&
	sed "s|@G@|$G|" <<\EOF | rpcs -q 1000 >log &&
{"id":1,"method":"process/start","params":{"processId":"r","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,@G@}}
{"id":2,"method":"fs/writeFile","params":{"path":"@CWD@/w","dataBase64":"eA==",@G@}}
{"id":3,"method":"environment/status"}
{"id":4,"method":"process/start","params":{"processId":"ok","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false}}
EOF
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here, so the process was not started: glob alternation" log &&
	grep -q "\"code\":-32600,\"message\":\"this sandbox cannot be enforced here: glob alternation" log &&
	grep -q "{\"id\":3,\"result\":{\"status\":\"ready\"}}" log &&
	grep -q "{\"id\":4,\"result\":{\"processId\":\"ok\"" log
'

test_expect_success ROOT,LANDLOCK 'a writable root that is itself a symlink is writable, its .git protected' '
	mkdir -p real/.git && ln -s real lws &&
	rpcs -q 1500 >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"l","argv":["/bin/sh","-c","echo y > f; echo x > .git/c"],"cwd":"@CWD@/lws","env":{},"tty":false,"sandbox":{"permissions":{"type":"managed","network":"restricted","file_system":{"type":"restricted","entries":[{"path":{"type":"special","value":{"kind":"root"}},"access":"read"},{"path":{"type":"path","path":"@CWD@/lws"},"access":"write"}]}},"windowsSandboxLevel":"disabled","cwd":"@CWD@/lws"}}}
EOF
	grep -q "{\"id\":1,\"result\":{\"processId\":\"l\"" log &&
	test "$(cat real/f)" = y && ! test -e real/.git/c &&
	out log l stderr | grep -q "Read-only file system"
'

test_expect_success 'sandbox shape errors' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{}}}
{"id":2,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled"}}}}
{"id":3,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":5}}
{"id":4,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{},"windowsSandboxLevel":"disabled"}}}
{"id":5,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"x"},"windowsSandboxLevel":"disabled"}}}
{"id":6,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":5,"windowsSandboxLevel":"disabled"}}}
{"id":7,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled"},"windowsSandboxLevel":"x"}}}
{"id":8,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"external"},"windowsSandboxLevel":"disabled"}}}
{"id":9,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled"},"windowsSandboxLevel":"disabled","cwd":"/tmp"}}}
{"id":10,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":null,"windowsSandboxLevel":"disabled"}}}
{"id":11,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":1.5,"windowsSandboxLevel":"disabled"}}}
{"id":12,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":true},"windowsSandboxLevel":"disabled"}}}
{"id":13,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"disabled"},"windowsSandboxLevel":5}}}
{"id":14,"method":"process/start","params":{"processId":"a","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"sandbox":{"permissions":{"type":"external","network":"x"},"windowsSandboxLevel":"disabled"}}}
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"missing field `permissions`"},"id":1}
{"error":{"code":-32602,"message":"missing field `windowsSandboxLevel`"},"id":2}
{"error":{"code":-32602,"message":"invalid type: number, expected struct WireFileSystemSandboxContext"},"id":3}
{"error":{"code":-32602,"message":"missing field `type`"},"id":4}
{"error":{"code":-32602,"message":"unknown variant `x`, expected one of `managed`, `disabled`, `external`"},"id":5}
{"error":{"code":-32602,"message":"invalid type: integer `5`, expected internally tagged enum ExecPermissionProfile"},"id":6}
{"error":{"code":-32602,"message":"unknown variant `x`, expected one of `disabled`, `restricted-token`, `elevated`, `mxc`"},"id":7}
{"error":{"code":-32602,"message":"missing field `network`"},"id":8}
{"error":{"code":-32602,"message":"invalid URI: relative URL without a base"},"id":9}
{"error":{"code":-32602,"message":"invalid type: null, expected internally tagged enum ExecPermissionProfile"},"id":10}
{"error":{"code":-32602,"message":"invalid type: floating point `1.5`, expected internally tagged enum ExecPermissionProfile"},"id":11}
{"error":{"code":-32602,"message":"invalid type: boolean `true`, expected variant identifier"},"id":12}
{"error":{"code":-32602,"message":"invalid type: number, expected string or map"},"id":13}
{"error":{"code":-32602,"message":"unknown variant `x`, expected `restricted` or `enabled`"},"id":14}
EOF
	grep -v "\"id\":0," log >actual &&
	test_cmp expect actual
'

test_expect_success 'metadata.threadId must be a UUID, worded as the uuid crate does' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"m1","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e55044-10b1-426f-9247-bb680e5fe0c8","toolCallId":"call_1"}}}
{"id":2,"method":"process/start","params":{"processId":"m2","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67E5504410B1426F9247BB680E5FE0C8"}}}
{"id":3,"method":"process/start","params":{"processId":"m3","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8"}}}
{"id":4,"method":"process/start","params":{"processId":"m4","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"{67e55044-10b1-426f-9247-bb680e5fe0c8}"}}}
{"id":5,"method":"process/start","params":{"processId":"m5","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":null}}
{"id":6,"method":"process/start","params":{"processId":"m6","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":null,"toolCallId":null}}}
{"id":7,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"not-a-uuid"}}}
{"id":8,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e55044-10b1-426f-9247-bb680e5fe0c"}}}
{"id":9,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":""}}}
{"id":10,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e55044-10b1-426f-9247-bb680e5fe0c8x"}}}
{"id":11,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e55044-10b1-426f-9247-bb680e5f-e0c8"}}}
{"id":12,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"urn:uuid:67e55044"}}}
{"id":13,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e55044\u00e9"}}}
{"id":14,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":"67e5504-410b1-426f-9247-bb680e5fe0c8"}}}
{"id":15,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":{"threadId":5}}}
{"id":16,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"metadata":5}}
wait process/closed 6
EOF
	cat >expect <<\EOF &&
{"error":{"code":-32602,"message":"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1"},"id":7}
{"error":{"code":-32602,"message":"invalid group length in group 4: expected 12, found 11"},"id":8}
{"error":{"code":-32602,"message":"invalid length: expected length 32 for simple format, found 0"},"id":9}
{"error":{"code":-32602,"message":"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 37"},"id":10}
{"error":{"code":-32602,"message":"invalid group count: expected 5, found 6"},"id":11}
{"error":{"code":-32602,"message":"invalid group count: expected 5, found 1"},"id":12}
{"error":{"code":-32602,"message":"invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 9"},"id":13}
{"error":{"code":-32602,"message":"invalid group length in group 0: expected 8, found 7"},"id":14}
{"error":{"code":-32602,"message":"invalid type: number, expected a string"},"id":15}
{"error":{"code":-32602,"message":"invalid type: number, expected struct ExecMetadata"},"id":16}
EOF
	grep "\"error\"" log >actual &&
	test_cmp expect actual &&
	test $(grep -c "^{\"id\":[1-6],\"result\":{\"processId\":\"m[1-6]\",\"sandboxType\":\"none\"}}$" log) = 6
'

test_expect_success 'shellSnapshot, managedNetwork and networkProxy are checked like the reference' '
	rpcs >log <<\EOF &&
{"id":1,"method":"process/start","params":{"processId":"snap","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"shellSnapshot":{"scopeId":"scope-1","shell":{"name":"bash","path":"/bin/bash"}}}}
{"id":2,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"shellSnapshot":{"scopeId":"scope-1"}}}
{"id":3,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"shellSnapshot":{"scopeId":"x","shell":5}}}
{"id":4,"method":"process/start","params":{"processId":"mnet","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"enforceManagedNetwork":false,"managedNetwork":{"loopbackPorts":[43123],"allowLocalBinding":false}}}
{"id":5,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"managedNetwork":{"loopbackPorts":[70000]}}}
{"id":6,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"managedNetwork":{"loopbackPorts":["x"]}}}
{"id":7,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"managedNetwork":5}}
{"id":8,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"networkProxy":{}}}
{"id":9,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"networkProxy":{"proxy":{"enabled":false}}}}
{"id":10,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"networkProxy":{"proxy":{"enabled":false,"enableSocks5":false,"enableSocks5Udp":false,"allowUpstreamProxy":false,"dangerouslyAllowAllUnixSockets":false,"mode":"x","allowLocalBinding":false}}}}
{"id":11,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"networkProxy":{"proxy":{"enabled":false,"enableSocks5":false,"enableSocks5Udp":false,"allowUpstreamProxy":false,"dangerouslyAllowAllUnixSockets":false,"mode":"full","allowLocalBinding":false}}}}
{"id":12,"method":"process/start","params":{"processId":"x","argv":["/bin/true"],"cwd":"@CWD@","env":{},"tty":false,"networkProxy":{"proxy":{"enabled":true,"enableSocks5":false,"enableSocks5Udp":false,"allowUpstreamProxy":false,"dangerouslyAllowAllUnixSockets":false,"mode":"limited","allowLocalBinding":false}}}}
wait process/closed 2
EOF
	cat >expect <<\EOF &&
{"id":1,"result":{"processId":"snap","sandboxType":"none"}}
{"error":{"code":-32602,"message":"missing field `shell`"},"id":2}
{"error":{"code":-32602,"message":"invalid type: number, expected struct ShellInfo"},"id":3}
{"id":4,"result":{"processId":"mnet","sandboxType":"none"}}
{"error":{"code":-32602,"message":"invalid number"},"id":5}
{"error":{"code":-32602,"message":"invalid type: string \"x\", expected u16"},"id":6}
{"error":{"code":-32602,"message":"invalid type: number, expected struct ManagedNetworkSandboxContext"},"id":7}
{"error":{"code":-32602,"message":"missing field `proxy`"},"id":8}
{"error":{"code":-32602,"message":"missing field `enableSocks5`"},"id":9}
{"error":{"code":-32602,"message":"unknown variant `x`, expected `limited` or `full`"},"id":10}
{"error":{"code":-32602,"message":"invalid network proxy config: executor-local network proxy launch requires an enabled proxy"},"id":11}
{"error":{"code":-32600,"message":"networkProxy launch is not supported by this exec-server (capability networkProxyLaunch is false)"},"id":12}
EOF
	grep "^{\"id\":[1-9][0-9]*,\|\"error\"" log | grep -v "\"id\":0," >actual &&
	test_cmp expect actual
'

test_done
