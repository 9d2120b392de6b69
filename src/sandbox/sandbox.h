/*
 * sandbox.h: the `sandbox` parameter (protocol.md §10): its schema, and
 * whether a call may run under it (sandbox.c).
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include "rpc/rpc.h"
#include "sandbox/confine.h"
#include "sandbox/policy.h"

/*
 * How sandboxes are made, for the whole server (--sandbox-mode):
 * SANDBOX_NAMESPACES (mount and PID namespaces, in a user namespace when
 * not root) or SANDBOX_LANDLOCK (Landlock and seccomp only).  -1 for a
 * name that is neither "namespaces" nor "landlock".
 */
#define SANDBOX_NAMESPACES	0
#define SANDBOX_LANDLOCK	1
int	 sandbox_set_mode(const char *name);

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
/*
 * The confinement of a process/start under the sandbox at token tok:
 * *out NULL when there is none to apply (no sandbox, `disabled`), else a
 * run to hand to spawn (its confine), then sandbox_run_spawned() once the
 * child execs, and sandbox_run_free() when the process is gone (that
 * releases its placeholders).  cwd: the process's working directory;
 * envp: its environment.  0, or -1 after rpc_fail(): -32602 for a bad
 * shape, -32600 with the reason for what cannot be enforced here.
 */
struct sandbox_run {
	struct policy	 policy;
	struct confine	 confine;
	char		**held;		/* placeholders (plan_hold) */
	size_t		 nheld;
};
int	 sandbox_proc_prepare(struct rpc_call *, int tok, const char *cwd,
	    char *const *envp, struct sandbox_run **out);
/*
 * The same for an fs/ call (sandbox at tok): *out NULL when the call runs
 * here (no sandbox, or one that confines no file: disabled, external,
 * unrestricted, full write; or, for a call that only reads, full read),
 * else the run of the confined child it goes to (fs/fsbox.c).  The
 * policy's cwd is the sandbox's, else the server's.
 */
int	 sandbox_fs_prepare(struct rpc_call *, int tok, int reads,
	    struct sandbox_run **out);
/* Would the run's child see path at all (policy_visible)? */
int	 sandbox_run_visible(const struct sandbox_run *, const char *path);
void	 sandbox_run_spawned(struct sandbox_run *);
void	 sandbox_run_free(struct sandbox_run *);

#endif
