#!/bin/sh
test_description='a real Codex client (the reference CLI, driven by a scripted
model) does its whole file work through the server, over WebSocket and over
stdio: it finds the project root by .git, reads AGENTS.md, applies patches,
views an image, runs a command.  The server runs in its own mount namespace
where the project directory is another tree than the client sees, so
everything the client reports can only have come through the server.'
. "$(dirname "$0")/tap.sh"

MM="$SRC_DIR/tests/mockmodel"
if ! test -x "$ES" || ! test -x "$MM"; then
	echo "Bail out! build first: make check-build"
	exit 1
fi

# The client is the reference CLI, already installed (this test never
# downloads it): $REFERENCE_CODEX, or where ../shared/tools/reference-codex
# and `make conformance-reference` put it.
sub=codex-reference-0.169.0/node_modules/@openai/codex-linux-x64/vendor
sub=$sub/x86_64-unknown-linux-musl/bin/codex
for c in "$REFERENCE_CODEX" "${XDG_CACHE_HOME:-$HOME/.cache}/$sub" \
    "/tmp/exec-conformance-ref/.cache/$sub" "/tmp/refhome/.cache/$sub"; do
	if test -n "$c" && test -x "$c"; then
		CODEX=$c
		break
	fi
done
if test -z "$CODEX"; then
	test_skip_all "the reference Codex CLI is not installed (make conformance-reference)"
fi
# T9004_SERVER="command" tests another server (run with --listen
# ws://127.0.0.1:0 appended; it must print its URL first on stdout), e.g.
# the reference's own `codex exec-server`.  Only ours keeps a request log.
if test -n "$T9004_SERVER"; then
	SERVER=$T9004_SERVER
else
	SERVER="'$ES' -v"
	test_set_prereq LOG
fi
# Two views of one directory need a private mount namespace (root).
if unshare -m sh -c "mount -t tmpfs none '$TRASH' && umount '$TRASH'" \
    2>/dev/null; then
	test_set_prereq ISOLATED
fi

P="$TRASH/proj"		# the path both sides use
R="$TRASH/remote"	# what the server sees at $P (isolated); else $P itself
test_have_prereq ISOLATED || R=$P

# The client's own view: decoys only.
mkdir -p "$P/.git" "$P/sub" home
echo "CLIENT-VIEW root" >"$P/AGENTS.md"
echo "CLIENT-VIEW sub" >"$P/sub/AGENTS.md"

