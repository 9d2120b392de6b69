#!/bin/sh
# bench/run.sh: measure exec-server and, when it can be installed, the
# reference (codex exec-server 0.169.0) side by side on this machine.
# Figures only; nothing here passes or fails on speed.
#
#   sh bench/run.sh            # both, if ../shared/tools/reference-codex works
#   REFERENCE= sh bench/run.sh # ours only
set -u
cd "$(dirname "$0")/.." || exit 1
make -s exec-server bench/bench tests/fsload || exit 1

tmp=$(mktemp -d) || exit 1
trap 'kill $spid 2>/dev/null; rm -rf "$tmp"' EXIT
head -c $((64 * 1024 * 1024)) /dev/urandom >"$tmp/64m"
# 200 directories of 1000 empty files: a 200 201-entry tree.
mkdir "$tmp/tree" && (cd "$tmp/tree" && seq -f 'd%03g' 0 199 | xargs mkdir &&
    for d in d*; do (cd "$d" && seq -f 'f%04g' 0 999 | xargs touch); done)

# tree OP: fs/copy of the tree, fs/walk (50000 entries) or fs/remove of
# the copy, while another connection sends fs/getMetadata back to back:
# max_gap_ms is the longest that connection waited.
tree() {
	case $1 in
	copy)	p="{\"sourcePath\":\"file://$tmp/tree\",\"destinationPath\":\"file://$tmp/copy\",\"recursive\":true}" ;;
	walk)	p="{\"path\":\"file://$tmp/copy\",\"options\":{\"maxDepth\":64,\"maxDirectories\":10000,\"maxEntries\":50000,\"followDirectorySymlinks\":false}}" ;;
	remove)	p="{\"path\":\"file://$tmp/copy\",\"recursive\":true}" ;;
	esac
	printf 'tree %s\t%s\n' "$1" "$(tests/fsload -t 600000 "$url" during \
	    "fs/$1" "$p" "file://$tmp" | head -n 1)"
}

start() {
	"$@" >"$tmp/url" 2>/dev/null &
	spid=$!
	i=0
	while [ $i -lt 200 ] && ! [ -s "$tmp/url" ]; do sleep 0.05; i=$((i + 1)); done
	url=$(head -n 1 "$tmp/url")
}

measure() {
	name=$1
	shift
	echo "== $name"
	t0=$(date +%s%N)
	start "$@"
	t1=$(date +%s%N)
	echo "startup	$(( (t1 - t0) / 1000000 )) ms (to the printed URL)"
	echo "idle RSS	$(awk '/VmRSS/ {print $2, $3}' /proc/$spid/status)"
	bench/bench "$url" rtt 5000
	bench/bench "$url" spawn 200
	bench/bench "$url" sbread 200
	bench/bench - fork 200
	[ "$(id -u)" = 0 ] && bench/bench - forkns 200
	bench/bench "$url" sbwrite 200
	bench/bench "$url" sbspawn 200
	bench/bench "$url" output 200
	bench/bench "$url" readfile "$tmp/64m"
	tree copy
	tree walk
	tree remove
	rm -rf "$tmp/copy"
	echo "peak RSS	$(awk '/VmHWM/ {print $2, $3}' /proc/$spid/status)"
	kill $spid; wait $spid 2>/dev/null
	rm -f "$tmp/url"
}

echo "exec-server binary: $(stat -c %s exec-server) bytes ($(file -b exec-server | cut -d, -f1-2))"
measure exec-server ./exec-server --listen ws://127.0.0.1:0

ref=${REFERENCE-../shared/tools/reference-codex}
if [ -n "$ref" ] && [ -x "$ref" ]; then
	mkdir -p "$tmp/home/codex"
	if codex=$(HOME="$tmp/home" "$ref" 2>/dev/null); then
		echo "reference binary: $(stat -c %s "$codex") bytes"
		measure "reference (codex exec-server 0.169.0)" \
		    env HOME="$tmp/home" CODEX_HOME="$tmp/home/codex" \
		    "$codex" exec-server --listen ws://127.0.0.1:0
	else
		echo "== reference: could not be installed; skipped"
	fi
fi
