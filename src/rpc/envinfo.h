/*
 * envinfo.h: what the server tells a client about its machine
 * (environmentInfo, protocol.md §7.1), and the environment methods.
 */
#ifndef ENVINFO_H
#define ENVINFO_H

#include "base/json.h"
#include "rpc/rpc.h"

extern const struct rpc_method envinfo_methods[];

/* Write the EnvironmentInfo object. */
void	 envinfo_write(struct jw *);

#endif
