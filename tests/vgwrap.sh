#!/bin/sh
# vgwrap.sh: stands for exec-server under `make valgrind` (EXEC_SERVER):
# runs the real binary under valgrind's memcheck, one log per server in
# $VG_LOG_DIR.  Children are not traced: what a process runs is not ours;
# nor is what a forked child does before it execs or exits reported (its
# heap is a copy of the server's, whose pointers it does not hold: a DNS
# lookup child would report the exchange that forked it as lost).
# tests/vgcheck.sh reads the logs afterwards.
here=$(cd "$(dirname "$0")" && pwd)
exec valgrind -q --tool=memcheck --trace-children=no \
    --child-silent-after-fork=yes \
    --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --log-file="${VG_LOG_DIR:-/tmp}/vg.%p" \
    "$here/../exec-server" "$@"
