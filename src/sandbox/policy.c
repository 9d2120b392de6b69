/*
 * policy.c: a `sandbox` object (its shape already checked by the schema
 * of sandbox.c) read into a struct policy, its entries resolved to
 * absolute paths the way the reference resolves them:
 *
 *   path                  the URI's path, normalised lexically
 *   root                  "/"
 *   minimal               the platform's read roots (each existing one)
 *   project_roots / current_working_directory
 *                         each workspace root (`workspaceRoots`, else the
 *                         policy cwd), joined with `subpath` if any
 *   tmpdir                $TMPDIR of the child's environment, when set,
 *                         non-empty and absolute; else nothing
 *   slash_tmp             /tmp when it is a directory; else nothing
 *   unknown               nothing
 *   glob_pattern          kept as a pattern, against the policy cwd
 *
 * The policy cwd is `cwd` of the object, else the caller's (the
 * process's working directory).  Nothing is canonicalised here.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "compat/uri.h"
#include "sandbox/policy.h"

/* The platform's read roots of `minimal` (the reference's list). */
static const char *const minimal_roots[] = {
	"/bin", "/sbin", "/usr", "/etc", "/lib", "/lib64", "/nix/store",
	"/run/current-system/sw", NULL
};

static int
str_is(struct rpc_call *call, int obj, const char *name, const char *want)
{
	int	 t = rpc_get(call, obj, name);

	return t >= 0 && json_str_eq(call->doc, t, want);
}

/* Append one entry; path is copied.  -1 after rpc_fail(). */
static int
add(struct rpc_call *call, struct policy *p, const char *path, size_t len,
    int access, int glob)
{
	struct policy_entry	*e;

	if ((p->nentries & 15) == 0) {
		e = reallocarray(p->entries, p->nentries + 16, sizeof(*e));
		if (e == NULL)
			goto oom;
		p->entries = e;
	}
	e = &p->entries[p->nentries];
	memset(e, 0, sizeof(*e));
	if ((e->path = strndup(path, len)) == NULL)
		goto oom;
	e->access = access;
	e->glob = glob;
	p->nentries++;
	return 0;
oom:
	rpc_fail(call, RPC_INTERNAL, "out of memory");
	return -1;
}

/*
 * base (absolute) joined with sub the reference's way: `~` or `~/...`
 * means $HOME of the environment the sandbox is for (when absolute), an
 * absolute sub replaces base, the result is normalised lexically.
 */
static int
add_joined(struct rpc_call *call, struct policy *p, const char *base,
    const char *sub, int access, int glob)
{
	struct buf	 raw = { 0 }, norm = { 0 };
	int		 rc = -1;

	if (sub != NULL && sub[0] == '~' && (sub[1] == '\0' ||
	    sub[1] == '/') && p->home != NULL) {
		buf_adds(&raw, p->home);
		buf_adds(&raw, sub + 1);
	} else {
		if (sub == NULL || sub[0] != '/')
			buf_adds(&raw, base);
		if (sub != NULL) {
			buf_addc(&raw, '/');
			buf_adds(&raw, sub);
		}
	}
	uri_normalise(&norm, buf_data(&raw), buf_used(&raw));
	if (raw.oom || norm.oom)
		rpc_fail(call, RPC_INTERNAL, "out of memory");
	else
		rc = add(call, p, buf_data(&norm), buf_used(&norm), access,
		    glob);
	buf_free(&raw);
	buf_free(&norm);
	return rc;
}

/*
 * A URI member as a normalised path (allocated), or NULL after rpc_fail()
 * with what the reference says of it (what NULL: a permission path).
 */
static char *
uri_member(struct rpc_call *call, int tok, const char *what)
{
	struct buf	 path = { 0 }, msg = { 0 };
	const char	*s;
	size_t		 len;
	char		*r = NULL;
	int		 code;

	if ((s = rpc_str(call, tok, &len)) == NULL)
		rpc_fail(call, RPC_INTERNAL, "out of memory");
	else if (uri_abspath(s, len, &path, &code, &msg) == -1) {
		if (what == NULL)
			rpc_fail(call, RPC_INVALID_PARAMS, "invalid sandbox "
			    "permission path URI: %.*s", (int)buf_used(&msg),
			    buf_data(&msg));
		else
			rpc_fail(call, RPC_INVALID_PARAMS, "%s `%.*s` is not "
			    "valid on this exec-server host: %.*s", what,
			    (int)len, s, (int)buf_used(&msg), buf_data(&msg));
	} else if (path.oom || (r = strdup(buf_data(&path))) == NULL)
		rpc_fail(call, RPC_INTERNAL, "out of memory");
	buf_free(&path);
	buf_free(&msg);
	return r;
}

