/*
 * plan.c: a policy (policy.c) turned into what a child applies
 * (confine.c): Landlock rules for what it may read and write, mounts for
 * what Landlock cannot take back, and the network rule.
 *
 * Landlock grants add up down the tree, so a rule can only widen what a
 * parent gives.  Where the policy narrows instead, a mount in the child's
 * namespace does it:
 *   - a path the policy makes read-only beneath a writable one, and the
 *     protected names .git (and its gitdir: target), .agents, .codex and
 *     .aws of every writable root: bound read-only over themselves;
 *   - a path the policy denies beneath a readable one, and every file a
 *     deny glob names when the sandbox starts (globs.c): masked (an empty
 *     000 tmpfs for a directory, an empty 000 file for a file).
 * A protected name that does not exist yet gets an empty directory made
 * on the host first (a placeholder, mode 0555), bound read-only, so that
 * it cannot be created; the placeholder goes when the last process that
 * needed it ends and it is still empty (plan_release()).  A missing .git
 * beneath a repository is left alone, so that git still finds the
 * repository above (as the reference does).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/globs.h"
#include "sandbox/plan.h"

static const char *const protected_names[] = {
	".git", ".agents", ".codex", ".aws", NULL
};

/* Devices every sandboxed process may open. */
static const char *const devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", "/dev/ptmx", "/dev/pts", NULL
};

/* The access path would have without the entries naming it exactly. */
static int
inherited(const struct policy *p, const char *path)
{
	struct policy	 q = *p;
	size_t		 i, k;
	int		 a;

	if ((q.entries = calloc(p->nentries + 1, sizeof(*q.entries))) == NULL)
		return -1;
	for (i = k = 0; i < p->nentries; i++)
		if (strcmp(p->entries[i].path, path) != 0)
			q.entries[k++] = p->entries[i];
	q.nentries = k;
	a = policy_access(&q, path);
	free(q.entries);
	return a;
}

static int
grow(void **v, size_t n, size_t size)
{
	void	*nv;

	if ((n & 15) != 0)
		return 0;
	if ((nv = reallocarray(*v, n + 16, size)) == NULL)
		return -1;
	*v = nv;
	return 0;
}

static int
add_rule(struct plan *pl, const char *path, int grant)
{
	if (grow((void **)&pl->rules, pl->nrules, sizeof(*pl->rules)) == -1)
		return -1;
	pl->rules[pl->nrules].path = path;
	pl->rules[pl->nrules].grant = grant;
	pl->nrules++;
	return 0;
}

/* A mount of an existing path (lstat); missing paths need none. */
static int
add_mount(struct plan *pl, const char *path, int how)
{
	struct stat	 st;
	size_t		 i;

	if (lstat(path, &st) == -1)
		return 0;
	for (i = 0; i < pl->nmounts; i++)
		if (strcmp(pl->mounts[i].path, path) == 0)
			return 0;
	if (grow((void **)&pl->mounts, pl->nmounts, sizeof(*pl->mounts)) == -1 ||
	    (pl->mounts[pl->nmounts].path = strdup(path)) == NULL)
		return -1;
	pl->mounts[pl->nmounts].how = how;
	pl->mounts[pl->nmounts].dir = S_ISDIR(st.st_mode);
	pl->nmounts++;
	return 0;
}

/* A file a deny glob names: masked. */
static int
mask_found(const char *path, void *arg)
{
	return add_mount(arg, path, CONFINE_MASK);
}

/* Is some entry exactly this path?  (A user's rule wins over ours.) */
static int
named(const struct policy *p, const char *path)
{
	size_t	 i;

	for (i = 0; i < p->nentries; i++)
		if (!p->entries[i].glob && strcmp(p->entries[i].path, path) == 0)
			return 1;
	return 0;
}

