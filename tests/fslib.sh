# fslib.sh: helpers for the filesystem tests (t3*), sourced after tap.sh.
#
#   fsrpc [rpcpipe options] <script   run a script against a fresh stdio
#                                     server (initialized); in the script
#                                     @T@ becomes $TRASH and @U@ file://$TRASH
#   answer FILE N                     the response to request id N
#   expect_answer FILE N JSON         ... and it must be exactly JSON
#   b64 FILE                          FILE in base64 on one line
#   ws_start [args]                   start a WebSocket server: $WS_URL,
#                                     stopped when the script ends

RP="$SRC_DIR/tests/rpcpipe"
FL="$SRC_DIR/tests/fsload"
if ! test -x "$RP" || ! test -x "$ES" || ! test -x "$FL"; then
	echo "Bail out! build first: make check-build"
	exit 1
fi
command -v base64 >/dev/null 2>&1 && test_set_prereq BASE64
command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	test_set_prereq SETPRIV

fsrpc() {
	sed -e "s|@U@|file://$TRASH|g" -e "s|@T@|$TRASH|g" |
	    "$RP" -i "$@" "$ES" --listen stdio
}

answer() {
	grep -a "\"id\":$2[,}]" "$1" | grep -av '"method"'
}

expect_answer() {
	got=$(answer "$1" "$2" | sed "s|$TRASH|@T@|g")
	if [ "$got" != "$3" ]; then
		printf "answer %s: want %s\n" "$2" "$3" >&2
		printf "answer %s:  got %s\n" "$2" "$got" >&2
		return 1
	fi
}

b64() {
	base64 -w0 <"$1"
}

ws_start() {
	"$ES" --listen ws://127.0.0.1:0 "$@" >"$TRASH/.ws-url" &
	WS_PID=$!
	i=0
	while ! grep -q '^ws://' "$TRASH/.ws-url" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && return 1
		sleep 0.05
	done
	WS_URL=$(head -n 1 "$TRASH/.ws-url")
	# Called in a test's subshell: the server goes when the test ends.
	trap 'kill $WS_PID 2>/dev/null' EXIT
}
