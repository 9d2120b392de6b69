/*
 * envcfg.c: environmentConfig/read, capabilities/discoverV2 and
 * capabilityRoots/discoverV1 (protocol.md §7.23, §7.24).
 *
 * environmentConfig/read reports the layers of this machine's Codex
 * configuration that the reference reads: the system file
 * /etc/codex/config.toml and the user's $CODEX_HOME/config.toml
 * (~/.codex without CODEX_HOME), and /etc/codex/requirements.toml.  Each
 * layer holds only the keys the client asked for, written back as the
 * reference's toml crate writes them; a layer with none of them is left
 * out.  cloudInsertionIndex counts the layers listed before the user's.
 *
 * Both read this machine's disk, so --no-local-fs refuses them as it
 * refuses the fs methods.
 *
 * Plugin and skill discovery is Codex product logic this server does not
 * have: discoverV2 answers an empty result and discoverV1 only checks
 * that each root is a directory, and envinfo does not claim
 * capabilityDiscoveryV2, so a client discovers them itself through the
 * fs methods.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jw.h"
#include "base/lim.h"
#include "compat/toml.h"
#include "compat/tomlout.h"
#include "compat/uri.h"
#include "fs/envcfg.h"
#include "fs/fs.h"
#include "fs/fsjob.h"
#include "sandbox/sandbox.h"

#define SYSTEM_CONFIG		"/etc/codex/config.toml"
#define SYSTEM_REQUIREMENTS	"/etc/codex/requirements.toml"

/* The key paths of params member `name`. */
static struct tpath *
get_paths(struct rpc_call *call, const char *name, size_t *np)
{
	struct tpath	*p;
	int		 arr = rpc_arg(call, name), e, s;
	uint32_t	 i, k, n;

	n = call->doc->tok[arr].size;
	*np = n;
	if ((p = calloc(n + 1, sizeof(*p))) == NULL)
		return NULL;
	for (i = 0, e = arr + 1; i < n; i++, e = call->doc->tok[e].next) {
		p[i].n = call->doc->tok[e].size;
		p[i].seg = calloc(p[i].n + 1, sizeof(*p[i].seg));
		p[i].len = calloc(p[i].n + 1, sizeof(*p[i].len));
		if (p[i].seg == NULL || p[i].len == NULL)
			return p;	/* caller sees the NULLs */
		for (k = 0, s = e + 1; k < p[i].n; k++,
		    s = call->doc->tok[s].next)
			if ((p[i].seg[k] = rpc_str(call, s,
			    (size_t *)&p[i].len[k])) == NULL)
				return p;
	}
	return p;
}

static void
free_paths(struct tpath *p, size_t n)
{
	size_t	 i;

	for (i = 0; p != NULL && i < n; i++) {
		free(p[i].seg);
		free((void *)p[i].len);
	}
	free(p);
}

static int
paths_ok(const struct tpath *p, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		if (p[i].seg == NULL || p[i].len == NULL)
			return 0;
		for (k = 0; k < p[i].n; k++)
			if (p[i].seg[k] == NULL)
				return 0;
	}
	return 1;
}

/* Read a whole (small) file; 0, -1 with errno (ENOENT: no layer). */
static int
slurp(const char *path, struct buf *b)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		if (buf_reserve(b, 65536) == -1) {
			close(fd);
			errno = ENOMEM;
			return -1;
		}
		n = read(fd, b->p + b->len, 65536);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (buf_used(b) > LIM_FS_SLICE) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	return n == -1 ? -1 : 0;
}

/*
 * Write one layer if the file exists and has any requested key.
 * Returns 1 when written, 0 when not, -1 after rpc_fail().
 */
