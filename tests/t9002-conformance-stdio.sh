#!/bin/sh
# t9002: the conformance suite against our server over stdio.
cd "$(dirname "$0")/.." || exit 1
# The sandbox transcripts need Landlock ABI 6 and the server itself (a
# stand-in under valgrind cannot make a sandbox).
sb=
case $(tests/sbprobe landlock-abi 2>/dev/null) in
[6-9]|[1-9][0-9]) test -z "${EXEC_SERVER:-}" && sb="--with sandbox" ;;
esac
exec ./exec-conformance --todo conformance/todo $sb \
    --stdio "${EXEC_SERVER:-./exec-server} --listen stdio" \
    conformance/transcripts/*.jsonl
