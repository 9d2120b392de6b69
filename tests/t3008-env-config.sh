#!/bin/sh
test_description='environmentConfig/read layers and TOML, capability discovery answers'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/fslib.sh"

# /etc/codex is read too: only run where this machine has none.
test -e /etc/codex || test_set_prereq NOSYSCONFIG

mkdir -p home/codex proj && cat >home/codex/config.toml <<\EOF
# a comment
zz = 1
aa = "two"
"quoted key" = 'lit\eral'
esc = "tab\there \"q\" \\ \u00e9 \u0001"
multi = """
line1
line2"""
hex = 0xff
under = 1_000
flt = 3.14
expo = 1e10
inf1 = -inf
f5 = 1e-7
odt = 1979-05-27 07:32:00z
arr = [1, 'b', [2], {x = 1}]
inl = { k = "v", n = { m = 1 } }
dotted.a.b = 1
dotted.c = 2
x = [{a = 1}, {a = 2}]
s2 = "a\\b'c"
model = "gpt-x"

[features]
foo = true
bar = "b"

[profiles.p1]
model = "o3"

[empty]
EOF

cfg() {
	printf '{"id":%s,"method":"environmentConfig/read","params":{"cwd":"@U@/proj","configPaths":%s,"requirementsPaths":%s}}\n' "$@"
}
env_rpc() {
	HOME="$TRASH/home" CODEX_HOME="${CH-$TRASH/home/codex}" fsrpc "$@"
}
layer() {
	printf '{"source":"user (@T@/home/codex/config.toml)","baseDir":"file://@T@/home/codex","toml":"%s"}' "$1"
}
head_of() {
	printf '{"userHomeDir":"file://@T@/home","codexHomeDir":"file://@T@/home/codex","hostname":"%s"' "$(hostname)"
}

test_expect_success NOSYSCONFIG 'the user layer holds just the keys asked for, in file order' '
	{ cfg 1 "[[\"model\"],[\"features\",\"foo\"]]" "[]"
	  cfg 2 "[[\"features\"]]" "[[\"x\"]]"
	  cfg 3 "[[\"profiles\",\"p1\",\"model\"],[\"model\"]]" "[]"
	  cfg 4 "[[\"nonexist\"]]" "[]"
	  cfg 5 "[[\"features\",\"nope\"]]" "[]"; } | env_rpc >log &&
	E="\"requirements\":{\"layers\":[],\"cloudInsertionIndex\":0}}" &&
	expect_answer log 1 "{\"id\":1,\"result\":$(head_of),\"config\":{\"layers\":[$(layer "model = \\\"gpt-x\\\"\\n\\n[features]\\nfoo = true\\n")],\"cloudInsertionIndex\":0},$E}" &&
	expect_answer log 2 "{\"id\":2,\"result\":$(head_of),\"config\":{\"layers\":[$(layer "[features]\\nfoo = true\\nbar = \\\"b\\\"\\n")],\"cloudInsertionIndex\":0},$E}" &&
	expect_answer log 3 "{\"id\":3,\"result\":$(head_of),\"config\":{\"layers\":[$(layer "model = \\\"gpt-x\\\"\\n\\n[profiles.p1]\\nmodel = \\\"o3\\\"\\n")],\"cloudInsertionIndex\":0},$E}" &&
	expect_answer log 4 "{\"id\":4,\"result\":$(head_of),\"config\":{\"layers\":[],\"cloudInsertionIndex\":0},$E}" &&
	expect_answer log 5 "{\"id\":5,\"result\":$(head_of),\"config\":{\"layers\":[$(layer "[features]\\n")],\"cloudInsertionIndex\":0},$E}"
'

test_expect_success NOSYSCONFIG 'values are written back the way the toml crate writes them' '
	cfg 1 "[[\"zz\"],[\"aa\"],[\"quoted key\"],[\"esc\"],[\"multi\"],[\"hex\"],[\"under\"],[\"flt\"],[\"expo\"],[\"inf1\"],[\"f5\"],[\"odt\"],[\"arr\"],[\"inl\"],[\"dotted\"],[\"x\"],[\"s2\"],[\"empty\"]]" "[]" |
	    env_rpc >log &&
	answer log 1 | sed -e "s/.*\"toml\":\"//" -e "s/\"}\],\"cloudInsertionIndex.*//" >actual &&
	cat >expect <<\EOF &&
zz = 1\naa = \"two\"\n\"quoted key\" = '"'"'lit\\eral'"'"'\nesc = \"tab\\there \\\"q\\\" \\\\ é \\u0001\"\nmulti = \"\"\"\nline1\nline2\"\"\"\nhex = 255\nunder = 1000\nflt = 3.14\nexpo = 10000000000.0\ninf1 = -inf\nf5 = 0.0000001\nodt = 1979-05-27T07:32:00Z\narr = [1, \"b\", [2], { x = 1 }]\ns2 = '"'"''"'"''"'"'a\\b'"'"'c'"'"''"'"''"'"'\n\n[inl]\nk = \"v\"\n\n[inl.n]\nm = 1\n\n[dotted]\nc = 2\n\n[dotted.a]\nb = 1\n\n[[x]]\na = 1\n\n[[x]]\na = 2\n\n[empty]\n
EOF
	test_cmp expect actual
'

