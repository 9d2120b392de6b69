/*
 * fsdir.h: fs/readDirectory, fs/remove, fs/copy (fsdir.c).
 */
#ifndef FSDIR_H
#define FSDIR_H

#include "rpc/rpc.h"

extern const struct rpc_module fsdir_module;

#endif
