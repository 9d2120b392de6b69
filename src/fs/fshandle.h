/*
 * fshandle.h: fs/open, fs/readBlock, fs/writeBlock, fs/close; the handles
 * close when their connection goes (fshandle.c).
 */
#ifndef FSHANDLE_H
#define FSHANDLE_H

#include "rpc/rpc.h"

extern const struct rpc_module fshandle_module;

#endif
