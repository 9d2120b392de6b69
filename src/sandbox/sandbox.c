/*
 * sandbox.c: the `sandbox` parameter of process/start and of the fs/
 * methods (protocol.md §10): its shape, as a declarative schema that
 * rpc/schema.c checks with serde's words, and the decision whether this
 * server can honour it.
 *
 * The rule is fail closed: a request runs only as confined as asked, or
 * more.  An fs/ call runs directly under the `disabled` and `external`
 * profiles and `managed` with an unrestricted file system (the reference
 * runs those directly too); a restricted one runs in a confined child
 * (fs/fsbox.c).  A process/start under any profile but `disabled` is
 * confined (sandbox_proc_prepare: policy.c, plan.c, confine.c).  Either
 * is refused with -32600 and the reason when the plan cannot be enforced
 * here; the reference's own -32602 checks come first.
 *
 * Two modes (sandbox_set_mode): `namespaces`, the default, makes a mount
 * and a PID namespace (in a user namespace when the server is not root),
 * and `landlock`, asked for explicitly, makes none: Landlock and seccomp
 * only, the protected names of writable roots left writable (the weaker
 * mode docs/security.md describes), anything else a mount would need
 * refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "rpc/rpc.h"
#include "sandbox/confine.h"
#include "sandbox/plan.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"

static int	 mode = SANDBOX_NAMESPACES;

int
sandbox_set_mode(const char *name)
{
	if (strcmp(name, "namespaces") == 0)
		mode = SANDBOX_NAMESPACES;
	else if (strcmp(name, "landlock") == 0)
		mode = SANDBOX_LANDLOCK;
	else
		return -1;
	return 0;
}

static const char *const net_v[] = { "restricted", "enabled", NULL };
static const char *const level_v[] = { "disabled", "restricted-token",
	"elevated", "mxc", NULL };
static const char *const access_v[] = { "read", "write", "deny", "none",
	NULL };
static const char *const missing_v[] = { "skip", NULL };
static const char *const proxy_v[] = { "reconcile", "preserve", NULL };
static const char *const type_tag[] = { "type", NULL };
static const char *const kind_tag[] = { "kind", NULL };

static const struct schema_param no_fields[] = {
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param proj_fields[] = {
	{ "subpath", P_STR, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param unknown_fields[] = {
	{ "path", P_STR, P_REQ, NULL, NULL, NULL },
	{ "subpath", P_STR, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param special_v[] = {
	{ "root", P_OBJ, 0, no_fields, NULL, NULL },
	{ "minimal", P_OBJ, 0, no_fields, NULL, NULL },
	{ "current_working_directory", P_OBJ, 0, no_fields, NULL, NULL },
	{ "project_roots", P_OBJ, 0, proj_fields, NULL, NULL },
	{ "tmpdir", P_OBJ, 0, no_fields, NULL, NULL },
	{ "slash_tmp", P_OBJ, 0, no_fields, NULL, NULL },
	{ "unknown", P_OBJ, 0, unknown_fields, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param path_fields[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param glob_fields[] = {
	{ "pattern", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param specialpath_fields[] = {
	{ "value", P_TAGGED, P_REQ, special_v, "FileSystemSpecialPath",
	    kind_tag },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param fspath_v[] = {
	{ "path", P_OBJ, 0, path_fields, NULL, NULL },
	{ "glob_pattern", P_OBJ, 0, glob_fields, NULL, NULL },
	{ "special", P_OBJ, 0, specialpath_fields, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param entry_fields[] = {
	{ "path", P_TAGGED, P_REQ, fspath_v, "ExecFileSystemPath", type_tag },
	{ "access", P_ENUM, P_REQ, NULL, NULL, access_v },
	{ "missing_path_behavior", P_ENUM, P_NULL, NULL, NULL, missing_v },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param restricted_fields[] = {
	{ "entries", P_OBJARR, P_REQ, entry_fields,
	    "ExecFileSystemSandboxEntry", NULL },
	{ "glob_scan_max_depth", P_NZUSIZE, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param managedfs_v[] = {
	{ "restricted", P_OBJ, 0, restricted_fields, NULL, NULL },
	{ "unrestricted", P_OBJ, 0, no_fields, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param managed_fields[] = {
	{ "file_system", P_TAGGED, P_REQ, managedfs_v,
	    "ExecManagedFileSystemPermissions", type_tag },
	{ "network", P_ENUM, P_REQ, NULL, NULL, net_v },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param external_fields[] = {
	{ "network", P_ENUM, P_REQ, NULL, NULL, net_v },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
static const struct schema_param profile_v[] = {
	{ "managed", P_OBJ, 0, managed_fields, NULL, NULL },
	{ "disabled", P_OBJ, 0, no_fields, NULL, NULL },
	{ "external", P_OBJ, 0, external_fields, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};
/*
 * FileSystemSandboxContext: `cwd` optional on the wire form, required in
 * the plain form (capabilities/discoverV2); the other fields are shared.
 */
