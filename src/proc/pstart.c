/*
 * pstart.c: process/start params.
 *
 * The declarative schema (pstart_params; the sandbox shape is the one
 * sandbox/sandbox.c declares for every method) catches what serde would,
 * in document order; this file adds what the schema cannot say: a cwd
 * URI naming another host, the metadata thread id (a UUID, with the uuid
 * crate's messages), the loopback port list, the network proxy launch,
 * and the environment.
 *
 * Refusals.  `enforceManagedNetwork: true` and an enabled `networkProxy`
 * are refused with -32600 rather than run less confined than the client
 * asked.  A `sandbox` is read and enforced by sandbox/sandbox.c (which
 * refuses what it cannot enforce); any non-null one reports
 * `"sandboxType":"linuxSeccomp"` as the reference does.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat/uri.h"
#include "proc/pstart.h"
#include "rpc/schema.h"
#include "sandbox/sandbox.h"

#define INVALID_SUFFIX	"' is invalid on 'linux'"

extern char	**environ;

static const char *const inherit_v[] = { "core", "all", "none", NULL };
static const char *const mode_v[] = { "limited", "full", NULL };

static const struct schema_param envpolicy_p[] = {
	{ "inherit", P_ENUM, P_REQ, NULL, NULL, inherit_v },
	{ "ignoreDefaultExcludes", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "exclude", P_STRARR, P_REQ, NULL, NULL, NULL },
	{ "set", P_STRMAP, P_REQ, NULL, NULL, NULL },
	{ "includeOnly", P_STRARR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param metadata_p[] = {
	{ "threadId", P_STR, P_NULL, NULL, NULL, NULL },
	{ "toolCallId", P_STR, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param shell_p[] = {
	{ "name", P_STR, P_REQ, NULL, NULL, NULL },
	{ "path", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param snapshot_p[] = {
	{ "scopeId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "shell", P_OBJ, P_REQ, shell_p, "ShellInfo", NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param mnet_p[] = {
	{ "loopbackPorts", P_ANY, 0, NULL, NULL, NULL },
	{ "allowLocalBinding", P_BOOL, 0, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param proxycfg_p[] = {
	{ "enabled", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "enableSocks5", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "enableSocks5Udp", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "allowUpstreamProxy", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "dangerouslyAllowAllUnixSockets", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "mode", P_ENUM, P_REQ, NULL, NULL, mode_v },
	{ "domains", P_ANY, 0, NULL, NULL, NULL },
	{ "unixSockets", P_ANY, 0, NULL, NULL, NULL },
	{ "allowLocalBinding", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "requestPolicyDecisions", P_BOOL, 0, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param proxy_p[] = {
	{ "proxy", P_OBJ, P_REQ, proxycfg_p, "RemoteNetworkProxyConfig", NULL },
	{ "auditMetadata", P_ANY, 0, NULL, NULL, NULL },
	{ "environmentId", P_STR, P_NULL, NULL, NULL, NULL },
	{ "executionId", P_STR, P_NULL, NULL, NULL, NULL },
	{ "policyDecisionTimeoutMs", P_U64, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

const struct schema_param pstart_params[] = {
	{ "processId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "argv", P_STRARR, P_REQ, NULL, NULL, NULL },
	{ "cwd", P_URI, P_REQ, NULL, NULL, NULL },
	{ "env", P_STRMAP, P_REQ, NULL, NULL, NULL },
	{ "tty", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "pipeStdin", P_BOOL, 0, NULL, NULL, NULL },
	{ "arg0", P_STR, P_NULL, NULL, NULL, NULL },
	{ "envPolicy", P_OBJ, P_NULL, envpolicy_p, "ExecEnvPolicy", NULL },
	SANDBOX_PARAM,
	{ "metadata", P_OBJ, P_NULL, metadata_p, "ExecMetadata", NULL },
	{ "shellSnapshot", P_OBJ, P_NULL, snapshot_p, "ShellSnapshotRequest",
	    NULL },
	{ "enforceManagedNetwork", P_BOOL, 0, NULL, NULL, NULL },
	{ "managedNetwork", P_OBJ, P_NULL, mnet_p,
	    "ManagedNetworkSandboxContext", NULL },
	{ "networkProxy", P_OBJ, P_NULL, proxy_p,
	    "RemoteNetworkProxyLaunchConfig", NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static int
fail_msg(struct rpc_call *call, int code, struct buf *m)
{
	rpc_fail(call, code, "%.*s", (int)buf_used(m), buf_data(m));
	buf_free(m);
	return -1;
}

/*
 * The uuid crate's parse of a thread id.  Returns 0, or -1 with its error
 * (InvalidUuid::into_err) in m.
 */
