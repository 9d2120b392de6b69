#!/bin/sh
# bench/run.sh: every workload of bench/bench against exec-server and,
# when it can be installed, the reference (codex exec-server 0.169.0), in
# alternating rounds (ours, reference, ours, reference, ...), then the
# medians, the spread (min-max) and the ratio, as a Markdown table.
# Figures only: nothing here passes or fails on speed.
#
#   sh bench/run.sh		# both, if ../shared/tools/reference-codex works
#   REFERENCE= sh bench/run.sh	# ours only
#   ROUNDS=5 sh bench/run.sh	# more rounds (default 3)
#   QUICK=1 sh bench/run.sh	# smaller sizes, one round: a smoke run
#
# The raw lines (server, round, then bench's own fields) are kept in
# bench/last.tsv.
set -u
cd "$(dirname "$0")/.." || exit 1
make -s exec-server bench/bench || exit 1

rounds=${ROUNDS:-3}
pipe_mib=256 tty_mib=32 spawn_n=200 spawns_n=500 small_n=20000 conns_n=200
sb_n=100
# The largest file both servers take in one fs/writeFile: a 64 MiB
# WebSocket message (both servers' limit) holds 48 MiB of base64 data
# and the call around it.
big=$((48 * 1024 * 1024 - 4096))
if [ -n "${QUICK:-}" ]; then
	rounds=1 pipe_mib=16 tty_mib=4 spawn_n=20 spawns_n=50 small_n=2000
	conns_n=20 sb_n=5 big=$((16 * 1024 * 1024))
fi

tmp=$(mktemp -d) || exit 1
apid= bpid=
trap 'kill $apid $bpid 2>/dev/null; rm -rf "$tmp"' EXIT
raw=bench/last.tsv
: >"$raw"

