#!/bin/sh
# vgwrap.sh: stands for exec-server under `make valgrind` (EXEC_SERVER):
# runs the real binary under valgrind's memcheck, one log per server in
# $VG_LOG_DIR.  Children are not traced: what a process runs is not ours.
# tests/vgcheck.sh reads the logs afterwards.
here=$(cd "$(dirname "$0")" && pwd)
exec valgrind -q --tool=memcheck --trace-children=no \
    --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --log-file="${VG_LOG_DIR:-/tmp}/vg.%p" \
    "$here/../exec-server" "$@"
