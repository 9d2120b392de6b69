#!/bin/sh
test_description='sandbox shapes of the fs methods, restricted sandboxes in a confined child, --no-local-fs'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

printf "hello world" >a.txt

ok() {
	expect_answer log "$1" "{\"id\":$1,\"result\":$2}"
}
err() {
	expect_answer log "$1" "{\"error\":{\"code\":$2,\"message\":\"$3\"},\"id\":$1}"
}
# rd ID SANDBOX: read a.txt with that sandbox
rd() {
	printf '{"id":%s,"method":"fs/readFile","params":{"path":"@U@/a.txt","sandbox":%s}}\n' "$1" "$2"
}
W='"windowsSandboxLevel":"disabled"'
M='"permissions":{"type":"managed","network":"enabled","file_system":{"type":"restricted","entries":'

test_expect_success 'serde messages for the sandbox shape, as the reference words them' '
	{ rd 1 "{}"; rd 2 "{\"permissions\":{}}"; rd 3 "{\"permissions\":{\"type\":\"bogus\"}}"
	  rd 4 "{\"permissions\":{\"type\":\"disabled\"}}"
	  rd 5 "{\"permissions\":{\"type\":\"disabled\"},\"windowsSandboxLevel\":\"bogus\"}"
	  rd 6 "{\"permissions\":{\"type\":\"external\",\"network\":\"bogus\"},$W}"
	  rd 7 "{\"permissions\":{\"type\":\"managed\",\"fileSystem\":{\"type\":\"unrestricted\"},\"network\":\"enabled\"},$W}"
	  rd 8 "{$M[{\"path\":{\"type\":\"bogus\"},\"access\":\"read\"}]}},$W}"
	  rd 9 "{$M[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"bogus\"}},\"access\":\"read\"}]}},$W}"
	  rd 10 "{$M[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"bogus\"}]}},$W}"
	  rd 11 5; rd 12 "{\"permissions\":5}"; rd 13 "{\"permissions\":1.5,$W}"
	  rd 14 "{\"permissions\":{\"type\":5}}"
	  rd 15 "{\"permissions\":{\"type\":\"external\",\"network\":5},$W}"
	  rd 16 "{$M[],\"glob_scan_max_depth\":0}},$W}"
	  rd 17 "{$M[],\"glob_scan_max_depth\":\"x\"}},$W}"
	  rd 18 "{$M[5]}},$W}"
	  rd 19 "{$M[{\"path\":{\"type\":\"path\",\"path\":\"/rel\"},\"access\":\"read\"}]}},$W}"
	  rd 20 "{\"permissions\":{\"type\":\"disabled\"},$W,\"workspaceRoots\":null}"
	  rd 21 "{\"permissions\":{\"type\":\"disabled\"},$W,\"windowsSandboxProxySettingsMode\":\"bogus\"}"
	  rd 22 "{$M[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"root\"}},\"access\":\"read\",\"missing_path_behavior\":\"bogus\"}]}},$W}"
	} | fsrpc >log &&
	err 1 -32602 "missing field \`permissions\`" &&
	err 2 -32602 "missing field \`type\`" &&
	err 3 -32602 "unknown variant \`bogus\`, expected one of \`managed\`, \`disabled\`, \`external\`" &&
	err 4 -32602 "missing field \`windowsSandboxLevel\`" &&
	err 5 -32602 "unknown variant \`bogus\`, expected one of \`disabled\`, \`restricted-token\`, \`elevated\`, \`mxc\`" &&
	err 6 -32602 "unknown variant \`bogus\`, expected \`restricted\` or \`enabled\`" &&
	err 7 -32602 "missing field \`file_system\`" &&
	err 8 -32602 "unknown variant \`bogus\`, expected one of \`path\`, \`glob_pattern\`, \`special\`" &&
	err 9 -32602 "unknown variant \`bogus\`, expected one of \`root\`, \`minimal\`, \`current_working_directory\`, \`project_roots\`, \`tmpdir\`, \`slash_tmp\`, \`unknown\`" &&
	err 10 -32602 "unknown variant \`bogus\`, expected one of \`read\`, \`write\`, \`deny\`, \`none\`" &&
	err 11 -32602 "invalid type: number, expected struct WireFileSystemSandboxContext" &&
	err 12 -32602 "invalid type: integer \`5\`, expected internally tagged enum ExecPermissionProfile" &&
	err 13 -32602 "invalid type: floating point \`1.5\`, expected internally tagged enum ExecPermissionProfile" &&
	err 14 -32602 "invalid type: number, expected variant identifier" &&
	err 15 -32602 "invalid type: integer \`5\`, expected string or map" &&
	err 16 -32602 "invalid value: integer \`0\`, expected a nonzero usize" &&
	err 17 -32602 "invalid type: string \\\"x\\\", expected a nonzero usize" &&
	err 18 -32602 "invalid type: integer \`5\`, expected struct ExecFileSystemSandboxEntry" &&
	err 19 -32602 "invalid URI: relative URL without a base" &&
	err 20 -32602 "invalid type: null, expected a sequence" &&
	err 21 -32602 "unknown variant \`bogus\`, expected \`reconcile\` or \`preserve\`" &&
	err 22 -32602 "unknown variant \`bogus\`, expected \`skip\`"
