#!/bin/sh
# The escape suite of t4001 against a server started with
# --sandbox-mode landlock: no namespaces, Landlock and seccomp only.
T4001_MODE=landlock
. "$(dirname "$0")/t4001-sandbox.sh"
