/*
 * envinfo.h: what the server tells a client about its machine
 * (environmentInfo, protocol.md §7.1), and the environment methods.
 */
#ifndef ENVINFO_H
#define ENVINFO_H

#include "base/json.h"
#include "base/jw.h"
#include "rpc/rpc.h"

/* environment/info, environment/status. */
extern const struct rpc_module envinfo_module;

/*
 * Claim the capabilities that need local filesystem access (on by
 * default; off with --no-local-fs).
 */
void	 envinfo_set_local_fs(int);

/* Write the EnvironmentInfo object. */
void	 envinfo_write(struct jw *);

#endif