test_expect_success 'argument checks' '
	{ cfg 1 "[]" "[]"; cfg 2 "[[]]" "[]"; cfg 3 "[[5]]" "[]"; cfg 4 5 "[]"
	  echo "{\"id\":5,\"method\":\"environmentConfig/read\",\"params\":{\"cwd\":\"/x\",\"configPaths\":[[\"a\"]],\"requirementsPaths\":[]}}"
	  echo "{\"id\":6,\"method\":\"environmentConfig/read\",\"params\":{\"cwd\":\"file://host/x\",\"configPaths\":[[\"a\"]],\"requirementsPaths\":[]}}"
	  echo "{\"id\":7,\"method\":\"environmentConfig/read\",\"params\":{\"cwd\":\"@U@\"}}"
	  echo "{\"id\":8,\"method\":\"environmentConfig/read\"}"; } | env_rpc >log &&
	expect_answer log 1 "{\"error\":{\"code\":-32602,\"message\":\"at least one config or requirements path is required\"},\"id\":1}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32602,\"message\":\"TOML paths must contain at least one key segment\"},\"id\":2}" &&
	expect_answer log 3 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: number, expected a string\"},\"id\":3}" &&
	expect_answer log 4 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: number, expected a sequence\"},\"id\":4}" &&
	expect_answer log 5 "{\"error\":{\"code\":-32602,\"message\":\"invalid URI: relative URL without a base\"},\"id\":5}" &&
	expect_answer log 6 "{\"error\":{\"code\":-32602,\"message\":\"'"'"'file://host/x'"'"' is invalid on '"'"'linux'"'"'\"},\"id\":6}" &&
	expect_answer log 7 "{\"error\":{\"code\":-32602,\"message\":\"missing field \`configPaths\`\"},\"id\":7}" &&
	expect_answer log 8 "{\"error\":{\"code\":-32602,\"message\":\"invalid type: null, expected struct EnvironmentConfigReadParams\"},\"id\":8}"
'

test_expect_success 'a missing CODEX_HOME, a bad file, no file at all' '
	cfg 1 "[[\"model\"]]" "[]" | CH=$TRASH/nope env_rpc >log &&
	expect_answer log 1 "{\"error\":{\"code\":-32603,\"message\":\"failed to find Codex home: CODEX_HOME points to \\\"@T@/nope\\\", but that path does not exist\"},\"id\":1}" &&
	mkdir -p bad && echo "bad = = toml" >bad/config.toml &&
	cfg 2 "[[\"model\"]]" "[]" | CH=$TRASH/bad env_rpc >log &&
	answer log 2 | grep -q "^{\"error\":{\"code\":-32603,\"message\":\"failed to load executor-local config: $TRASH/bad/config.toml:1:7: " &&
	mkdir -p none &&
	cfg 3 "[[\"model\"]]" "[]" | CH=$TRASH/none env_rpc >log &&
	answer log 3 | grep -q "\"config\":{\"layers\":\[\],\"cloudInsertionIndex\":0}"
'

test_expect_success 'capabilities/discoverV2 and capabilityRoots/discoverV1 answer honestly' '
	ln -s proj link && ln -s nowhere dangling && : >file &&
	fsrpc >log <<\EOF &&
{"id":1,"method":"capabilities/discoverV2","params":{"cwd":"@U@/proj"}}
{"id":2,"method":"capabilities/discoverV2","params":{"cwd":"@U@/proj","sandbox":{"permissions":{"type":"disabled"},"windowsSandboxLevel":"disabled"}}}
{"id":3,"method":"capabilityRoots/discoverV1","params":{"roots":[{"id":"d","path":"@U@/proj"},{"id":"l","path":"@U@/link"},{"id":"f","path":"@U@/file"},{"id":"g","path":"@U@/dangling"},{"id":"m","path":"@U@/missing"},{"id":"h","path":"file://host/x"}]}}
{"id":4,"method":"capabilityRoots/discoverV1","params":{"roots":[]}}
{"id":5,"method":"capabilityRoots/discoverV1","params":{"roots":[{"path":"@U@"}]}}
{"id":6,"method":"capabilityRoots/discoverV1","params":{"roots":[{"id":"1","path":"file://localhost@T@/./proj/"},{"id":"2","path":"  FILE://@T@/s p/../proj"}]}}
EOF
	expect_answer log 1 "{\"id\":1,\"result\":{\"plugins\":[],\"skills\":[],\"warnings\":[]}}" &&
	expect_answer log 2 "{\"error\":{\"code\":-32602,\"message\":\"missing field \`cwd\`\"},\"id\":2}" &&
	R() { printf "{\"id\":\"%s\",\"path\":\"%s\",\"plugin\":null,\"skills\":[],\"namespaceManifests\":[],\"warnings\":[],\"error\":%s}" "$@"; } &&
	expect_answer log 3 "{\"id\":3,\"result\":{\"roots\":[$(R d file://@T@/proj null),$(R l file://@T@/link null),$(R f file://@T@/file "\"capability root file://@T@/file is not a directory\""),$(R g file://@T@/dangling "\"failed to inspect capability root file://@T@/dangling: No such file or directory (os error 2)\""),$(R m file://@T@/missing "\"failed to inspect capability root file://@T@/missing: No such file or directory (os error 2)\""),$(R h file://host/x "\"failed to inspect capability root file://host/x: '"'"'file://host/x'"'"' is invalid on '"'"'linux'"'"'\"")]}}" &&
	expect_answer log 4 "{\"id\":4,\"result\":{\"roots\":[]}}" &&
	expect_answer log 5 "{\"error\":{\"code\":-32602,\"message\":\"missing field \`id\`\"},\"id\":5}" &&
	expect_answer log 6 "{\"id\":6,\"result\":{\"roots\":[$(R 1 file://@T@/proj/ null),$(R 2 file://@T@/proj null)]}}"
'

test_done
