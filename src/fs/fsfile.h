/*
 * fsfile.h: fs/readFile, fs/writeFile, fs/createDirectory, fs/getMetadata,
 * fs/canonicalize (fsfile.c).
 */
#ifndef FSFILE_H
#define FSFILE_H

#include "rpc/rpc.h"

extern const struct rpc_module fsfile_module;

#endif