'

test_expect_success 'sandboxes that do not confine the file system run directly' '
	{ rd 1 null; rd 2 "{\"permissions\":{\"type\":\"disabled\"},$W}"
	  rd 3 "{\"permissions\":{\"type\":\"external\",\"network\":\"restricted\"},$W}"
	  rd 4 "{\"permissions\":{\"type\":\"managed\",\"file_system\":{\"type\":\"unrestricted\"},\"network\":\"enabled\"},\"windowsSandboxLevel\":\"elevated\"}"
	  rd 5 "{\"permissions\":{\"type\":\"disabled\",\"extra\":1},$W,\"cwd\":null,\"userHomeDir\":null}"
	} | fsrpc >log &&
	for i in 1 2 3 4 5; do
		ok $i "{\"dataBase64\":\"aGVsbG8gd29ybGQ=\"}" || return 1
	done
'

test_expect_success LANDLOCK 'a restricted file system: the call runs in a confined child' '
	{ rd 1 "{$M[{\"path\":{\"type\":\"path\",\"path\":\"@U@\"},\"access\":\"read\"}]}},$W,\"cwd\":\"@U@\"}"
	  rd 2 "{$M[{\"path\":{\"type\":\"special\",\"value\":{\"kind\":\"current_working_directory\"}},\"access\":\"read\"}]}},$W}"
	  rd 3 "{$M[{\"path\":{\"type\":\"glob_pattern\",\"pattern\":\"*\"},\"access\":\"read\"}]}},$W}"
	  printf "%s\n" "{\"id\":4,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@U@/w\",\"dataBase64\":\"eA==\",\"sandbox\":{$M[]}},$W,\"cwd\":\"@U@\"}}}"
	  printf "%s\n" "{\"id\":5,\"method\":\"fs/writeFile\",\"params\":{\"path\":\"@U@/w\",\"dataBase64\":\"eA==\",\"sandbox\":{$M[{\"path\":{\"type\":\"path\",\"path\":\"@U@\"},\"access\":\"read\"}]}},$W,\"cwd\":\"@U@\"}}}"
	  printf "%s\n" "{\"id\":6,\"method\":\"fs/open\",\"params\":{\"handleId\":\"h\",\"path\":\"@U@/a.txt\",\"sandbox\":{$M[{\"path\":{\"type\":\"path\",\"path\":\"@U@\"},\"access\":\"read\"}]}},$W,\"cwd\":\"@U@\"}}}"
	  rd 7 "{$M[{\"path\":{\"type\":\"path\",\"path\":\"@U@/elsewhere\"},\"access\":\"read\"}]}},$W,\"cwd\":\"@U@\"}"
	} | fsrpc >log &&
	ok 1 "{\"dataBase64\":\"aGVsbG8gd29ybGQ=\"}" &&
	err 2 -32602 "file system sandbox context with dynamic permissions requires cwd" &&
	err 3 -32602 "file system sandbox context with dynamic permissions requires cwd" &&
	err 4 -32004 "No such file or directory (os error 2)" &&
	if [ "$(id -u)" = 0 ]; then	# a read-only tree in a mount namespace
		err 5 -32603 "Read-only file system (os error 30)"
	else				# Landlock alone
		err 5 -32600 "Permission denied (os error 13)"
	fi &&
	err 6 -32600 "restricted filesystem sandboxes are not supported here by this server yet" &&
	err 7 -32004 "No such file or directory (os error 2)" &&
	! test -e w
