#!/bin/sh
# t0003: WebSocket integration tests (tests/wsprobe.c) against a server on
# an ephemeral port; ends with the shutdown Close frame.
cd "$(dirname "$0")" || exit 1
ES=../exec-server
out=$(mktemp) || exit 1
trap 'rm -f "$out"; [ -n "$pid" ] && kill $pid 2>/dev/null' EXIT
$ES --listen ws://127.0.0.1:0 >"$out" &
pid=$!
i=0
while [ $i -lt 100 ] && ! [ -s "$out" ]; do sleep 0.05; i=$((i + 1)); done
url=$(head -n 1 "$out")
[ -n "$url" ] || { echo "Bail out! the server printed no URL"; exit 1; }
./wsprobe "$url" $pid
rc=$?
# wsprobe's last test sent SIGTERM: the server must exit 0.  Should
# wsprobe have died before that, stop the server rather than hang.
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL $pid 2>/dev/null
wait $pid
st=$?
pid=
if [ $st -ne 0 ]; then echo "# the server exited with status $st after SIGTERM"; rc=1; fi
exit $rc