# start VAR_PID VAR_URL CMD...: start a server, wait for its URL.
start() {
	pv=$1 uv=$2
	shift 2
	"$@" >"$tmp/url.$pv" 2>/dev/null &
	eval "$pv=$!"
	i=0
	while [ $i -lt 200 ] && ! [ -s "$tmp/url.$pv" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	eval "$uv=\$(head -n 1 \"\$tmp/url.$pv\")"
}

rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

ms_of() {	# ms_of CMD...: wall milliseconds of a shell command
	t0=$(date +%s%N)
	sh -c "$1" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

start apid aurl ./exec-server --listen ws://127.0.0.1:0
names=ours
ref=${REFERENCE-../shared/tools/reference-codex}
if [ -n "$ref" ] && [ -x "$ref" ]; then
	mkdir -p "$tmp/home/codex"
	if codex=$("$ref" 2>/dev/null) && [ -x "$codex" ]; then
		start bpid burl env HOME="$tmp/home" \
		    CODEX_HOME="$tmp/home/codex" "$codex" exec-server \
		    --listen ws://127.0.0.1:0
		names="ours reference"
	else
		echo "reference: could not be installed; ours only" >&2
	fi
fi
sleep 1
a_idle=$(rss "$apid" VmRSS)
b_idle=${bpid:+$(rss "$bpid" VmRSS)}

work="spawn $spawn_n
spawns $spawns_n
pipe $pipe_mib
tty $tty_mib
read 1024
read 1048576
read 8388608
read $big
write 1024
write 1048576
write 8388608
write $big
small $small_n
conns $conns_n
rtt 5000
sbread $sb_n
sbwrite $sb_n
sbspawn $sb_n"

r=1
while [ $r -le "$rounds" ]; do
	echo "$work" | while read -r w arg; do
		for s in $names; do
			if [ "$s" = ours ]; then p=$apid u=$aurl
			else p=$bpid u=$burl
			fi
			if line=$(bench/bench -p "$p" "$u" "$w" "$arg"); then
				printf '%s\t%s\t%s\n' "$s" "$r" "$line" >>"$raw"
			else
				echo "bench: $s $w $arg failed" >&2
			fi
		done
	done
	echo "round $r of $rounds done" >&2
	r=$((r + 1))
done
a_peak=$(rss "$apid" VmHWM) a_after=$(rss "$apid" VmRSS)
b_peak=${bpid:+$(rss "$bpid" VmHWM)}

# The machine's own limits for the same work, no server.
fork_ms=$(bench/bench - fork 200 | cut -f3)
exec_ms=$(bench/bench - exec 200 | cut -f3)
b64_ms=$(ms_of "head -c $((pipe_mib * 1048576)) /dev/zero | base64 >/dev/null")
cat_ms=$(ms_of "head -c $((pipe_mib * 1048576)) /dev/zero | cat >/dev/null")
pipe_ms=$(bench/bench - pipe "$pipe_mib" | cut -f3)
tty_ms=$(bench/bench - tty "$tty_mib" | cut -f3)

# Sizes: this build, and a static stripped one when musl-gcc is here.
dyn=$(stat -c %s exec-server)
static=-
if command -v musl-gcc >/dev/null 2>&1; then
	mkdir "$tmp/st"
	tar -cf - Makefile src conformance tests/*.c tests/fuzz 2>/dev/null |
	    tar -C "$tmp/st" -xf -
	if make -s -C "$tmp/st" static >/dev/null 2>&1 &&
	    strip -o "$tmp/st/s" "$tmp/st/exec-server"; then
		static=$(stat -c %s "$tmp/st/s")
		start spid surl "$tmp/st/s" --listen ws://127.0.0.1:0
		sleep 1
		static_idle=$(rss "$spid" VmRSS)
		kill "$spid"
	fi
fi

echo "# exec-server bench, $(date -u +%Y-%m-%d), $rounds round(s)"
echo "# $(nproc) CPUs, $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| workload | ours: median (min-max) | reference: median (min-max) | reference / ours | server CPU ms, ours / reference |"
echo "|---|---|---|---|---|"
awk -F'\t' '
# server round workload arg ms cpu work unit
{
	k = $3 " " $4
	if (!(k in seen)) { seen[k] = 1; order[n++] = k }
	i = ++cnt[$1, k]
	ms[$1, k, i] = $5; cpu[$1, k, i] = $6
	wk[k] = $7; un[k] = $8
}
# The median of v[s, k, 1..n] (v: ms or cpu); lo and hi: the extremes.
function med(v, s, k,    m, i, j, t, a) {
	m = cnt[s, k]
	for (i = 1; i <= m; i++) a[i] = v[s, k, i]
	for (i = 2; i <= m; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo = a[1]; hi = a[m]
	return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function show(s, k,    m, per) {
	if (!cnt[s, k]) return "-"
	m = med(ms, s, k)
	if (un[k] == "MiB")
		return sprintf("%.0f MiB/s (%.0f-%.0f)", wk[k] * 1000 / m,
		    wk[k] * 1000 / hi, wk[k] * 1000 / lo)
	if (k ~ /^(spawns|small|conns)/)
		return sprintf("%.0f/s (%.0f-%.0f)", wk[k] * 1000 / m,
		    wk[k] * 1000 / hi, wk[k] * 1000 / lo)
	return sprintf("%.3f ms (%.3f-%.3f)", m / wk[k], lo / wk[k], hi / wk[k])
}
END {
	for (i = 0; i < n; i++) {
		k = order[i]
		a = cnt["ours", k] ? med(ms, "ours", k) : 0
		b = cnt["reference", k] ? med(ms, "reference", k) : 0
		ratio = a > 0 && b > 0 ? sprintf("%.2f", b / a) : "-"
		ca = cnt["ours", k] ? med(cpu, "ours", k) : "-"
		cb = cnt["reference", k] ? med(cpu, "reference", k) : "-"
		printf "| %s | %s | %s | %s | %s / %s |\n", k, show("ours", k),
		    show("reference", k), ratio, ca, cb
	}
}' "$raw"
echo
echo "The ratio is the reference's median time over ours: above 1, ours is faster."
echo "Per call for rtt, spawn, read, write and the sandboxed calls; per second"
echo "for spawns (64 in flight), small (fs/getMetadata, 64 in flight) and conns."
echo
echo "| | ours | reference |"
echo "|---|---|---|"
echo "| idle RSS | $a_idle kB (static: ${static_idle:--} kB) | ${b_idle:--} kB |"
echo "| peak RSS (VmHWM after every round) | $a_peak kB (now $a_after kB) | ${b_peak:--} kB |"
echo "| binary | $dyn bytes; static stripped: $static bytes | ${codex:+$(stat -L -c %s "$codex") bytes} |"
echo
echo "The machine's own limits for the same work:"
echo
echo "| | |"
echo "|---|---|"
echo "| fork, a byte through a pipe, waitpid | $(awk -v m="$fork_ms" 'BEGIN {printf "%.3f ms", m / 200}') |"
echo "| fork, exec /bin/true, waitpid (bench - exec) | $(awk -v m="$exec_ms" 'BEGIN {printf "%.3f ms", m / 200}') |"
echo "| $pipe_mib MiB through a pipe (head -c \\| cat) | $cat_ms ms |"
echo "| the pipe child's $pipe_mib MiB read by a plain loop (bench - pipe) | $pipe_ms ms, $(awk -v m="$pipe_mib" -v t="$pipe_ms" 'BEGIN {printf "%.0f", m * 1000 / t}') MiB/s |"
echo "| the tty child's $tty_mib MiB through a pseudo-terminal (bench - tty) | $tty_ms ms, $(awk -v m="$tty_mib" -v t="$tty_ms" 'BEGIN {printf "%.0f", m * 1000 / t}') MiB/s |"
echo "| $pipe_mib MiB base64-encoded (head -c \\| base64) | $b64_ms ms |"
