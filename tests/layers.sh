#!/bin/sh
# layers.sh: check that the dependencies of src/ and conformance/ point
# down the layers, with no loop.
#
# usage: sh tests/layers.sh includes|symbols [ROOT]    (ROOT: default .)
#
# The layers are the table in ROOT/src/README: lines "    NAME: USES",
# USES being the folders NAME may use ("-": none).  A folder may always
# use itself; src/main.c may use everything.
#
# includes  every folder of src/ has a README and a line in the table;
#           every #include "x" names a file (x beside the includer, or
#           src/x); it crosses only to a folder the table allows; the
#           graph of modules (x.c and x.h are one module) has no loop.
# symbols   the same for the calls the object files make: an object that
#           uses a global symbol another one defines depends on it (nm),
#           which also sees a loop behind a shared header.  Each global
#           symbol is defined once and takes its file's name as prefix
#           (`conn_send` in conn.c; `main` excepted).  Objects not built
#           are left out.
#
# Prints one line per problem; exits 1 if there is any, 2 on bad usage.

set -u
mode=${1:-}
root=${2:-.}
case $mode in
includes|symbols) ;;
*)	echo "usage: layers.sh includes|symbols [ROOT]" >&2
	exit 2 ;;
esac
cd "$root" || exit 2
[ -f src/README ] || { echo "src/README: missing (the layer table)"; exit 1; }
dirs=src
[ -d conformance ] && dirs="src conformance"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/problems"

problem() {
	echo "$*" >>"$tmp/problems"
}

sed -n 's/^    \([a-z]*\): *\(.*\)$/\1 \2 /p' src/README >"$tmp/rules"

# folder PATH: the layer a file belongs to.
folder() {
	case $1 in
	src/*/*)	f=${1#src/}; echo "${f%%/*}" ;;
	src/*)		echo main ;;
	conformance/*)	echo conformance ;;
	*)		echo other ;;
	esac
}

# allowed FROM TO: may a file of layer FROM use one of layer TO?
allowed() {
	[ "$1" = "$2" ] || [ "$1" = main ] ||
	    grep -q "^$1 .* $2 " "$tmp/rules" ||
	    grep -q "^$1 $2 " "$tmp/rules"
}

# loops EDGES WHAT: report every loop tsort finds among the edges.
loops() {
	tsort "$1" >/dev/null 2>"$tmp/tsort" && return
	awk -v what="$2" '
	    /input contains a loop/ { if (l != "") print what l; l = ""; next }
	    { sub(/^tsort: /, ""); l = l " " $0 }
	    END { if (l != "") print what l }' "$tmp/tsort" |
	    sort -u >>"$tmp/problems"
}

# edge FILE LINE FROM TO WHAT: one dependency between two modules.
edge() {
	ff=$(folder "$3")
	tf=$(folder "$4")
	[ "$3" = "$4" ] && return
	echo "$3 $4" >>"$tmp/edges"
	allowed "$ff" "$tf" ||
	    problem "$1${2:+:$2}: $ff/ may not use $tf/ ($5)"
}

: >"$tmp/edges"
if [ "$mode" = includes ]; then
	for d in src/*/; do
		d=${d%/}
		n=${d#src/}
		[ -f "$d/README" ] || problem "$d: no README"
		grep -q "^$n " "$tmp/rules" ||
		    problem "$d: no line in the layer table of src/README"
	done
	find $dirs -name '*.[ch]' | sort >"$tmp/files"
	while read -r f; do
		dir=$(dirname "$f")
		grep -n '^#[ 	]*include[ 	]*"' "$f" |
		    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' \
		    >"$tmp/incs"
		while read -r line name; do
			if [ -f "$dir/$name" ]; then
				t=$dir/$name
			elif [ -f "src/$name" ]; then
				t=src/$name
			else
				problem "$f:$line: #include \"$name\" names no" \
				    "file (beside it or under src/)"
				continue
			fi
			edge "$f" "$line" "${f%.[ch]}" "${t%.[ch]}" \
			    "#include \"$name\""
		done <"$tmp/incs"
	done <"$tmp/files"
	loops "$tmp/edges" "include loop:"
else
	find $dirs -name '*.c' | sort | while read -r c; do
		[ -f "${c%.c}.o" ] && echo "${c%.c}.o"
	done >"$tmp/objs"
	: >"$tmp/defs"
	: >"$tmp/uses"
	while read -r o; do
		m=${o%.o}
		# Names from "__" on are the compiler's (a sanitizer's
		# __odr_asan.*), reserved to it, never ours.
		nm -g --defined-only "$o" |
		    awk -v m="$m" 'NF == 3 && $3 !~ /^__/ { print $3, m }' \
		    >>"$tmp/defs"
		nm -u "$o" | awk -v m="$m" '{ print $NF, m }' >>"$tmp/uses"
	done <"$tmp/objs"
	# Each global once (main: once per program), named after its file.
	grep -v '^main ' "$tmp/defs" | awk '{ print $1 }' | sort | uniq -d |
	    while read -r s; do
		problem "symbol $s is defined in" \
		    $(awk -v s="$s" '$1 == s { print $2 ".o" }' "$tmp/defs")
	done
	awk '$1 != "main" {
		n = $2; sub(/.*\//, "", n)
		if (index($1, n "_") != 1 && $1 != n)
			print $2 ".o: global " $1 " does not start with " n "_"
	    }' "$tmp/defs" >>"$tmp/problems"
	sort -k1,1 "$tmp/defs" >"$tmp/defs.s"
	sort -k1,1 "$tmp/uses" >"$tmp/uses.s"
	join "$tmp/uses.s" "$tmp/defs.s" | grep -v '^main ' |
	    sort -u -k2,3 >"$tmp/calls"
	while read -r sym from to; do
		edge "$from.o" "" "$from" "$to" "uses $sym"
	done <"$tmp/calls"
	loops "$tmp/edges" "call loop:"
fi
sort -u "$tmp/problems"
[ ! -s "$tmp/problems" ]
