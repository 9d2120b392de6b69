/*
 * envinfo.c: EnvironmentInfo and the environment methods.
 *
 * Every value is read from this machine when asked: the account's login
 * shell, the working directory, $HOME, $TMPDIR.  `capabilities` claims
 * only what this server implements.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/jw.h"
#include "base/lim.h"
#include "base/version.h"
#include "compat/uri.h"
#include "rpc/envinfo.h"

/*
 * Capability flags the reference sends, and whether we implement each
 * (2: implemented, but only while local filesystem access is allowed).
 */
static int	 local_fs = 1;

static const struct {
	const char	*name;
	int		 on;
} caps[] = {
	{ "networkProxyLaunch", 0 },
	{ "networkProxyReviewDomains", 0 },
	{ "credentialMasking", 0 },
	{ "credentialMaskingCustomProviders", 0 },
	{ "capabilityDiscoverySandbox", 0 },
	{ "fsWatchMissing", 2 },
	{ "capabilityDiscoveryV2", 0 },
	{ "environmentConfigRead", 2 },
	{ "httpHeaderEnvVars", 0 },
	{ "sandboxedFileStreaming", 0 },
	{ "fileWriteStreaming", 0 },
	{ "shellSnapshotV2", 0 },
	{ "windowsMxc", 0 },
	{ "linuxRootWritePreservesDevices", 0 },
	{ "linuxApprovedRootWritePreservesRestrictions", 0 },
};

void
envinfo_set_local_fs(int on)
{
	local_fs = on;
}

void
envinfo_write(struct jw *w)
{
	struct passwd	*pw;
	const char	*shell, *name, *home, *tmp;
	char		 cwd[LIM_PATH];
	size_t		 i;

	pw = getpwuid(getuid());
	shell = pw != NULL && pw->pw_shell != NULL && pw->pw_shell[0] == '/' ?
	    pw->pw_shell : "/bin/sh";
	name = strrchr(shell, '/') + 1;
	home = getenv("HOME");
	tmp = getenv("TMPDIR");

	jw_obj(w);
	jw_key(w, "shell");
	jw_obj(w);
	jw_key(w, "name");
	jw_cstr(w, name);
	jw_key(w, "path");
	jw_cstr(w, shell);
	jw_obj_end(w);
	jw_key(w, "executorVersion");
	jw_cstr(w, PROTOCOL_VERSION);
	jw_key(w, "providerId");
	jw_cstr(w, "exec-server/" VERSION);
	if (getcwd(cwd, sizeof(cwd)) != NULL) {
		jw_key(w, "cwd");
		uri_put(w, cwd);
	}
	if (home != NULL && home[0] == '/') {
		jw_key(w, "userHomeDir");
		uri_put(w, home);
	}
	jw_key(w, "platformOs");
	jw_cstr(w, "linux");
	jw_key(w, "prependPathDirs");
	jw_arr(w);
	jw_arr_end(w);
	jw_key(w, "temporaryDirectories");
	jw_arr(w);
	if (tmp != NULL && tmp[0] == '/')
		uri_put(w, tmp);
	jw_arr_end(w);
	jw_key(w, "tempDir");
	uri_put(w, tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	jw_key(w, "capabilities");
	jw_obj(w);
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		jw_key(w, caps[i].name);
		jw_bool(w, caps[i].on == 1 ||
		    (caps[i].on == 2 && local_fs));
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

static void
m_info(struct rpc_call *call)
{
	envinfo_write(&call->w);
}

static void
m_status(struct rpc_call *call)
{
	jw_obj(&call->w);
	jw_key(&call->w, "status");
	jw_cstr(&call->w, "ready");
	jw_obj_end(&call->w);
}

static const struct rpc_method methods[] = {
	{ "environment/info", "environment info", NULL, NULL, m_info },
	{ "environment/status", "environment status", NULL, NULL, m_status },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module envinfo_module = { methods, NULL, NULL, NULL };
