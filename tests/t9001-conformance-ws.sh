#!/bin/sh
# t9001: the conformance suite against our server over WebSocket (a fresh
# server per transcript).  Expected failures are listed in conformance/todo.
# The HTTP fixture of transcript 49 is tests/httpd on port 47899, when
# that port is free (else that transcript is skipped).
cd "$(dirname "$0")/.." || exit 1
# The sandbox transcripts need Landlock ABI 6 and the server itself (a
# stand-in under valgrind cannot make a sandbox).
sb=
case $(tests/sbprobe landlock-abi 2>/dev/null) in
[6-9]|[1-9][0-9]) test -z "${EXEC_SERVER:-}" && sb="--with sandbox" ;;
esac
with=
hpid=
pf=$(mktemp -u "${TMPDIR:-/tmp}/t9001-httpd.XXXXXX")
if test -x tests/httpd; then
	tests/httpd -p 47899 "$pf" 2>/dev/null &
	hpid=$!
	i=0
	while ! test -s "$pf" && test $i -lt 40; do sleep 0.05; i=$((i + 1)); done
	if test -s "$pf"; then
		with="--with http-fixture"
	else
		kill $hpid 2>/dev/null
		hpid=
	fi
fi
./exec-conformance --todo conformance/todo --with ws-auth $with $sb \
    --spawn "${EXEC_SERVER:-./exec-server} --listen ws://127.0.0.1:0" \
    conformance/transcripts/*.jsonl
rc=$?
test -n "$hpid" && kill $hpid 2>/dev/null
rm -f "$pf"
exit $rc