#define SANDBOX_FIELDS(cwd_flags)					\
	{ "permissions", P_TAGGED, P_REQ, profile_v, "ExecPermissionProfile", \
	    type_tag },							\
	{ "cwd", P_URI, cwd_flags, NULL, NULL, NULL },			\
	{ "workspaceRoots", P_URIARR, 0, NULL, NULL, NULL },		\
	{ "userHomeDir", P_URI, P_NULL, NULL, NULL, NULL },		\
	{ "temporaryDirectories", P_URIARR, P_NULL, NULL, NULL, NULL },	\
	{ "windowsSandboxLevel", P_ENUM, P_REQ, NULL, NULL, level_v },	\
	{ "windowsSandboxPrivateDesktop", P_BOOL, P_NULL, NULL, NULL, NULL }, \
	{ "windowsSandboxProxySettingsMode", P_ENUM, P_NULL, NULL, NULL,	\
	    proxy_v },							\
	{ "useLegacyLandlock", P_BOOL, 0, NULL, NULL, NULL },		\
	{ NULL, P_END, 0, NULL, NULL, NULL }

const struct schema_param sandbox_fields[] = { SANDBOX_FIELDS(P_NULL) };
const struct schema_param sandbox_cwd_fields[] = { SANDBOX_FIELDS(P_REQ) };

static int
str_is(struct rpc_call *call, int obj, const char *name, const char *want)
{
	int	 t = rpc_get(call, obj, name);

	return t >= 0 && json_str_eq(call->doc, t, want);
}

/*
 * The reference's own check, first (-32602): without `cwd`, a policy
 * that depends on one (project roots, a relative glob) is refused.
 */
static int
needs_cwd(struct rpc_call *call, int tok, int fsys)
{
	const char	*pat;
	size_t		 len;
	uint32_t	 i;
	int		 ents, e, p, v;

	if (rpc_get(call, tok, "cwd") >= 0 ||
	    (ents = rpc_get(call, fsys, "entries")) < 0)
		return 0;
	for (i = 0, e = ents + 1; i < call->doc->tok[ents].size;
	    i++, e = call->doc->tok[e].next) {
		p = rpc_get(call, e, "path");
		v = rpc_get(call, p, "value");
		pat = str_is(call, p, "type", "glob_pattern") ?
		    rpc_str(call, rpc_get(call, p, "pattern"), &len) : NULL;
		if ((pat != NULL && pat[0] != '/') ||
		    str_is(call, v, "kind", "current_working_directory") ||
		    str_is(call, v, "kind", "project_roots")) {
			rpc_fail(call, RPC_INVALID_PARAMS, "file system sandbox "
			    "context with dynamic permissions requires cwd");
			return -1;
		}
	}
	return 0;
}

int
sandbox_fs_admit(struct rpc_call *call, int tok)
{
	int	 fsys;

	if (tok < 0)
		return 0;
	fsys = rpc_get(call, rpc_get(call, tok, "permissions"), "file_system");
	if (!str_is(call, fsys, "type", "restricted"))
		return 0;
	if (needs_cwd(call, tok, fsys) == -1)
		return -1;
	rpc_fail(call, RPC_INVALID_REQUEST, "restricted filesystem sandboxes "
	    "are not supported here by this server yet");
	return -1;
}

/*
 * The run of policy p (taken: p is emptied), or NULL with the reason in
 * why.  pidns: is it a process (a PID namespace, or a reaper without
 * namespaces), not an fs child.
 */
