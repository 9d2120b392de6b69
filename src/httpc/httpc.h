/*
 * httpc.h: the http/request method (httpc.c) and its bodyDelta
 * notifications: an HTTP/1.1 client on the loop, for http:// URLs.
 */
#ifndef HTTPC_H
#define HTTPC_H

#include "rpc/rpc.h"

extern const struct rpc_module	 httpc_module;

#endif
