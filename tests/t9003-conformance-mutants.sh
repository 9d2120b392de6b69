#!/bin/sh
# t9003: the runner catches wrong servers.  Each mutant is a transcript
# with one deliberate error (a wrong code, a missing field, a lost output
# byte, an extra notification, ...); the runner reports it "ok" only when
# it fails against the server, so a mutant that passes is a failure here.
cd "$(dirname "$0")/.." || exit 1
exec ./exec-conformance \
    --spawn "${EXEC_SERVER:-./exec-server} --listen ws://127.0.0.1:0" \
    conformance/mutants/*.jsonl
