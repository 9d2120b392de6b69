/*
 * sandbox.h: the `sandbox` parameter (protocol.md §10): its schema, and
 * whether a call may run under it (sandbox.c).
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include "rpc/rpc.h"

/* The fields of `sandbox` (WireFileSystemSandboxContext). */
extern const struct schema_param	 sandbox_fields[];
/* The same with cwd required (FileSystemSandboxContext). */
extern const struct schema_param	 sandbox_cwd_fields[];
/* A method's optional `sandbox` member. */
#define SANDBOX_PARAM { "sandbox", P_OBJ, P_NULL, sandbox_fields, \
	    "WireFileSystemSandboxContext", NULL }

/*
 * May an fs/ call (or a discovery entry) run under the sandbox object at
 * token tok (-1: none)?  0, or -1 after rpc_fail().
 */
int	 sandbox_fs_admit(struct rpc_call *, int tok);
/* May process/start run under the sandbox at token tok?  The same. */
int	 sandbox_proc_admit(struct rpc_call *, int tok);

#endif
