#!/bin/sh
# budget.sh TARGET CPU_SECONDS [WORKDIR]: run tests/fuzz/TARGET_fuzz until
# it has used CPU_SECONDS of CPU (not wall time: a fuzzer that shares the
# machine gets its full budget), on a copy of the committed corpus, with
# the target's dictionary.  New inputs and crashes land in WORKDIR
# (default /tmp/fuzz-TARGET); the log is WORKDIR/log.  Merge back with
#	tests/fuzz/merge.sh TARGET WORKDIR/corpus
set -u
t=$1 budget=$2 dir=${3:-/tmp/fuzz-$1}
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/${t}_fuzz
test -x "$bin" || { echo "budget.sh: build first: make fuzz" >&2; exit 2; }
mkdir -p "$dir/corpus" "$dir/crashes" || exit 2
cp -n "$here/corpus/$t/"* "$dir/corpus/" 2>/dev/null
dict=
test -f "$here/dict/$t.dict" && dict=-dict=$here/dict/$t.dict
hz=$(getconf CLK_TCK)
# rpc confines itself (nobody, Landlock): let it write where libFuzzer does.
if [ "$t" = rpc ]; then
	export RPC_FUZZ_OUT=$dir
	[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$dir"
fi
"$bin" $dict -artifact_prefix="$dir/crashes/" -print_final_stats=1 -print_funcs=0 \
    -max_total_time=0 -rss_limit_mb=4096 "$dir/corpus" >"$dir/log" 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null; do
	sleep 5
	# utime + stime of the fuzzer (fields 14, 15 of /proc/PID/stat)
	set -- $(sed 's/^.*) //' /proc/$pid/stat 2>/dev/null) x
	test $# -ge 13 || break
	used=$(( (${12} + ${13}) / hz ))
	if [ "$used" -ge "$budget" ]; then
		kill -INT $pid
		break
	fi
done
wait $pid
rc=$?
echo "cpu_seconds: ${used:-0}" >>"$dir/log"
# 0, or 72 after the SIGINT above (libFuzzer's "interrupted"), is a clean stop.
case $rc in 0|72|130) exit 0 ;; *) exit $rc ;; esac