static struct sandbox_run *
run_new(struct policy *p, int pidns, struct buf *why)
{
	struct sandbox_run	*run;
	struct plan		 pl;
	int			 ns;

	if ((run = calloc(1, sizeof(*run))) == NULL) {
		buf_adds(why, "out of memory");
		return NULL;
	}
	/* Safe to free before it is prepared: no descriptor 0 to close. */
	run->confine.landlock = -1;
	run->policy = *p;
	memset(p, 0, sizeof(*p));
	if (plan_build(&run->policy, &pl, mode == SANDBOX_NAMESPACES,
	    why) == -1)
		goto fail;
	/*
	 * Without namespaces Landlock alone keeps writes in the writable
	 * roots; a read-only or masked path beneath them cannot be had.
	 */
	ns = mode == SANDBOX_NAMESPACES &&
	    (geteuid() == 0 || confine_userns_ok());
	if (!ns) {
		plan_drop_writes(&pl);
		pl.rdonly_root = 0;
	}
	if (pl.nmounts > 0 && !ns) {
		buf_adds(why, mode == SANDBOX_LANDLOCK ?
		    "read-only and masked paths need a mount namespace, and "
		    "this server makes none (--sandbox-mode landlock)" :
		    "read-only and masked paths need a mount namespace, and "
		    "this server, not root, cannot make a user namespace "
		    "here (--sandbox-mode landlock runs without, its "
		    "writable roots' .git, .agents, .codex unprotected)");
		goto fail;
	}
	/*
	 * The mounts and placeholders are the run's from here on.  Without
	 * the read-only tree a process changes no metadata (chmod of the
	 * server's files outside); an fs child runs only this server's
	 * code, whose one such change (fs/copy's mode) is on a file it
	 * opened for writing.
	 */
	run->held = pl.held;
	run->nheld = pl.nheld;
	pl.held = NULL;
	pl.nheld = 0;
	if (confine_prepare(&run->confine, pl.rules, pl.nrules, pl.mounts,
	    pl.nmounts, pl.net_restricted, ns || !pidns, why) == -1) {
		pl.mounts = NULL;
		pl.nmounts = 0;
		goto fail;
	}
	pl.mounts = NULL;
	pl.nmounts = 0;
	run->confine.userns = ns && geteuid() != 0;
	run->confine.pidns = ns && pidns;
	run->confine.reaper = !ns && pidns;
	run->confine.rdonly_root = pl.rdonly_root;
	plan_free(&pl);
	return run;
fail:
	plan_free(&pl);
	sandbox_run_free(run);
	return NULL;
}

int
sandbox_proc_prepare(struct rpc_call *call, int tok, const char *cwd,
    char *const *envp, struct sandbox_run **out)
{
	struct policy	 p;
	struct buf	 why = { 0 };
	int		 rc = 0;

	*out = NULL;
	if (policy_parse(call, tok, cwd, envp, &p) == -1)
		return -1;
	if (p.kind != POLICY_NONE && (*out = run_new(&p, 1, &why)) == NULL) {
		rpc_fail(call, RPC_INVALID_REQUEST, "this sandbox cannot be "
		    "enforced here, so the process was not started: %.*s",
		    (int)buf_used(&why), buf_data(&why));
		rc = -1;
	}
	policy_free(&p);
	buf_free(&why);
	return rc;
}

int
sandbox_fs_prepare(struct rpc_call *call, int tok, int reads,
    struct sandbox_run **out)
{
	struct policy	 p;
	struct buf	 why = { 0 };
	char		*cwd;
	int		 fsys, rc = 0;

	*out = NULL;
	if (tok < 0)
		return 0;
	fsys = rpc_get(call, rpc_get(call, tok, "permissions"), "file_system");
	if (!str_is(call, fsys, "type", "restricted"))
		return 0;
	if (needs_cwd(call, tok, fsys) == -1)
		return -1;
	/* The server's own directory, when the sandbox names none. */
	if ((cwd = realpath(".", NULL)) == NULL) {
		rpc_fail(call, RPC_INVALID_REQUEST, "current directory is not "
		    "absolute: %s", strerror(errno));
		return -1;
	}
	rc = policy_parse(call, tok, cwd, environ, &p);
	free(cwd);
	if (rc == -1)
		return -1;
	/* What it may do everywhere runs here: no child changes a thing. */
	if (!policy_full_write(&p) && !(reads && policy_full_read(&p)) &&
	    (*out = run_new(&p, 0, &why)) == NULL) {
		rpc_fail(call, RPC_INVALID_REQUEST, "this sandbox cannot be "
		    "enforced here: %.*s", (int)buf_used(&why),
		    buf_data(&why));
		rc = -1;
	}
	policy_free(&p);
	buf_free(&why);
	return rc;
}

int
sandbox_run_visible(const struct sandbox_run *run, const char *path)
{
	return policy_visible(&run->policy, path);
}

void
sandbox_run_spawned(struct sandbox_run *run)
{
	if (run != NULL)
		confine_free(&run->confine);
}

void
sandbox_run_free(struct sandbox_run *run)
{
	if (run == NULL)
		return;
	confine_free(&run->confine);
	plan_release(run->held, run->nheld);
	policy_free(&run->policy);
	free(run);
}
