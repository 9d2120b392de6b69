#!/bin/sh
# run.sh [shell]: run every test file (C unit tests, then shell tests;
# with "shell", only those), print each TAP result and a closing line
# "N passed, M failed, K skipped".
# A file that exits non-zero or prints no plan counts as a failure.
cd "$(dirname "$0")" || exit 1
pass=0 fail=0 skip=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

run_one() {
	name=$1
	shift
	echo "# $name"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep -c '^ok ' "$log" | tr -d ' ')
	s=$(grep -Ec '^ok .*# SKIP|^not ok .*# TODO' "$log" | tr -d ' ')
	s_ok=$(grep -Ec '^ok .*# SKIP' "$log" | tr -d ' ')
	f=$(grep '^not ok ' "$log" | grep -vc '# TODO' | tr -d ' ')
	pass=$((pass + p - s_ok))
	skip=$((skip + s))
	fail=$((fail + f))
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		fail=$((fail + 1))
	elif ! grep -Eq '^1\.\.[0-9]+' "$log"; then
		echo "not ok - $name printed no plan"
		fail=$((fail + 1))
	elif grep -q '^1\.\.0 # SKIP' "$log"; then
		skip=$((skip + 1))
	fi
}

if [ "${1:-}" != shell ]; then
	for t in unit/*_test; do
		[ -x "$t" ] && run_one "$t" "./$t"
	done
fi
for t in t[0-9]*.sh; do
	[ -f "$t" ] && run_one "$t" sh "./$t"
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
