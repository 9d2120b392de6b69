#!/bin/sh
# t9002: the conformance suite against our server over stdio.
cd "$(dirname "$0")/.." || exit 1
exec ./exec-conformance --todo conformance/todo \
    --stdio "${EXEC_SERVER:-./exec-server} --listen stdio" \
    conformance/transcripts/*.jsonl
