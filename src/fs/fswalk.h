/*
 * fswalk.h: fs/walk (fswalk.c).
 */
#ifndef FSWALK_H
#define FSWALK_H

#include "rpc/rpc.h"

extern const struct rpc_module fswalk_module;

#endif