static int
check_uuid(const char *s, size_t n, struct buf *m)
{
	static const size_t	 starts[5] = { 0, 9, 14, 19, 24 };
	static const int	 glen[5] = { 8, 4, 4, 4, 12 };
	const char		*u = s;
	size_t			 un = n, off = 0, i, bounds[4] = { 0 };
	size_t			 hy = 0, k;
	unsigned char		 c;
	int			 simple = 1, g;

	if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
		u = s + 1;
		un = n - 2;
		off = 1;
		simple = 0;
	} else if (n >= 9 && memcmp(s, "urn:uuid:", 9) == 0) {
		u = s + 9;
		un = n - 9;
		off = 9;
		simple = 0;
	}
	for (i = 0; i < un; i++) {
		c = (unsigned char)u[i];
		if (c >= 0x80) {
			k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			buf_addf(m, "invalid character: expected an optional "
			    "prefix of `urn:uuid:` followed by [0-9a-fA-F-], "
			    "found `%.*s` at %zu", (int)(i + k <= un ? k : 1),
			    u + i, i + off + 1);
			return -1;
		}
		if (c == '-') {
			if (hy < 4)
				bounds[hy] = i;
			hy++;
		} else if (!((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			buf_addf(m, "invalid character: expected an optional "
			    "prefix of `urn:uuid:` followed by [0-9a-fA-F-], "
			    "found `%c` at %zu", c, i + off + 1);
			return -1;
		}
	}
	if (hy == 0 && simple) {
		if (n == 32)
			return 0;
		buf_addf(m, "invalid length: expected length 32 for simple "
		    "format, found %zu", n);
		return -1;
	}
	if (hy != 4) {
		buf_addf(m, "invalid group count: expected 5, found %zu", hy + 1);
		return -1;
	}
	for (g = 0; g < 4; g++)
		if (bounds[g] != starts[g + 1] - 1) {
			buf_addf(m, "invalid group length in group %d: expected "
			    "%d, found %zu", g, glen[g], bounds[g] - starts[g]);
			return -1;
		}
	if (un == 36)
		return 0;
	buf_addf(m, "invalid group length in group 4: expected 12, found %zu",
	    n - starts[4]);
	return -1;
}

/* managedNetwork.loopbackPorts: absent or a sequence of u16. */
static int
check_ports(struct rpc_call *call, int t, struct buf *m)
{
	const struct json_doc	*d = call->doc;
	uint64_t		 v;
	uint32_t		 i;
	int			 e;

	if (t < 0)
		return 0;
	if (d->tok[t].type != JSON_ARRAY) {
		buf_adds(m, "invalid type: ");
		schema_unexpected(d, t, m);
		buf_adds(m, ", expected a sequence");
		return -1;
	}
	for (i = 0, e = t + 1; i < d->tok[t].size; i++, e = d->tok[e].next) {
		if (d->tok[e].type != JSON_NUMBER) {
			buf_adds(m, "invalid type: ");
			schema_unexpected(d, e, m);
			buf_adds(m, ", expected u16");
			return -1;
		}
		if (json_u64(d, e, &v) == -1 || v > 65535) {
			buf_adds(m, "invalid number");
			return -1;
		}
	}
	return 0;
}

int
pstart_parse(struct rpc_call *call, struct pstart *ps)
{
	const struct json_doc	*d = call->doc;
	struct buf		 m = { 0 };
	const char		*s;
	size_t			 len;
	uint32_t		 i;
	int			 t, e, code;

	memset(ps, 0, sizeof(*ps));
	ps->sandbox = -1;
	ps->sandbox_type = "none";
	if ((ps->id = rpc_str(call, rpc_arg(call, "processId"),
	    &ps->idlen)) == NULL)
		goto oom;

	/* cwd: a file:// URI naming a local path. */
	if ((s = rpc_str(call, rpc_arg(call, "cwd"), &len)) == NULL)
		goto oom;
	if (uri_to_path(s, len, &ps->cwd, &code, &m) == -1) {
		if (code != RPC_INVALID_REQUEST)
			return fail_msg(call, code, &m);
		/* "'<uri>' is invalid on 'linux'": quote the URI again. */
		len = strlen(INVALID_SUFFIX);
		len = buf_used(&m) > len + 1 ? buf_used(&m) - len - 1 : 0;
		rpc_fail(call, RPC_INVALID_PARAMS, "cwd URI `%.*s` is not valid "
		    "on this exec-server host: %.*s", (int)len,
		    buf_data(&m) + 1, (int)buf_used(&m), buf_data(&m));
		buf_free(&m);
		return -1;
	}
	if (ps->cwd.oom)
		goto oom;

	if ((t = rpc_get(call, rpc_arg(call, "metadata"), "threadId")) >= 0) {
		if ((s = rpc_str(call, t, &len)) == NULL)
			goto oom;
		if (check_uuid(s, len, &m) == -1)
			return fail_msg(call, RPC_INVALID_PARAMS, &m);
	}
	if (check_ports(call, rpc_get(call, rpc_arg(call, "managedNetwork"),
	    "loopbackPorts"), &m) == -1)
		return fail_msg(call, RPC_INVALID_PARAMS, &m);
	if ((t = rpc_arg(call, "networkProxy")) >= 0) {
		if (!rpc_bool(call, rpc_get(call, t, "proxy"), "enabled", 0)) {
			rpc_fail(call, RPC_INVALID_PARAMS, "invalid network "
			    "proxy config: executor-local network proxy launch "
			    "requires an enabled proxy");
			return -1;
		}
		rpc_fail(call, RPC_INVALID_REQUEST, "networkProxy launch is "
		    "not supported by this exec-server (capability "
		    "networkProxyLaunch is false)");
		return -1;
	}
	/* Read and enforced by sandbox_proc_prepare(), once env is known. */
	if ((ps->sandbox = rpc_arg(call, "sandbox")) >= 0)
		ps->sandbox_type = "linuxSeccomp";
	if (rpc_bool(call, call->params, "enforceManagedNetwork", 0)) {
		rpc_fail(call, RPC_INVALID_REQUEST, "enforceManagedNetwork is "
		    "not supported by this exec-server yet: the process would "
		    "run with unrestricted network access");
		return -1;
	}

	t = rpc_arg(call, "argv");
	if ((ps->argc = d->tok[t].size) == 0) {
		rpc_fail(call, RPC_INVALID_PARAMS, "argv must not be empty");
		return -1;
	}
	if ((ps->argv = calloc(ps->argc + 1, sizeof(char *))) == NULL)
		goto oom;
	for (i = 0, e = t + 1; i < ps->argc; i++, e = d->tok[e].next)
		if ((ps->argv[i] = (char *)rpc_str(call, e, NULL)) == NULL)
			goto oom;
	if ((t = rpc_arg(call, "arg0")) >= 0 &&
	    (ps->arg0 = rpc_str(call, t, NULL)) == NULL)
		goto oom;
	ps->tty = rpc_bool(call, call->params, "tty", 0);
	ps->pipe_stdin = rpc_bool(call, call->params, "pipeStdin", 0);
	return 0;
oom:
	buf_free(&m);
	rpc_fail(call, RPC_INTERNAL, "out of memory");
	return -1;
}

/* Strings of a string array token, NULL-ended; 1 if one holds a NUL. */
static const char **
strings(struct rpc_call *call, int t, int *nul)
{
	const struct json_doc	*d = call->doc;
	const char		**v;
	size_t			 len;
	uint32_t		 i;
	int			 e;

	if ((v = calloc(d->tok[t].size + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0, e = t + 1; i < d->tok[t].size; i++, e = d->tok[e].next) {
		if ((v[i] = rpc_str(call, e, &len)) == NULL) {
			free(v);
			return NULL;
		}
		if (strlen(v[i]) != len)
			*nul = 1;
	}
	return v;
}

/* A string map as key, value, ..., NULL. */
static const char **
pairs(struct rpc_call *call, int t, int *nul)
{
	const struct json_doc	*d = call->doc;
	const char		**v;
	size_t			 kl, vl;
	uint32_t		 i;
	int			 e;

	if ((v = calloc(2 * d->tok[t].size + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0, e = t + 1; i < d->tok[t].size; i++, e = d->tok[e + 1].next) {
		v[2 * i] = rpc_str(call, e, &kl);
		v[2 * i + 1] = rpc_str(call, e + 1, &vl);
		if (v[2 * i] == NULL || v[2 * i + 1] == NULL) {
			free(v);
			return NULL;
		}
		if (strlen(v[2 * i]) != kl || strlen(v[2 * i + 1]) != vl)
			*nul = 1;
	}
	return v;
}

int
pstart_env(struct rpc_call *call, struct pstart *ps)
{
	struct envpol	 pol;
	struct passwd	*pw;
	const char	**env = NULL, **ex = NULL, **inc = NULL, **set = NULL;
	size_t		 i, len;
	int		 t, nul = 0, rc = -1;

	/* argv, arg0: what Rust's Command::spawn reports. */
	t = rpc_arg(call, "argv");
	if ((env = strings(call, t, &nul)) == NULL)
		goto oom;
	free(env);
	env = NULL;
	if (!nul && (t = rpc_arg(call, "arg0")) >= 0) {
		if (rpc_str(call, t, &len) == NULL)
			goto oom;
		nul = strlen(ps->arg0) != len;
	}
	if (nul) {
		rpc_fail(call, RPC_INTERNAL, "nul byte found in provided data");
		return -1;
	}

	if ((t = rpc_arg(call, "envPolicy")) >= 0) {
		memset(&pol, 0, sizeof(pol));
		pol.inherit = json_str_eq(call->doc, json_get(call->doc, t,
		    "inherit"), "all") ? ENVPOL_ALL : json_str_eq(call->doc,
		    json_get(call->doc, t, "inherit"), "none") ? ENVPOL_NONE :
		    ENVPOL_CORE;
		pol.ignore_default_excludes = rpc_bool(call, t,
		    "ignoreDefaultExcludes", 0);
		if ((ex = strings(call, json_get(call->doc, t, "exclude"),
		    &nul)) == NULL ||
		    (inc = strings(call, json_get(call->doc, t, "includeOnly"),
		    &nul)) == NULL ||
		    (set = pairs(call, json_get(call->doc, t, "set"), &nul)) ==
		    NULL)
			goto oom;
		pol.exclude = ex;
		pol.include_only = inc;
		pol.set = set;
		envpol_apply(&ps->env, &pol, environ);
	}
	if ((env = pairs(call, rpc_arg(call, "env"), &nul)) == NULL)
		goto oom;
	if (nul) {
		rpc_fail(call, RPC_INTERNAL, "data provided contains a nul byte");
		goto out;
	}
	for (i = 0; env[i] != NULL; i += 2)
		envpol_set(&ps->env, env[i], strlen(env[i]), env[i + 1],
		    strlen(env[i + 1]));
	envpol_unset(&ps->env, "CODEX_EXEC_SERVER_EXIT_ON_STDIN_CLOSE");
	/* portable-pty gives a terminal child $SHELL unless env has one. */
	if (ps->tty && envpol_get(&ps->env, "SHELL") == NULL) {
		pw = getpwuid(getuid());
		if (pw != NULL && pw->pw_shell != NULL && pw->pw_shell[0] != '\0')
			envpol_set(&ps->env, "SHELL", 5, pw->pw_shell,
			    strlen(pw->pw_shell));
		else
			envpol_set(&ps->env, "SHELL", 5, "/bin/sh", 7);
	}
	if ((ps->envp = envpol_finish(&ps->env)) == NULL)
		goto oom;
	rc = 0;
	goto out;
oom:
	rpc_fail(call, RPC_INTERNAL, "out of memory");
out:
	free(env);
	free(ex);
	free(inc);
	free(set);
	return rc;
}

void
pstart_free(struct pstart *ps)
{
	free(ps->argv);
	buf_free(&ps->cwd);
	envpol_free(&ps->env);
	ps->argv = NULL;
	ps->envp = NULL;
}
