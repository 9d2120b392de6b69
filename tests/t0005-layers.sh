#!/bin/sh
test_description='the tree: dependencies point down the layers of src/README, no loop'
. "$(dirname "$0")/tap.sh"

L="$TEST_DIR/layers.sh"

# Every object of src/ and conformance/ is built (make check-build).
objs=yes
for c in "$SRC_DIR"/src/*.c "$SRC_DIR"/src/*/*.c "$SRC_DIR"/conformance/*.c; do
	[ -f "${c%.c}.o" ] || objs=
done
[ -n "$objs" ] && test_set_prereq OBJECTS
command -v nm >/dev/null 2>&1 && command -v cc >/dev/null 2>&1 &&
    test_set_prereq NM

test_expect_success 'includes: every one names a file and points down, no loop' '
	sh "$L" includes "$SRC_DIR" >out &&
	test_must_be_empty out
'

test_expect_success OBJECTS,NM 'calls between objects point down, no loop; names carry their file' '
	sh "$L" symbols "$SRC_DIR" >out &&
	test_must_be_empty out
'

# A copy of the tree's sources, to break on purpose.
copy_tree() {
	rm -rf tree && mkdir tree &&
	cp -R "$SRC_DIR/src" "$SRC_DIR/conformance" tree/ &&
	find tree -name "*.o" -exec rm -f {} +
}

test_expect_success 'an upward include, and the loop it makes, are caught' '
	copy_tree &&
	sed "s|^#include \"base/buf.h\"|&\\n#include \"rpc/rpc.h\"|" \
	    tree/src/base/json.h >j && mv j tree/src/base/json.h &&
	grep -q "rpc/rpc.h" tree/src/base/json.h &&
	test_expect_code 1 sh "$L" includes tree >out &&
	grep -q "^src/base/json.h:[0-9]*: base/ may not use rpc/ (#include \"rpc/rpc.h\")$" out &&
	grep -q "^include loop:.* src/base/json" out
'

test_expect_success 'a loop inside one folder is caught' '
	copy_tree &&
	echo "#include \"fs/fsjob.h\"" >>tree/src/fs/fs.h &&
	test_expect_code 1 sh "$L" includes tree >out &&
	grep -q "^include loop:.* src/fs/fs" out &&
	! grep -q "may not use" out
'

test_expect_success 'an include of no file, a folder without README or table line' '
	copy_tree &&
	echo "#include \"net/nosuch.h\"" >>tree/src/net/ws.h &&
	mkdir tree/src/extra && : >tree/src/extra/x.c &&
	test_expect_code 1 sh "$L" includes tree >out &&
	grep -q "^src/net/ws.h:[0-9]*: #include \"net/nosuch.h\" names no file" out &&
	grep -q "^src/extra: no README$" out &&
	grep -q "^src/extra: no line in the layer table of src/README$" out
'

# Two modules that call each other through a header both include: no
# include loop, only the objects show it.
test_expect_success NM 'a call loop behind a shared header, an upward call, a misnamed global' '
	mkdir -p calls/src/lo calls/src/hi && cd calls &&
	printf "    lo: -\n    hi: lo\n" >src/README &&
	: >src/lo/README && : >src/hi/README &&
	printf "int a_f(int);\nint b_f(int);\nint stray(void);\n" >src/lo/ab.h &&
	printf "#include \"lo/ab.h\"\nint a_f(int x) { return x ? b_f(x - 1) : 0; }\n" >src/lo/a.c &&
	printf "#include \"lo/ab.h\"\nint h_f(void);\nint b_f(int x) { return x ? a_f(x - 1) + h_f() : 0; }\n" >src/lo/b.c &&
	printf "int h_f(void);\nint h_f(void) { return 1; }\n" >src/hi/h.c &&
	printf "int stray(void) { return 2; }\n" >src/lo/s.c &&
	for c in src/lo/a.c src/lo/b.c src/hi/h.c src/lo/s.c; do
		cc -Isrc -c -o "${c%.c}.o" "$c" || return 1
	done &&
	sh "$L" includes . >out.inc &&
	test_must_be_empty out.inc &&
	test_expect_code 1 sh "$L" symbols . >out &&
	grep -q "^call loop:.*src/lo/a" out &&
	grep -q "^src/lo/b.o: lo/ may not use hi/ (uses h_f)$" out &&
	grep -q "^src/lo/s.o: global stray does not start with s_$" out &&
	! grep -q "global [ab]_f" out && cd ..
'

test_expect_success 'a usage error is not a pass' '
	test_expect_code 2 sh "$L" 2>err &&
	grep -q "^usage:" err
'

test_done
