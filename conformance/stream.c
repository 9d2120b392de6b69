/*
 * stream.c: the output streams of a process, as the protocol names them.
 */
#include "stream.h"

const char *const stream_names[3] = { "stdout", "stderr", "pty" };