# The server's view: a repository with instructions, files to patch, a PNG.
# Emptied in place: the running server's bind mount holds this directory.
remote_tree() {
	mkdir -p "$R" &&
	if test "$R" != "$P"; then find "$R" -mindepth 1 -delete; fi &&
	mkdir -p "$R/.git" "$R/sub" &&
	echo "ref: refs/heads/main" >"$R/.git/HEAD" &&
	echo "REMOTE-ROOT-MARKER keep lines short" >"$R/AGENTS.md" &&
	echo "REMOTE-SUB-MARKER use tabs" >"$R/sub/AGENTS.md" &&
	printf 'keep\nold line\nlast\n' >"$R/sub/existing.txt" &&
	printf 'alpha\n' >"$R/sub/old.txt" &&
	rm -rf "$R/sub/src" "$R/sub/moved" &&
	echo gone >"$R/sub/obsolete.txt" &&
	printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000\037\025\304\211\000\000\000\rIDATx\234c\370\317\300\360\037\000\005\000\001\377\211\231=\035\000\000\000\000IEND\256B`\202' \
	    >"$R/sub/pic.png"
}
remote_tree
PNG64=$(base64 -w 0 <"$R/sub/pic.png")
cp -a "$R" expect
rm expect/sub/old.txt expect/sub/obsolete.txt
mkdir -p expect/sub/src/new/deep expect/sub/moved
printf 'hello\nworld\n' >expect/sub/src/new/deep/hello.txt
printf 'keep\nnew line\nlast\n' >expect/sub/existing.txt
printf 'beta\n' >expect/sub/moved/renamed.txt

# What the model does, one output item per request.
cat >script <<EOF
{"type":"custom_tool_call","name":"apply_patch","call_id":"p1","input":"*** Begin Patch\n*** Add File: src/new/deep/hello.txt\n+hello\n+world\n*** Update File: existing.txt\n@@\n keep\n-old line\n+new line\n*** Update File: old.txt\n*** Move to: moved/renamed.txt\n@@\n-alpha\n+beta\n*** Delete File: obsolete.txt\n*** End Patch\n"}
{"type":"custom_tool_call","name":"apply_patch","call_id":"p2","input":"*** Begin Patch\n*** Update File: missing.txt\n@@\n-x\n+y\n*** End Patch\n"}
{"type":"function_call","name":"view_image","call_id":"v1","arguments":"{\"path\":\"$P/sub/pic.png\"}"}
{"type":"function_call","name":"exec_command","call_id":"e1","arguments":"{\"cmd\":\"cat AGENTS.md existing.txt\"}"}
EOF

stop_all() {
	for p in $(cat "$TRASH/pids" 2>/dev/null); do
		kill $p 2>/dev/null
	done
	rm -f "$TRASH/pids"
}
trap stop_all EXIT

# How the server is started: in the namespace when there is one.
in_ns() {
	if test_have_prereq ISOLATED; then
		echo "unshare -m sh -c 'mount --bind \"$R\" \"$P\" && exec $*'"
	else
		echo "sh -c 'exec $*'"
	fi
}

# filled FILE: wait (5 s at most) until FILE is not empty.
filled() {
	i=0
	while ! test -s "$1" && test $i -lt 100; do sleep 0.05; i=$((i + 1)); done
	test -s "$1"
}

# model NAME SCRIPT: a scripted model saving requests in reqs.NAME, and a
# CODEX_HOME codex.NAME whose provider is that model.
model() {
	mkdir -p reqs.$1 codex.$1 &&
	timeout 300 "$MM" "$2" reqs.$1 >port.$1 2>mm.$1.err &
	echo $! >>pids &&
	filled port.$1 &&
	cat >codex.$1/config.toml <<EOF
model = "gpt-5.5"
model_provider = "mock"
[model_providers.mock]
name = "mock"
base_url = "http://127.0.0.1:$(head -n 1 port.$1)/v1"
wire_api = "responses"
supports_websockets = false
request_max_retries = 0
stream_max_retries = 0
EOF
}

# turn NAME SANDBOX PROMPT [VAR=VALUE]: one `codex exec` turn in $P/sub.
turn() {
	(cd "$P/sub" && env HOME="$TRASH/home" CODEX_HOME="$TRASH/codex.$1" \
	    OPENAI_API_KEY=none $4 timeout 120 "$CODEX" exec \
	    --skip-git-repo-check -s $2 "$3" </dev/null \
	    >"$TRASH/out.$1" 2>"$TRASH/err.$1")
}

test_expect_success 'start a WebSocket server' '
	eval "timeout 300 $(in_ns "$SERVER --listen ws://127.0.0.1:0")" >url 2>srv.ws.log &
	echo $! >>pids &&
	filled url &&
	grep -q "^ws://127.0.0.1:[0-9]*$" url
'

for T in ws stdio; do
	test_expect_success "$T: codex exec runs its turn to the end" '
		remote_tree && model $T script &&
		if test $T = stdio; then
			cmd=$(in_ns "$SERVER --listen stdio 2>>\"$TRASH/srv.stdio.log\"") &&
			q=$(printf "%s" "$cmd" | sed "s/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g") &&
			printf "%s\n" "default = \"here\"" "include_local = false" \
			    "[[environments]]" "id = \"here\"" "program = \"sh\"" \
			    "args = [\"-c\", \"$q\"]" >codex.$T/environments.toml &&
			turn $T danger-full-access "do the work"
		else
			turn $T danger-full-access "do the work" \
			    CODEX_EXEC_SERVER_URL=$(head -n 1 url)
		fi &&
		grep -q "^done$" out.$T &&
		test -s reqs.$T/req5.json && ! test -e reqs.$T/req6.json
	'

	test_expect_success "$T: AGENTS.md of the root (found by .git) and of cwd come from the server" '
		grep -q "REMOTE-ROOT-MARKER keep lines short" reqs.$T/req1.json &&
		grep -q "REMOTE-SUB-MARKER use tabs" reqs.$T/req1.json &&
		! grep -q CLIENT-VIEW reqs.$T/req1.json &&
		grep -Fq "\"text\":\"do the work\"" reqs.$T/req1.json
	'

	test_expect_success "$T: one patch adds (with new parent directories), updates, moves and deletes" '
		grep -Fq "Success. Updated the following files:\nA src/new/deep/hello.txt\nM existing.txt\nM moved/renamed.txt\nD obsolete.txt\n" reqs.$T/req2.json
	'

	test_expect_success "$T: a patch of a missing file fails with the error the server gave" '
		grep -o "\"call_id\":\"p2\",\"output\":\"[^\"]*\"" reqs.$T/req3.json >p2 &&
		grep -Fq "Failed to read file to update $P/sub/missing.txt: No such file or directory (os error 2)" p2 &&
		! grep -Fq "Success." p2
	'

	test_expect_success "$T: view_image returns the server's bytes unchanged" '
		grep -Fq "\"image_url\":\"data:image/png;base64,$PNG64\"" reqs.$T/req4.json
	'

	test_expect_success "$T: exec_command runs on the server, in the sub directory" '
		grep -o "\"call_id\":\"e1\",\"output\":\"[^\"]*\"" reqs.$T/req5.json >e1 &&
		grep -Fq "Process exited with code 0" e1 &&
		grep -Fq "REMOTE-SUB-MARKER use tabs\nkeep\nnew line\nlast\n" e1
	'

	test_expect_success "$T: the server holds exactly the patched tree" '
		diff -r expect "$R"
	'

	test_expect_success ISOLATED "$T: the client's own view of the directory is untouched" '
		find "$P" -type f | sort >client-files &&
		printf "%s\n" "$P/AGENTS.md" "$P/sub/AGENTS.md" | sort >want &&
		test_cmp want client-files
	'

	test_expect_success LOG "$T: the server log shows the file and process methods, none failed unexpectedly" '
		for m in initialize fs/getMetadata fs/readFile fs/writeFile fs/remove \
		    fs/createDirectory process/start; do
			grep -q "\] $m -> " srv.$T.log || { echo "no $m"; return 1; }
		done &&
		! grep -v -e "-> ok$" -e "-> later$" -e "-> error -32004$" srv.$T.log
	'
done

# A turn under the workspace-write sandbox: the patch inside the
# workspace and the command run, confined; a write outside it, into .git
# and a network connect are refused, and nothing outside changes.  The
# outside file is in /var/tmp: the trash may be under /tmp, which
# workspace-write lets a command write.
OUT=/var/tmp/t9004-outside.$$
rm -f "$OUT"
cat >script2 <<EOF
{"type":"custom_tool_call","name":"apply_patch","call_id":"w1","input":"*** Begin Patch\n*** Add File: sandboxed.txt\n+yes\n*** Delete File: existing.txt\n*** End Patch\n"}
{"type":"function_call","name":"exec_command","call_id":"w2","arguments":"{\"cmd\":\"touch ran-confined; echo x > $OUT; echo x >> $P/.git/HEAD; (echo x > /dev/tcp/127.0.0.1/$(head -n 1 port.ws)) 2>&1 | head -c 200; echo end\"}"}
EOF

test_expect_success LOG,LANDLOCK 'workspace-write: the patch and the command run confined; outside, .git and the network do not' '
	remote_tree && model ww script2 &&
	n=$(wc -l <srv.ws.log) &&
	turn ww workspace-write "try it" CODEX_EXEC_SERVER_URL=$(head -n 1 url) &&
	grep -q "^done$" out.ww &&
	grep -Fq "Success. Updated the following files:\nA sandboxed.txt\nD existing.txt\n" reqs.ww/req2.json &&
	grep -o "\"call_id\":\"w2\",\"output\":\"[^\"]*\"" reqs.ww/req3.json >w2 &&
	grep -Fq "$OUT: Read-only file system" w2 &&
	grep -Fq "proj/.git/HEAD: Read-only file system" w2 &&
	grep -Fq "socket: Operation not permitted" w2 && grep -Fq "\nend\n" w2 &&
	test "$(cat "$R/sub/sandboxed.txt")" = yes &&
	! test -e "$R/sub/existing.txt" && test -e "$R/sub/ran-confined" &&
	! test -e "$OUT" &&
	test "$(cat "$R/.git/HEAD")" = "ref: refs/heads/main" &&
	tail -n +$((n + 1)) srv.ws.log >srv2.log &&
	grep -q "\] process/start -> ok$" srv2.log &&
	grep -q "\] fs/writeFile -> later$" srv2.log
'

cat >script3 <<EOF
{"type":"custom_tool_call","name":"apply_patch","call_id":"r1","input":"*** Begin Patch\n*** Add File: ro.txt\n+no\n*** End Patch\n"}
{"type":"function_call","name":"exec_command","call_id":"r2","arguments":"{\"cmd\":\"touch ro-ran\"}"}
EOF

test_expect_success LOG,LANDLOCK 'read-only: nothing changes at all' '
	remote_tree && cp -a "$R" before.ro && model ro script3 &&
	turn ro read-only "look only" CODEX_EXEC_SERVER_URL=$(head -n 1 url) &&
	grep -q "^done$" out.ro &&
	! test -e "$R/sub/ro.txt" && ! test -e "$R/sub/ro-ran" &&
	diff -r before.ro "$R"
'

# Before test_done, which removes $TRASH and the pid list with it.
stop_all
test_done
