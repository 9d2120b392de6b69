#!/bin/sh
# vgcheck.sh DIR: the verdict on the valgrind logs of `make valgrind`.
# Prints every log that reports an error or a leak, then one line
# "valgrind: N servers, M with errors"; exits 1 if M > 0 or N = 0.
dir=$1
n=0 bad=0
for f in "$dir"/vg.*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	# -q: a log holds nothing but what went wrong: errors and leaks are
	# "==PID==" lines; "--PID--" lines are valgrind's own notes (such
	# as an unhandled system call: Landlock's, which the server then
	# sees as missing).
	if grep -q '^==[0-9]*==' "$f"; then
		bad=$((bad + 1))
		echo "== $f"
		cat "$f"
	fi
done
echo "valgrind: $n servers, $bad with errors"
[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
