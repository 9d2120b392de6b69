#!/bin/sh
# t9001: the conformance suite against our server over WebSocket (a fresh
# server per transcript).  Expected failures are listed in conformance/todo.
cd "$(dirname "$0")/.." || exit 1
exec ./exec-conformance --todo conformance/todo --with ws-auth \
    --spawn './exec-server --listen ws://127.0.0.1:0' \
    conformance/transcripts/*.jsonl
