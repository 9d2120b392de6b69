# proclib.sh: helpers for the process tests (t2*), sourced after tap.sh.
#
#   rpcs [rpcpipe options] <script   run a script against a fresh stdio
#                                    server (initialized); @CWD@ in the
#                                    script becomes file://$TRASH
#   events FILE ID                   the events of process ID, one a line:
#                                    "output SEQ STREAM", "exited SEQ CODE",
#                                    "closed SEQ"
#   out FILE ID [STREAM]             its decoded output
#   outlen FILE ID                   the number of bytes in it
#   answer FILE N                    the response to request id N
#   now_ms                           milliseconds since the epoch

RP="$SRC_DIR/tests/rpcpipe"
if ! test -x "$RP" || ! test -x "$ES"; then
	echo "Bail out! build first: make check-build"
	exit 1
fi
command -v base64 >/dev/null 2>&1 && test_set_prereq BASE64

rpcs() {
	sed -e "s|@CWD@|file://$TRASH|g" -e "s|@TRASH@|$TRASH|g" |
	    "$RP" -i "$@" "$ES" --listen stdio $ES_ARGS
}

events() {
	sed -n \
	    -e "s/^{\"method\":\"process\/output\",\"params\":{\"processId\":\"$2\",\"seq\":\([0-9]*\),\"stream\":\"\([a-z]*\)\",.*/output \1 \2/p" \
	    -e "s/^{\"method\":\"process\/exited\",\"params\":{\"processId\":\"$2\",\"seq\":\([0-9]*\),\"exitCode\":\(-*[0-9]*\),\"sandboxDenied\":false}}$/exited \1 \2/p" \
	    -e "s/^{\"method\":\"process\/closed\",\"params\":{\"processId\":\"$2\",\"seq\":\([0-9]*\)}}$/closed \1/p" \
	    "$1"
}

chunks_of() {
	sed -n "s/^{\"method\":\"process\/output\",\"params\":{\"processId\":\"$2\",\"seq\":[0-9]*,\"stream\":\"${3:-[a-z]*}\",\"chunk\":\"\([^\"]*\)\"}}$/\1/p" "$1"
}

out() {
	chunks_of "$@" | while read -r c; do printf '%s' "$c" | base64 -d; done
}

outlen() {
	chunks_of "$1" "$2" | awk '{
		n = length($0); p = 0
		if ($0 ~ /==$/) p = 2; else if ($0 ~ /=$/) p = 1
		t += n / 4 * 3 - p
	} END { print t + 0 }'
}

answer() {
	grep "\"id\":$2[,}]" "$1" | grep -v '"method"'
}

now_ms() {
	date +%s%3N
}

# alive PID: the process exists and is not a zombie.
alive() {
	test -d /proc/$1 && ! grep -q "^State:.Z" /proc/$1/status 2>/dev/null
}

# wsserver [ARGS]: start a WebSocket server in the background; sets URL,
# SP (the pid to signal) and SRV (the server's own pid).  It dies by
# itself after two minutes (WS_BARE=1: no time limit), and the end of the
# script stops whatever is left in $TRASH/servers.
wsserver() {
	rm -f url
	if test -n "$WS_BARE"; then
		"$ES" --listen ws://127.0.0.1:0 "$@" >url 2>err &
	else
		timeout 120 "$ES" --listen ws://127.0.0.1:0 "$@" >url 2>err &
	fi
	SP=$!
	echo $SP >>"$TRASH/servers"
	i=0
	while ! test -s url && test $i -lt 100; do sleep 0.05; i=$((i + 1)); done
	SRV=$(pgrep -P $SP || echo $SP)
	URL=$(head -n 1 url)
	test -n "$URL"
}
