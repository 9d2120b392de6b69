/*
 * sandbox.c: the `sandbox` parameter of process/start and of the fs/
 * methods (protocol.md §10): its shape, as a declarative schema that
 * rpc/schema.c checks with serde's words, and the decision whether this
 * server can honour it.
 *
 * The rule is fail closed: a request runs only as confined as asked, or
 * more.  Nothing is enforced yet (spawn_confine() in proc/spawn.c is the
 * one place in a child where restrictions will apply), so what is
 * admitted is what confines nothing: for an fs/ call, the `disabled` and
 * `external` profiles and `managed` with an unrestricted file system
 * (the reference runs those directly too); for process/start, only
 * `disabled`.  Everything else is refused with -32600 and the reason,
 * after the reference's own -32602 checks.
 */
#include <stdint.h>

#include "base/json.h"
#include "rpc/rpc.h"
#include "sandbox/sandbox.h"

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

int
sandbox_fs_admit(struct rpc_call *call, int tok)
{
	int	 perm, fsys, ents, e, p, v;
	uint32_t i;

	if (tok < 0)
		return 0;
	perm = rpc_get(call, tok, "permissions");
	if (!str_is(call, perm, "type", "managed"))
		return 0;
	fsys = rpc_get(call, perm, "file_system");
	if (!str_is(call, fsys, "type", "restricted"))
		return 0;
	/* The reference's own check comes first (-32602). */
	if (rpc_get(call, tok, "cwd") < 0 &&
	    (ents = rpc_get(call, fsys, "entries")) >= 0) {
		for (i = 0, e = ents + 1; i < call->doc->tok[ents].size;
		    i++, e = call->doc->tok[e].next) {
			p = rpc_get(call, e, "path");
			v = rpc_get(call, p, "value");
			if (str_is(call, p, "type", "glob_pattern") ||
			    str_is(call, v, "kind",
			    "current_working_directory") ||
			    str_is(call, v, "kind", "project_roots")) {
				rpc_fail(call, RPC_INVALID_PARAMS, "file "
				    "system sandbox context with dynamic "
				    "permissions requires cwd");
				return -1;
			}
		}
	}
	rpc_fail(call, RPC_INVALID_REQUEST, "restricted filesystem sandboxes "
	    "are not supported by this server yet");
	return -1;
}

int
sandbox_proc_admit(struct rpc_call *call, int sb)
{
	const struct json_doc	*d = call->doc;
	int			 t;

	t = json_get(d, json_get(d, sb, "permissions"), "type");
	if (json_str_eq(d, t, "disabled"))
		return 0;
	rpc_fail(call, RPC_INVALID_REQUEST, "sandboxed processes are not "
	    "supported by this exec-server yet: the `%s` permission profile "
	    "would not be enforced (only `disabled` is accepted)",
	    json_str_eq(d, t, "managed") ? "managed" : "external");
	return -1;
}
