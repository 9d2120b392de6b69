#!/bin/sh
test_description='the fuzz targets over their committed corpus (crashes found stay as regression inputs)'
. "$(dirname "$0")/tap.sh"

FZ="$SRC_DIR/tests/fuzz"

for t in json ws http b64 url toml jwt transcript rpc; do
	test -x "$FZ/${t}_replay" ||
	    { echo "Bail out! build first: make check-build"; exit 1; }
	pre=
	# rpc runs the server's methods: it confines itself with Landlock.
	test $t = rpc && pre=LANDLOCK
	test_expect_success $pre "$t: every input of tests/fuzz/corpus/$t, invariants hold" "
		\"$FZ/${t}_replay\" \"$FZ/corpus/$t\" >out &&
		cat out &&
		grep -q '^[1-9][0-9]* inputs\$' out
	"
done

test_expect_success 'a file that cannot be read fails the replay' '
	test_must_fail "$FZ/json_replay" no-such-file 2>err &&
	grep -q no-such-file err
'

test_done