static int
layer(struct rpc_call *call, struct jw *w, const char *file,
    const char *label, const struct tpath *p, size_t np)
{
	struct buf	 text = { 0 }, err = { 0 }, out = { 0 }, m = { 0 };
	struct tval	*doc = NULL;
	char		*dir = NULL, *slash;
	int		 rc = -1;

	if (slurp(file, &text) == -1) {
		if (errno == ENOENT || errno == ENOTDIR) {
			rc = 0;
			goto out;
		}
		fs_errmsg(&m, errno);
		rpc_fail(call, RPC_INTERNAL, "failed to load executor-local "
		    "config: %s: %.*s", file, (int)buf_used(&m), buf_data(&m));
		goto out;
	}
	doc = toml_parse(buf_data(&text), buf_used(&text), &err);
	if (doc == NULL) {
		rpc_fail(call, RPC_INTERNAL, "failed to load executor-local "
		    "config: %s:%.*s", file, (int)buf_used(&err),
		    buf_data(&err));
		goto out;
	}
	if (tomlout_select(doc, p, np, &out) == 0) {
		rc = 0;
		goto out;
	}
	if ((dir = strdup(file)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	jw_obj(w);
	jw_key(w, "source");
	if (label != NULL) {
		buf_addf(&m, "%s (%s)", label, file);
		jw_str(w, buf_data(&m), buf_used(&m));
	} else
		jw_cstr(w, file);
	jw_key(w, "baseDir");
	uri_put(w, dir);
	jw_key(w, "toml");
	jw_str(w, buf_data(&out), buf_used(&out));
	jw_obj_end(w);
	rc = 1;
out:
	toml_free(doc);
	free(dir);
	buf_free(&text);
	buf_free(&err);
	buf_free(&out);
	buf_free(&m);
	return rc;
}

static const struct schema_param cfg_params[] = {
	{ "cwd", P_URI, P_REQ, NULL, NULL, NULL },
	{ "configPaths", P_ANY, P_REQ, NULL, NULL, NULL },
	{ "requirementsPaths", P_ANY, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

/* [[String]]: the schema has no nested arrays, so they are checked here. */
static int
check_paths(struct rpc_call *call, const char *name, size_t *total)
{
	const struct json_doc	*d = call->doc;
	int			 t = rpc_arg(call, name), e, s;
	uint32_t		 i, k;
	const char		*what = NULL;
	int			 bad = -1;

	*total = 0;
	if (t < 0 || d->tok[t].type != JSON_ARRAY) {
		bad = t;
		what = "a sequence";
		goto fail;
	}
	for (i = 0, e = t + 1; i < d->tok[t].size; i++, e = d->tok[e].next) {
		if (d->tok[e].type != JSON_ARRAY) {
			bad = e;
			what = "a sequence";
			goto fail;
		}
		for (k = 0, s = e + 1; k < d->tok[e].size; k++,
		    s = d->tok[s].next)
			if (d->tok[s].type != JSON_STRING) {
				bad = s;
				what = "a string";
				goto fail;
			}
		(*total)++;
		if (d->tok[e].size == 0) {
			rpc_fail(call, RPC_INVALID_PARAMS, "TOML paths must "
			    "contain at least one key segment");
			return -1;
		}
	}
	return 0;
fail:
	rpc_fail(call, RPC_INVALID_PARAMS, "invalid type: %s, expected %s",
	    bad < 0 ? "null" : d->tok[bad].type == JSON_NUMBER ? "number" :
	    d->tok[bad].type == JSON_STRING ? "string" :
	    d->tok[bad].type == JSON_OBJECT ? "map" :
	    d->tok[bad].type == JSON_ARRAY ? "sequence" :
	    d->tok[bad].type == JSON_NULL ? "null" : "boolean", what);
	return -1;
}

static void
m_config_read(struct rpc_call *call)
{
	struct tpath	*cp = NULL, *rp = NULL;
	struct buf	 cwd = { 0 }, home = { 0 }, user = { 0 };
	struct passwd	*pw;
	struct stat	 st;
	const char	*h, *ch;
	char		 host[HOST_NAME_MAX + 1], *real = NULL;
	size_t		 ncp = 0, nrp = 0, nc, nr;
	int		 r, before = 0;

	if (check_paths(call, "configPaths", &nc) == -1 ||
	    check_paths(call, "requirementsPaths", &nr) == -1)
		return;
	if (nc + nr == 0) {
		rpc_fail(call, RPC_INVALID_PARAMS,
		    "at least one config or requirements path is required");
		return;
	}
	/* Reading this machine's files: not with --no-local-fs. */
	if (fsjob_admit(call) == -1)
		return;
	/* The reference converts cwd while decoding: -32602 either way. */
	if (fs_path(call, "cwd", &cwd) == -1) {
		call->err = RPC_INVALID_PARAMS;
		goto out;
	}
	if ((h = getenv("HOME")) == NULL || h[0] != '/')
		h = (pw = getpwuid(getuid())) != NULL ? pw->pw_dir : "/";
	if ((ch = getenv("CODEX_HOME")) != NULL && ch[0] != '\0') {
		if (stat(ch, &st) == -1 ||
		    (real = realpath(ch, NULL)) == NULL) {
			rpc_fail(call, RPC_INTERNAL, "failed to find Codex "
			    "home: CODEX_HOME points to \"%s\", but that path "
			    "does not exist", ch);
			goto out;
		}
		buf_adds(&home, real);
	} else
		buf_addf(&home, "%s/.codex", strcmp(h, "/") == 0 ? "" : h);
	buf_addf(&user, "%.*s/config.toml", (int)buf_used(&home),
	    buf_data(&home));
	buf_addc(&home, '\0');
	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	cp = get_paths(call, "configPaths", &ncp);
	rp = get_paths(call, "requirementsPaths", &nrp);
	if (cp == NULL || rp == NULL || !paths_ok(cp, ncp) ||
	    !paths_ok(rp, nrp) || home.oom || user.oom) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "userHomeDir");
	uri_put(&call->w, h);
	jw_key(&call->w, "codexHomeDir");
	uri_put(&call->w, buf_data(&home));
	jw_key(&call->w, "hostname");
	jw_cstr(&call->w, host);
	jw_key(&call->w, "config");
	jw_obj(&call->w);
	jw_key(&call->w, "layers");
	jw_arr(&call->w);
	if ((r = layer(call, &call->w, SYSTEM_CONFIG, "system", cp, ncp)) == -1)
		goto out;
	before = r;
	if (layer(call, &call->w, user.p, "user", cp, ncp) == -1)
		goto out;
	jw_arr_end(&call->w);
	jw_key(&call->w, "cloudInsertionIndex");
	jw_i64(&call->w, before);
	jw_obj_end(&call->w);
	jw_key(&call->w, "requirements");
	jw_obj(&call->w);
	jw_key(&call->w, "layers");
	jw_arr(&call->w);
	if ((r = layer(call, &call->w, SYSTEM_REQUIREMENTS, NULL, rp,
	    nrp)) == -1)
		goto out;
	jw_arr_end(&call->w);
	jw_key(&call->w, "cloudInsertionIndex");
	jw_i64(&call->w, r);
	jw_obj_end(&call->w);
	jw_obj_end(&call->w);
out:
	free_paths(cp, ncp);
	free_paths(rp, nrp);
	free(real);
	buf_free(&cwd);
	buf_free(&home);
	buf_free(&user);
}

/* discoverV2's sandbox is the plain context: its cwd is required. */
static const struct schema_param v2_params[] = {
	{ "cwd", P_URI, P_REQ, NULL, NULL, NULL },
	{ "sandbox", P_OBJ, P_NULL, sandbox_cwd_fields,
	    "FileSystemSandboxContext", NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_discover_v2(struct rpc_call *call)
{
	if (sandbox_fs_admit(call, rpc_arg(call, "sandbox")) == -1)
		return;
	jw_obj(&call->w);
	jw_key(&call->w, "plugins");
	jw_arr(&call->w);
	jw_arr_end(&call->w);
	jw_key(&call->w, "skills");
	jw_arr(&call->w);
	jw_arr_end(&call->w);
	jw_key(&call->w, "warnings");
	jw_arr(&call->w);
	jw_arr_end(&call->w);
	jw_obj_end(&call->w);
}

/*
 * A root's URI as the reference echoes it: the parsed URL serialised
 * (blanks trimmed, localhost dropped, dot segments resolved, the WHATWG
 * path set percent-encoded, a trailing "/" kept).  The URI has passed
 * the schema's checks: it is a file: URL without query or fragment.
 */
static void
url_echo(struct buf *out, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, k, e, base, len;
	unsigned char		 c;

	while (n > 0 && (unsigned char)s[0] <= 0x20) {
		s++;
		n--;
	}
	while (n > 0 && (unsigned char)s[n - 1] <= 0x20)
		n--;
	for (i = 0; i < n && s[i] != ':'; i++)
		;
	i++;
	buf_adds(out, "file://");
	if (i + 1 < n && strchr("/\\", s[i]) && strchr("/\\", s[i + 1])) {
		for (e = i + 2; e < n && !strchr("/\\?#", s[e]); e++)
			;
		if (!(e - i - 2 == 2 && ((s[i + 2] | 0x20) >= 'a' &&
		    (s[i + 2] | 0x20) <= 'z') && strchr(":|", s[i + 3]))) {
			if (e - i - 2 != 9 ||
			    strncasecmp(s + i + 2, "localhost", 9) != 0)
				for (k = i + 2; k < e; k++)
					buf_addc(out, (char)(s[k] >= 'A' &&
					    s[k] <= 'Z' ? s[k] + 32 : s[k]));
			i = e;
		} else
			i++;
	}
	if (i < n && strchr("/\\", s[i]))
		i++;
	base = buf_used(out);
	for (;;) {
		for (e = i; e < n && !strchr("/\\?#", s[e]); e++)
			;
		len = e - i;
		if ((len == 2 && memcmp(s + i, "..", 2) == 0) ||
		    (len == 4 && (strncasecmp(s + i, ".%2e", 4) == 0 ||
		    strncasecmp(s + i, "%2e.", 4) == 0)) ||
		    (len == 6 && strncasecmp(s + i, "%2e%2e", 6) == 0)) {
			while (buf_used(out) > base &&
			    buf_data(out)[buf_used(out) - 1] != '/')
				out->len--;
			if (buf_used(out) > base)
				out->len--;
			if (e >= n)
				buf_addc(out, '/');
		} else if ((len == 1 && s[i] == '.') ||
		    (len == 3 && strncasecmp(s + i, "%2e", 3) == 0)) {
			if (e >= n)
				buf_addc(out, '/');
		} else {
			buf_addc(out, '/');
			for (k = i; k < e; k++) {
				c = (unsigned char)s[k];
				if (c == '\t' || c == '\n' || c == '\r')
					continue;
				if (c < 0x20 || c >= 0x7f || strchr(" \"<>`{}",
				    c) != NULL) {
					buf_addc(out, '%');
					buf_addc(out, hex[c >> 4]);
					buf_addc(out, hex[c & 15]);
				} else
					buf_addc(out, (char)c);
			}
		}
		if (e >= n)
			break;
		i = e + 1;
	}
	if (buf_used(out) == base)
		buf_addc(out, '/');
}

static const struct schema_param root_fields[] = {
	{ "id", P_STR, P_REQ, NULL, NULL, NULL },
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param v1_params[] = {
	{ "roots", P_OBJARR, P_REQ, root_fields,
	    "WireCapabilityRootDiscoverRequest", NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_discover_v1(struct rpc_call *call)
{
	struct buf	 path = { 0 }, msg = { 0 }, m = { 0 }, echo = { 0 };
	struct stat	 st;
	const char	*id, *uri;
	size_t		 idlen, urilen;
	int		 arr = rpc_arg(call, "roots"), e, code;
	uint32_t	 i;

	if (fsjob_admit(call) == -1)
		return;
	for (i = 0, e = arr + 1; i < call->doc->tok[arr].size;
	    i++, e = call->doc->tok[e].next)
		if (sandbox_fs_admit(call, rpc_get(call, e, "sandbox")) == -1)
			return;
	jw_obj(&call->w);
	jw_key(&call->w, "roots");
	jw_arr(&call->w);
	for (i = 0, e = arr + 1; i < call->doc->tok[arr].size;
	    i++, e = call->doc->tok[e].next) {
		id = rpc_str(call, rpc_get(call, e, "id"), &idlen);
		uri = rpc_str(call, rpc_get(call, e, "path"), &urilen);
		if (id == NULL || uri == NULL) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			break;
		}
		buf_reset(&path);
		buf_reset(&msg);
		buf_reset(&m);
		buf_reset(&echo);
		url_echo(&echo, uri, urilen);
		buf_addc(&echo, '\0');
		echo.len--;
		if (fs_uri_path(uri, urilen, &path, &code, &msg) == -1)
			buf_addf(&m, "failed to inspect capability root %s: "
			    "%.*s", echo.p, (int)buf_used(&msg),
			    buf_data(&msg));
		else if (stat(path.p, &st) == -1) {
			buf_addf(&m, "failed to inspect capability root %s: ",
			    echo.p);
			fs_errmsg(&m, errno);
		} else if (!S_ISDIR(st.st_mode))
			buf_addf(&m, "capability root %s is not a directory",
			    echo.p);
		jw_obj(&call->w);
		jw_key(&call->w, "id");
		jw_str(&call->w, id, idlen);
		jw_key(&call->w, "path");
		jw_str(&call->w, buf_data(&echo), buf_used(&echo));
		jw_key(&call->w, "plugin");
		jw_null(&call->w);
		jw_key(&call->w, "skills");
		jw_arr(&call->w);
		jw_arr_end(&call->w);
		jw_key(&call->w, "namespaceManifests");
		jw_arr(&call->w);
		jw_arr_end(&call->w);
		jw_key(&call->w, "warnings");
		jw_arr(&call->w);
		jw_arr_end(&call->w);
		jw_key(&call->w, "error");
		if (buf_used(&m) > 0)
			jw_str(&call->w, buf_data(&m), buf_used(&m));
		else
			jw_null(&call->w);
		jw_obj_end(&call->w);
	}
	jw_arr_end(&call->w);
	jw_obj_end(&call->w);
	buf_free(&path);
	buf_free(&msg);
	buf_free(&m);
	buf_free(&echo);
}

static const struct rpc_method methods[] = {
	{ "environmentConfig/read", "environment config",
	    "EnvironmentConfigReadParams", cfg_params, m_config_read },
	{ "capabilities/discoverV2", "capability discovery",
	    "DiscoverV2CapabilitiesRequest", v2_params, m_discover_v2 },
	{ "capabilityRoots/discoverV1", "capability discovery",
	    "WireCapabilityRootsDiscoverParams", v1_params, m_discover_v1 },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module envcfg_module = { methods, NULL, NULL, NULL };
