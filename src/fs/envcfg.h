/*
 * envcfg.h: environmentConfig/read, capabilities/discoverV2,
 * capabilityRoots/discoverV1 (envcfg.c).
 */
#ifndef ENVCFG_H
#define ENVCFG_H

#include "rpc/rpc.h"

extern const struct rpc_module envcfg_module;

#endif