/* The gitdir: target of a .git file, into out; 0 when there is one. */
static int
gitdir(const char *dotgit, const char *root, char *out, size_t size)
{
	char	 b[4096], *s, *e;
	ssize_t	 n;
	int	 fd;

	if ((fd = open(dotgit, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	b[n] = '\0';
	for (s = b; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
		;
	if (strncmp(s, "gitdir:", 7) != 0)
		return -1;
	for (s += 7; *s == ' ' || *s == '\t'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == '\n' || e[-1] == '\r' ||
	    e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	if (*s == '\0')
		return -1;
	if (*s == '/')
		return (size_t)snprintf(out, size, "%s", s) < size ? 0 : -1;
	return (size_t)snprintf(out, size, "%s/%s", root, s) < size ? 0 : -1;
}

static int	held(const char *);

/* Does a directory above w hold a repository (.git/HEAD, gitdir: file)? */
static int
in_repository(const char *w)
{
	struct stat	 st;
	char		 p[4096], t[4096];
	char		*slash;

	if ((size_t)snprintf(p, sizeof(p), "%s", w) >= sizeof(p))
		return 0;
	while ((slash = strrchr(p, '/')) != NULL && slash != p) {
		*slash = '\0';
		if ((size_t)snprintf(t, sizeof(t), "%s/.git/HEAD", p) <
		    sizeof(t) && stat(t, &st) == 0)
			return 1;
		if ((size_t)snprintf(t, sizeof(t), "%s/.git", p) < sizeof(t) &&
		    lstat(t, &st) == 0 && S_ISREG(st.st_mode) &&
		    gitdir(t, p, t, sizeof(t)) == 0)
			return 1;
	}
	return 0;
}

/* The protected names of writable root w. */
static int
protect_root(const struct policy *p, struct plan *pl, const char *w,
    struct buf *why)
{
	struct stat	 st;
	char		 path[4096], target[4096];
	size_t		 i;

	for (i = 0; protected_names[i] != NULL; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s%s", w,
		    strcmp(w, "/") == 0 ? "" : "/", protected_names[i]) >=
		    sizeof(path))
			continue;
		if (named(p, path) || policy_access(p, path) != POLICY_WRITE)
			continue;
		/* Missing, or a placeholder another run holds: hold it too. */
		if (held(path) || lstat(path, &st) == -1) {
			if (i == 0 && in_repository(w) && !held(path))
				continue;
			if (plan_hold(pl, path, why) == -1 ||
			    add_mount(pl, path, CONFINE_RDONLY) == -1)
				return -1;
			continue;
		}
		if (S_ISREG(st.st_mode) && i == 0 &&
		    gitdir(path, w, target, sizeof(target)) == 0 &&
		    add_mount(pl, target, CONFINE_RDONLY) == -1)
			return -1;
		if (add_mount(pl, path, CONFINE_RDONLY) == -1)
			return -1;
	}
	return 0;
}

static size_t
depth(const char *path)
{
	size_t	 n = 0;

	for (; *path != '\0'; path++)
		n += *path == '/';
	return n;
}

/*
 * The writable roots first, shallowest first (each bound over the
 * read-only tree), then the rest, shallowest first, so that nothing
 * mounted later hides a mount made inside it.
 */
static void
order_mounts(struct plan *pl)
{
	struct confine_mount	 m;
	size_t			 i, k;

#define KEY(x)	((x).how == CONFINE_WRITE ? 0 : 4096) + depth((x).path)
	for (i = 1; i < pl->nmounts; i++) {
		m = pl->mounts[i];
		for (k = i; k > 0 && KEY(pl->mounts[k - 1]) > KEY(m); k--)
			pl->mounts[k] = pl->mounts[k - 1];
		pl->mounts[k] = m;
	}
#undef KEY
}

/*
 * A read-only or denied path reached through a symlink inside a writable
 * root would protect the link's target, and the link could be moved: the
 * reference refuses that, so do we (its words).
 */
static int
check_symlinks(const struct policy *p, const struct plan *pl,
    struct buf *why)
{
	const struct policy_entry	*e;
	struct stat			 st;
	char				 prefix[4096];
	size_t				 i, k, n;

	for (i = 0; i < pl->nmounts; i++) {
		if (pl->mounts[i].how == CONFINE_WRITE)
			continue;
		for (k = 0; k < p->nentries; k++) {
			e = &p->entries[k];
			if (e->glob || e->access != POLICY_WRITE ||
			    !policy_beneath(pl->mounts[i].path, e->path))
				continue;
			/* Each component below the root, down to the path. */
			for (n = strlen(e->path) + 1;
			    n <= strlen(pl->mounts[i].path); n++) {
				if (pl->mounts[i].path[n] != '/' &&
				    pl->mounts[i].path[n] != '\0')
					continue;
				if (n >= sizeof(prefix))
					break;
				memcpy(prefix, pl->mounts[i].path, n);
				prefix[n] = '\0';
				if (lstat(prefix, &st) == 0 &&
				    S_ISLNK(st.st_mode)) {
					buf_addf(why, "cannot enforce sandbox "
					    "read-only path %s because it "
					    "crosses writable symlink %s",
					    pl->mounts[i].path, prefix);
					errno = EPERM;
					return -1;
				}
			}
		}
	}
	return 0;
}

int
plan_build(const struct policy *p, struct plan *pl, int protect,
    struct buf *why)
{
	const struct policy_entry	*e;
	size_t				 i;
	int				 inh;

	memset(pl, 0, sizeof(*pl));
	pl->net_restricted = p->net_restricted;
	for (i = 0; devices[i] != NULL; i++)
		if (add_rule(pl, devices[i], LANDLOCK_GRANT_DEV) == -1)
			goto oom;
	if (p->kind != POLICY_RESTRICTED)
		return add_rule(pl, "/", LANDLOCK_GRANT_WRITE) == -1 ? -1 : 0;
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		if (e->glob) {
			/* Read and write globs grant nothing (as the reference). */
			if (e->access == POLICY_DENY &&
			    globs_expand(e->path, p->glob_depth, mask_found, pl,
			    why) == -1) {
				if (buf_used(why) == 0)
					goto oom;
				errno = EPERM;
				return -1;
			}
			continue;
		}
		if (e->access != POLICY_DENY && add_rule(pl, e->path,
		    e->access == POLICY_WRITE ? LANDLOCK_GRANT_WRITE :
		    LANDLOCK_GRANT_READ) == -1)
			goto oom;
		/* Narrower than what is around it: a mount takes it back. */
		if ((inh = inherited(p, e->path)) == -1)
			goto oom;
		switch (policy_access(p, e->path)) {
		case POLICY_DENY:
			if (inh != POLICY_DENY &&
			    add_mount(pl, e->path, CONFINE_MASK) == -1)
				goto oom;
			break;
		case POLICY_READ:
			if (inh == POLICY_WRITE &&
			    add_mount(pl, e->path, CONFINE_RDONLY) == -1)
				goto oom;
			break;
		}
	}
	for (i = 0; i < p->nentries; i++) {
		e = &p->entries[i];
		if (e->glob || e->access != POLICY_WRITE ||
		    policy_access(p, e->path) != POLICY_WRITE)
			continue;
		if (protect && protect_root(p, pl, e->path, why) == -1)
			return -1;
		/* Writable again over a read-only tree. */
		if (!policy_full_write(p) &&
		    add_mount(pl, e->path, CONFINE_WRITE) == -1)
			goto oom;
	}
	pl->rdonly_root = !policy_full_write(p);
	order_mounts(pl);
	return check_symlinks(p, pl, why);
oom:
	buf_adds(why, "out of memory");
	errno = ENOMEM;
	return -1;
}

void
plan_drop_writes(struct plan *pl)
{
	size_t	 i, k;

	for (i = k = 0; i < pl->nmounts; i++)
		if (pl->mounts[i].how == CONFINE_WRITE)
			free(pl->mounts[i].path);
		else
			pl->mounts[k++] = pl->mounts[i];
	pl->nmounts = k;
}

void
plan_free(struct plan *pl)
{
	size_t	 i;

	free(pl->rules);
	for (i = 0; i < pl->nmounts; i++)
		free(pl->mounts[i].path);
	free(pl->mounts);
	plan_release(pl->held, pl->nheld);
	memset(pl, 0, sizeof(*pl));
}

/* --- placeholders -------------------------------------------------------- */

struct hold {
	struct hold	*next;
	char		*path;
	unsigned	 refs;
};

static struct hold	*holds;

/* Is path a placeholder of ours? */
static int
held(const char *path)
{
	struct hold	*h;

	for (h = holds; h != NULL; h = h->next)
		if (strcmp(h->path, path) == 0)
			return 1;
	return 0;
}

int
plan_hold(struct plan *pl, const char *path, struct buf *why)
{
	struct hold	*h;
	char		*copy;

	if (grow((void **)&pl->held, pl->nheld, sizeof(*pl->held)) == -1 ||
	    (copy = strdup(path)) == NULL)
		goto oom;
	for (h = holds; h != NULL; h = h->next)
		if (strcmp(h->path, path) == 0)
			break;
	if (h == NULL) {
		if ((h = calloc(1, sizeof(*h))) == NULL ||
		    (h->path = strdup(path)) == NULL) {
			free(h);
			free(copy);
			goto oom;
		}
		if (mkdir(path, 0555) == -1 && errno != EEXIST) {
			buf_addf(why, "cannot protect `%s`: %s", path,
			    strerror(errno));
			free(h->path);
			free(h);
			free(copy);
			return -1;
		}
		h->next = holds;
		holds = h;
	}
	h->refs++;
	pl->held[pl->nheld++] = copy;
	return 0;
oom:
	buf_adds(why, "out of memory");
	return -1;
}

void
plan_release(char **held, size_t n)
{
	struct hold	**hp, *h;
	size_t		  i;

	for (i = 0; i < n; i++) {
		for (hp = &holds; (h = *hp) != NULL; hp = &h->next)
			if (strcmp(h->path, held[i]) == 0)
				break;
		if (h != NULL && --h->refs == 0) {
			(void)rmdir(h->path);
			*hp = h->next;
			free(h->path);
			free(h);
		}
		free(held[i]);
	}
	free(held);
}
