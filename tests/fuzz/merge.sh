#!/bin/sh
# merge.sh TARGET DIR...: add to tests/fuzz/corpus/TARGET the inputs of
# DIR... (a budget.sh run's WORKDIR/corpus) that reach something new,
# with libFuzzer's -merge=1.  rpc confines itself (nobody, Landlock): it
# merges into a scratch copy it may write, which then replaces the
# committed directory.
set -u
t=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/${t}_fuzz
corpus=$here/corpus/$t
test -x "$bin" || { echo "merge.sh: build first: make fuzz" >&2; exit 2; }
before=$(ls "$corpus" | wc -l)
if [ "$t" = rpc ]; then
	tmp=$(mktemp -d) || exit 2
	mkdir "$tmp/c" && cp "$corpus"/* "$tmp/c/" || exit 2
	[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$tmp"
	TMPDIR=$tmp RPC_FUZZ_OUT=$tmp "$bin" -merge=1 -print_funcs=0 "$tmp/c" "$@" \
	    >"$tmp/log" 2>&1 || { tail -n 20 "$tmp/log"; exit 1; }
	rm -f "$corpus"/* && cp "$tmp/c"/* "$corpus/" && rm -rf "$tmp"
else
	"$bin" -merge=1 -print_funcs=0 "$corpus" "$@" >/dev/null 2>&1 ||
	    exit 1
fi
echo "$t: $before -> $(ls "$corpus" | wc -l) inputs"