static int
special(struct rpc_call *call, struct policy *p, int value, int access,
    int roots, char *const *envp)
{
	const struct json_doc	*d = call->doc;
	struct stat		 st;
	const char		*sub = NULL, *tmp;
	size_t			 i, len;
	int			 t, r;

	if (str_is(call, value, "kind", "root"))
		return add(call, p, "/", 1, access, 0);
	if (str_is(call, value, "kind", "minimal")) {
		for (i = 0; minimal_roots[i] != NULL; i++)
			if (access != POLICY_DENY &&
			    stat(minimal_roots[i], &st) == 0) {
				if (add(call, p, minimal_roots[i],
				    strlen(minimal_roots[i]), POLICY_READ,
				    0) == -1)
					return -1;
				p->entries[p->nentries - 1].platform = 1;
			}
		return 0;
	}
	if (str_is(call, value, "kind", "slash_tmp"))
		return stat("/tmp", &st) == 0 && S_ISDIR(st.st_mode) ?
		    add(call, p, "/tmp", 4, access, 0) : 0;
	if (str_is(call, value, "kind", "tmpdir")) {
		for (tmp = NULL; envp != NULL && *envp != NULL; envp++)
			if (strncmp(*envp, "TMPDIR=", 7) == 0)
				tmp = *envp + 7;
		return tmp != NULL && tmp[0] == '/' ?
		    add_joined(call, p, tmp, NULL, access, 0) : 0;
	}
	if (!str_is(call, value, "kind", "project_roots") &&
	    !str_is(call, value, "kind", "current_working_directory"))
		return 0;		/* unknown: nothing */
	if ((t = rpc_get(call, value, "subpath")) >= 0 &&
	    (sub = rpc_str(call, t, &len)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return -1;
	}
	if (roots < 0 || d->tok[roots].size == 0)
		return add_joined(call, p, p->cwd, sub, access, 0);
	for (i = 0, t = roots + 1; i < d->tok[roots].size;
	    i++, t = d->tok[t].next) {
		char	*root;

		if ((root = uri_member(call, t, "sandbox workspace root URI"))
		    == NULL)
			return -1;
		r = add_joined(call, p, root, sub, access, 0);
		free(root);
		if (r == -1)
			return -1;
	}
	return 0;
}

int
policy_parse(struct rpc_call *call, int tok, const char *cwd,
    char *const *envp, struct policy *p)
{
	const struct json_doc	*d = call->doc;
	const char		*s;
	size_t			 len;
	uint32_t		 i;
	int			 perm, fsys, ents, e, path, t, access, roots;
	char *const		*ep;

	memset(p, 0, sizeof(*p));
	if (tok < 0)
		return 0;
	perm = rpc_get(call, tok, "permissions");
	if (str_is(call, perm, "type", "disabled"))
		return 0;
	p->net_restricted = !str_is(call, perm, "network", "enabled");
	if (str_is(call, perm, "type", "external")) {
		p->kind = POLICY_EXTERNAL;
		return 0;
	}
	fsys = rpc_get(call, perm, "file_system");
	if (!str_is(call, fsys, "type", "restricted")) {
		p->kind = POLICY_UNRESTRICTED;
		return 0;
	}
	p->kind = POLICY_RESTRICTED;
	for (ep = envp; ep != NULL && *ep != NULL; ep++)
		if (strncmp(*ep, "HOME=/", 6) == 0)
			p->home = *ep + 5;
	p->glob_depth = (size_t)rpc_u64(call, fsys, "glob_scan_max_depth", 0);
	if ((t = rpc_get(call, tok, "cwd")) >= 0)
		p->cwd = uri_member(call, t, "sandbox cwd URI");
	else if ((p->cwd = strdup(cwd != NULL ? cwd : "/")) == NULL)
		rpc_fail(call, RPC_INTERNAL, "out of memory");
	if (p->cwd == NULL)
		goto bad;
	roots = rpc_get(call, tok, "workspaceRoots");
	ents = rpc_get(call, fsys, "entries");
	for (i = 0, e = ents + 1; i < d->tok[ents].size;
	    i++, e = d->tok[e].next) {
		path = rpc_get(call, e, "path");
		access = str_is(call, e, "access", "read") ? POLICY_READ :
		    str_is(call, e, "access", "write") ? POLICY_WRITE :
		    POLICY_DENY;
		if (str_is(call, path, "type", "special")) {
			if (special(call, p, rpc_get(call, path, "value"),
			    access, roots, envp) == -1)
				goto bad;
		} else if (str_is(call, path, "type", "glob_pattern")) {
			if ((s = rpc_str(call, rpc_get(call, path, "pattern"),
			    &len)) == NULL) {
				rpc_fail(call, RPC_INTERNAL, "out of memory");
				goto bad;
			}
			if (add_joined(call, p, p->cwd, s, access, 1) == -1)
				goto bad;
		} else {
			char	*abs;

			if ((abs = uri_member(call, rpc_get(call, path, "path"),
			    NULL)) == NULL)
				goto bad;
			t = add(call, p, abs, strlen(abs), access, 0);
			free(abs);
			if (t == -1)
				goto bad;
		}
	}
	p->home = NULL;		/* the caller's environment: not ours to keep */
	return 0;
bad:
	policy_free(p);
	return -1;
}

void
policy_free(struct policy *p)
{
	size_t	 i;

	for (i = 0; i < p->nentries; i++)
		free(p->entries[i].path);
	free(p->entries);
	free(p->cwd);
	memset(p, 0, sizeof(*p));
}

int
policy_beneath(const char *path, const char *root)
{
	size_t	 n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/';
	return strncmp(path, root, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

static size_t
depth(const char *path)
{
	size_t	 n = 0;

	for (; *path != '\0'; path++)
		if (*path == '/' && path[1] != '\0')
			n++;
	return n;
}

int
policy_access(const struct policy *p, const char *path)
{
	const struct policy_entry	*e, *best = NULL;
	size_t				 i, bd = 0, ed;

	if (p->kind != POLICY_RESTRICTED)
		return POLICY_WRITE;
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		if (e->glob || e->platform || !policy_beneath(path, e->path))
			continue;
		ed = depth(e->path);
		/* The deepest wins; at equal depth deny > write > read. */
		if (best == NULL || ed > bd || (ed == bd &&
		    e->access > best->access)) {
			best = e;
			bd = ed;
		}
	}
	return best != NULL ? best->access : POLICY_DENY;
}

int
policy_full_write(const struct policy *p)
{
	const struct policy_entry	*e;
	size_t				 i, k;
	int				 root = 0;

	if (p->kind != POLICY_RESTRICTED)
		return 1;
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		if (e->platform)
			continue;
		if (e->glob)
			return 0;
		if (e->access == POLICY_WRITE) {
			root |= strcmp(e->path, "/") == 0;
			continue;
		}
		if (e->access == POLICY_DENY)
			return 0;
		for (k = 0; k < p->nentries; k++)
			if (p->entries[k].access == POLICY_WRITE &&
			    !p->entries[k].glob &&
			    strcmp(p->entries[k].path, e->path) == 0)
				break;
		if (k == p->nentries)
			return 0;
	}
	return root;
}

int
policy_full_read(const struct policy *p)
{
	size_t	 i;
	int	 root = 0;

	if (p->kind != POLICY_RESTRICTED)
		return 1;
	for (i = 0; i < p->nentries; i++) {
		if (p->entries[i].access == POLICY_DENY)
			return 0;
		root |= !p->entries[i].glob && strcmp(p->entries[i].path,
		    "/") == 0;
	}
	return root;
}

int
policy_visible(const struct policy *p, const char *path)
{
	const struct policy_entry	*e;
	size_t				 i;

	if (p->kind != POLICY_RESTRICTED)
		return 1;
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		if (!e->glob && e->access != POLICY_DENY &&
		    (policy_beneath(path, e->path) || policy_beneath(e->path, path)))
			return 1;
	}
	return 0;
}
