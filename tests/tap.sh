# tap.sh: a small sharness-like TAP library for the shell tests.
#
#   test_description='what this script covers'
#   . "$(dirname "$0")/tap.sh"
#   test_expect_success 'name' 'commands && more commands'
#   test_expect_success PREREQ 'name' '...'     # "# SKIP" without PREREQ
#   test_expect_failure 'name' '...'            # known breakage: "# TODO"
#   test_done
#
# Each script runs in its own scratch directory, tests/trash.<script>,
# removed when every test passed.  -v shows the commands' output.
# Helpers: test_set_prereq, test_have_prereq, test_must_fail,
# test_expect_code, test_cmp, test_must_be_empty, test_when_finished.

test_count=0
test_failed=0
test_verbose=
for arg in "$@"; do
	case $arg in
	-v|--verbose) test_verbose=t ;;
	esac
done

TEST_NAME=$(basename "$0" .sh)
TEST_DIR=$(cd "$(dirname "$0")" && pwd)
SRC_DIR=$(cd "$TEST_DIR/.." && pwd)
TRASH="$TEST_DIR/trash.$TEST_NAME"
# The server under test: $EXEC_SERVER stands for it (make valgrind).
ES=${EXEC_SERVER:-$SRC_DIR/exec-server}
export TEST_DIR SRC_DIR TRASH
rm -rf "$TRASH"
mkdir -p "$TRASH" || { echo "Bail out! cannot create $TRASH"; exit 1; }
cd "$TRASH" || exit 1

test_prereqs=" "
test_done_called=

test_set_prereq() {
	test_prereqs="$test_prereqs$1 "
}

test_have_prereq() {
	for p in $(echo "$1" | tr ',' ' '); do
		case $test_prereqs in
		*" $p "*) ;;
		*) return 1 ;;
		esac
	done
	return 0
}

# NATIVE: the server is the binary itself, not a stand-in ($EXEC_SERVER,
# e.g. under valgrind, which adds variables to its environment, names the
# process memcheck and is tens of times slower): for tests of the exact
# inherited environment, of /proc/self, of the order of events in time,
# or of many processes against a deadline.
test -z "${EXEC_SERVER:-}" && test_set_prereq NATIVE

# The Landlock ABI the server sees: sbprobe's, or 0 under a stand-in
# (valgrind 3.19 passes no Landlock call through, so the server refuses
# every sandbox there, as it must).
landlock_abi() {
	if test_have_prereq NATIVE; then
		"$SRC_DIR/tests/sbprobe" landlock-abi 2>/dev/null
	else
		echo 0
	fi
}
# LANDLOCK: the server can make sandboxes (ABI 6: without it they are
# refused).
case $(landlock_abi) in [6-9]|[1-9][0-9]) test_set_prereq LANDLOCK ;; esac

# Register a command to run after the current test, pass or fail.  The
# body runs in a subshell, so the commands go through a file the parent
# reads once the subshell is done; the last registered runs first.
test_when_finished() {
	{ printf '%s\n' "$*"; cat "$TRASH/.cleanup" 2>/dev/null || :; } \
	    >"$TRASH/.cleanup.new" && mv "$TRASH/.cleanup.new" "$TRASH/.cleanup"
}

test_must_fail() {
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ $rc -gt 128 ] && [ $rc -le 192 ]; then
		echo "test_must_fail: command died of signal $((rc - 128)): $*" >&2
		return 1
	fi
	return 0
}

test_expect_code() {
	want=$1
	shift
	"$@"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "test_expect_code: want exit $want, got $rc: $*" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	cmp -s "$1" "$2" && return 0
	echo "test_cmp: $1 and $2 differ:" >&2
	diff -u "$1" "$2" >&2 2>/dev/null || { od -c "$1" | head -20 >&2; od -c "$2" | head -20 >&2; }
	return 1
}

test_must_be_empty() {
	if [ -s "$1" ]; then
		echo "test_must_be_empty: $1 is not empty:" >&2
		head -c 2000 "$1" >&2
		return 1
	fi
}

# Run a test body in a subshell so that a failing `exit` ends only it.
test_run_() {
	rm -f "$TRASH/.cleanup"
	if [ -n "$test_verbose" ]; then
		(eval "$1")
	else
		(eval "$1") >"$TRASH/.out" 2>&1
	fi
	rc=$?
	if [ -f "$TRASH/.cleanup" ]; then
		(. "$TRASH/.cleanup") >/dev/null 2>&1
		rm -f "$TRASH/.cleanup"
	fi
	return $rc
}

test_report_output_() {
	[ -z "$test_verbose" ] && [ -s "$TRASH/.out" ] &&
		tail -n 30 "$TRASH/.out" | sed 's/^/#   /'
}

test_expect_success() {
	if [ $# -eq 3 ]; then prereq=$1; shift; else prereq=; fi
	test_count=$((test_count + 1))
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		echo "ok $test_count # SKIP $1 (missing $prereq)"
		return
	fi
	if test_run_ "$2"; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		echo "#	$(echo "$2" | head -n 5 | sed '2,$s/^/#	/')"
		test_report_output_
	fi
}

test_expect_failure() {
	if [ $# -eq 3 ]; then prereq=$1; shift; else prereq=; fi
	test_count=$((test_count + 1))
	if [ -n "$prereq" ] && ! test_have_prereq "$prereq"; then
		echo "ok $test_count # SKIP $1 (missing $prereq)"
		return
	fi
	if test_run_ "$2"; then
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		echo "not ok $test_count - $1 # TODO known breakage"
	fi
}

test_skip_all() {
	echo "1..0 # SKIP $1"
	test_done_called=t
	cd "$TEST_DIR" && rm -rf "$TRASH"
	exit 0
}

test_done() {
	test_done_called=t
	echo "1..$test_count"
	cd "$TEST_DIR" || exit 1
	if [ $test_failed -eq 0 ]; then
		rm -rf "$TRASH"
		exit 0
	fi
	echo "# failed $test_failed among $test_count test(s); scratch kept in $TRASH"
	exit 1
}

trap 'if [ -z "$test_done_called" ]; then echo "Bail out! $TEST_NAME: unexpected exit"; fi' EXIT

# Prerequisites every script may use.
[ "$(id -u)" = 0 ] && test_set_prereq ROOT
command -v valgrind >/dev/null 2>&1 && test_set_prereq VALGRIND