'

test_expect_success '--no-local-fs: every fs method and local config read refuses, others work' '
	sed -e "s|@U@|file://$TRASH|g" <<\EOF | "$RP" -i "$ES" --listen stdio --no-local-fs >log &&
{"id":1,"method":"fs/readFile","params":{"path":"@U@/a.txt"}}
{"id":2,"method":"fs/writeFile","params":{"path":"@U@/w","dataBase64":""}}
{"id":3,"method":"fs/createDirectory","params":{"path":"@U@/d"}}
{"id":4,"method":"fs/getMetadata","params":{"path":"@U@/a.txt"}}
{"id":5,"method":"fs/readDirectory","params":{"path":"@U@"}}
{"id":6,"method":"fs/remove","params":{"path":"@U@/a.txt"}}
{"id":7,"method":"fs/copy","params":{"sourcePath":"@U@/a.txt","destinationPath":"@U@/b","recursive":false}}
{"id":8,"method":"fs/canonicalize","params":{"path":"@U@/a.txt"}}
{"id":9,"method":"fs/walk","params":{"path":"@U@","options":{"maxDepth":1,"maxDirectories":1,"maxEntries":1,"followDirectorySymlinks":false}}}
{"id":10,"method":"fs/open","params":{"handleId":"h","path":"@U@/a.txt"}}
{"id":11,"method":"fs/readBlock","params":{"handleId":"h","offset":0,"len":1}}
{"id":12,"method":"fs/writeBlock","params":{"handleId":"h","offset":0,"chunk":"eA=="}}
{"id":13,"method":"fs/close","params":{"handleId":"h"}}
{"id":14,"method":"fs/watchMissing","params":{"watchId":1,"missing":["@U@/x"]}}
{"id":15,"method":"environment/status"}
{"id":16,"method":"fs/readFile","params":{"path":"/relative"}}
{"id":17,"method":"environmentConfig/read","params":{"cwd":"@U@","configPaths":[["model"]],"requirementsPaths":[]}}
{"id":18,"method":"capabilityRoots/discoverV1","params":{"roots":[{"id":"a","path":"@U@"}]}}
EOF
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 17 18; do
		err $i -32600 "local filesystem access is disabled for this runtime" || return 1
	done &&
	ok 15 "{\"status\":\"ready\"}" &&
	err 16 -32602 "invalid URI: relative URL without a base" &&
	test -e a.txt && ! test -e w && ! test -e d
'

test_expect_success 'environmentInfo claims what works' '
	echo "{\"id\":1,\"method\":\"environment/info\"}" | fsrpc >log &&
	answer log 1 | grep -q "\"fsWatchMissing\":true," &&
	answer log 1 | grep -q "\"environmentConfigRead\":true," &&
	answer log 1 | grep -q "\"capabilityDiscoveryV2\":false,"
'

test_expect_success '--no-local-fs: environmentInfo claims no filesystem capability' '
	echo "{\"id\":1,\"method\":\"environment/info\"}" |
	    "$RP" -i "$ES" --listen stdio --no-local-fs >log &&
	answer log 1 | grep -q "\"fsWatchMissing\":false," &&
	answer log 1 | grep -q "\"environmentConfigRead\":false,"
'

test_done
