#!/bin/sh
test_description='exec-client against a live server: commands, get, put, ls, errors'
. "$(dirname "$0")/tap.sh"
. "$TEST_DIR/proclib.sh"

XC="$SRC_DIR/exec-client"

wsserver || { echo "Bail out! the server did not start"; exit 1; }

test_expect_success 'a command: output, and its exit status passed through' '
	"$XC" --url "$URL" -n -- sh -c "echo out; echo err >&2; exit 7" >out 2>err
	test $? -eq 7 &&
	test "$(cat out)" = out && test "$(cat err)" = err
'

test_expect_success 'stdin is forwarded; --cwd and -e reach the program' '
	echo piped | "$XC" --url "$URL" --cwd "$TRASH" -e XC_T=yes -- \
	    sh -c "head -n 1; pwd; echo \$XC_T" >out &&
	printf "piped\n%s\nyes\n" "$TRASH" >want &&
	test_cmp want out
'

test_expect_success 'get and put round-trip all 256 byte values, small and over 8 MiB (fs/open and fs/writeBlock)' '
	awk "BEGIN { for (i = 0; i < 256; i++) printf \"%c\", i }" >bytes &&
	test $(wc -c <bytes) -eq 256 &&
	"$XC" --url "$URL" put bytes "$TRASH/up.bin" &&
	cmp bytes up.bin &&
	"$XC" --url "$URL" get "$TRASH/up.bin" down.bin &&
	cmp bytes down.bin &&
	{ cat bytes; head -c 9437184 /dev/urandom; } >big &&
	"$XC" --url "$URL" put big "$TRASH/up-big.bin" &&
	cmp big up-big.bin &&
	"$XC" --url "$URL" get "$TRASH/up-big.bin" >down-big.bin &&
	cmp big down-big.bin
'

test_expect_success 'ls lists names sorted, directories with a slash' '
	mkdir -p lsd/b-dir && : >lsd/c && : >lsd/a &&
	"$XC" --url "$URL" ls "$TRASH/lsd" >out &&
	printf "a\nb-dir/\nc\n" >want &&
	test_cmp want out
'

test_expect_success 'a server error is exit status 125 with its message' '
	"$XC" --url "$URL" get "$TRASH/no-such-file" >out 2>err
	test $? -eq 125 &&
	grep -q "no-such-file: No such file or directory (os error 2) (error -32004)" err &&
	test_must_be_empty out
'

test_expect_success '--stdio CMD speaks to a server over its stdin and stdout' '
	"$XC" --stdio "\"$ES\" --listen stdio" -n -- echo over-stdio >out &&
	test "$(cat out)" = over-stdio &&
	"$XC" --stdio "\"$ES\" --listen stdio" get "$TRASH/up.bin" stdio.bin &&
	cmp bytes stdio.bin
'

test_done
