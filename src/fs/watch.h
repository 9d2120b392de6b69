/*
 * watch.h: fs/watchMissing and fs/missingChanged; the watch stops when its
 * connection goes (watch.c).
 */
#ifndef WATCH_H
#define WATCH_H

#include "rpc/rpc.h"

extern const struct rpc_module watch_module;

#endif
