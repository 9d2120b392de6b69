/*
 * globs.c: the files a deny glob names when a sandbox starts, found the
 * way the reference finds them (ripgrep, or its fallback walker):
 *
 *   - the pattern's static prefix (before the first of * ? [ ]) ends at
 *     its last '/': that directory is searched, the rest is the glob;
 *     a pattern without a metacharacter, or whose prefix is "" or "/",
 *     names nothing (no scan of the whole machine);
 *   - a glob without a '/' matches a name at any depth (gitignore's rule);
 *     otherwise the path relative to the searched directory must match;
 *   - `*` and `?` never match '/', `**` matches any number of
 *     components, `[...]` is a class (`[!...]` or `[^...]` negated,
 *     `a-z` a range), `\` escapes; bytes are compared as they are
 *     (globs_match below; POSIX's `[[:alpha:]]` classes are not glob
 *     syntax for the reference either);
 *   - regular files only, hidden ones included; symlinks are not
 *     followed; at most glob_scan_max_depth levels (0: no limit).
 * Only files that exist now are found: one made later is not masked (as
 * in the reference).  `{a,b}` is not supported: such a pattern is
 * refused rather than half applied.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/lim.h"
#include "sandbox/globs.h"

#define MAXSEG	64

/*
 * The class at p (its '['): its length up to and including the ']', and
 * in *hit whether byte c is in it; 0 when there is no closing ']' (the
 * '[' is then an ordinary byte).
 */
static size_t
class(const char *p, unsigned char c, int *hit)
{
	const char	*q = p + 1;
	unsigned char	 lo, hi;
	int		 neg = 0, in = 0;

	if (*q == '!' || *q == '^') {
		neg = 1;
		q++;
	}
	/* A ']' first is a member. */
	do {
		if (*q == '\0')
			return 0;
		if (*q == '\\' && q[1] != '\0')
			q++;
		lo = hi = (unsigned char)*q++;
		if (q[0] == '-' && q[1] != ']' && q[1] != '\0') {
			q++;
			if (*q == '\\' && q[1] != '\0')
				q++;
			hi = (unsigned char)*q++;
		}
		if (lo <= c && c <= hi)
			in = 1;
	} while (*q != ']');
	*hit = in != neg;
	return (size_t)(q + 1 - p);
}

int
globs_match(const char *p, const char *s)
{
	const char	*star = NULL, *from = NULL;
	size_t		 n;
	int		 hit;

	while (*s != '\0') {
		if (*p == '*') {
			/* Remember the star: on a mismatch it takes one more. */
			star = ++p;
			from = s;
			continue;
		}
		if (*p == '?') {
			p++;
			s++;
			continue;
		}
		if (*p == '[' && (n = class(p, (unsigned char)*s, &hit)) > 0) {
			if (hit) {
				p += n;
				s++;
				continue;
			}
		} else {
			if (*p == '\\' && p[1] != '\0')
				p++;
			if (*p != '\0' && *p == *s) {
				p++;
				s++;
				continue;
			}
		}
		if (star == NULL)
			return 0;
		p = star;
		s = ++from;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* Does the path (components s) match the glob (components p)? */
static int
match(char **p, size_t np, char **s, size_t ns)
{
	size_t	 k;

	if (np == 0)
		return ns == 0;
	if (strcmp(p[0], "**") == 0) {
		for (k = 0; k <= ns; k++)
			if (match(p + 1, np - 1, s + k, ns - k))
				return 1;
		return 0;
	}
	return ns > 0 && globs_match(p[0], s[0]) &&
	    match(p + 1, np - 1, s + 1, ns - 1);
}

/*
 * Split a writable path at '/' into at most MAXSEG components (empty
 * ones dropped).
 */
static size_t
split(char *path, char **seg)
{
	size_t	 n = 0;

	while (*path != '\0' && n < MAXSEG) {
		while (*path == '/')
			*path++ = '\0';
		if (*path == '\0')
			break;
		seg[n++] = path;
		while (*path != '\0' && *path != '/')
			path++;
	}
	return n;
}

struct walk {
	char		*pseg[MAXSEG];
	size_t		 np;
	size_t		 depth;		/* 0: no limit */
	size_t		 rootlen;
	globs_fn	*fn;
	void		*arg;
	size_t		 found;
	int		 failed;
};

static void
walk(struct walk *w, char *path, size_t len, size_t level)
{
	char		 rel[4096], *sseg[MAXSEG];
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 n, ns;

	if (w->failed || (w->depth != 0 && level >= w->depth) ||
	    level >= MAXSEG || (d = opendir(path)) == NULL)
		return;
	while (!w->failed && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(de->d_name);
		if (len + 1 + n >= 4096)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk(w, path, len + 1 + n, level + 1);
			else if (S_ISREG(st.st_mode)) {
				snprintf(rel, sizeof(rel), "%s",
				    path + w->rootlen + 1);
				ns = split(rel, sseg);
				if (match(w->pseg, w->np, sseg, ns) &&
				    (++w->found > LIM_SANDBOX_GLOB_MATCHES ||
				    w->fn(path, w->arg) == -1))
					w->failed = 1;
			}
		}
		path[len] = '\0';
	}
	closedir(d);
}

int
globs_expand(const char *pattern, size_t depth, globs_fn *fn, void *arg,
    struct buf *why)
{
	struct walk	 w;
	struct stat	 st;
	char		 root[4096], glob[4096];
	const char	*meta, *slash;
	size_t		 n;

	if (strchr(pattern, '{') != NULL) {
		buf_addf(why, "glob alternation ({a,b}) is not supported: `%s`",
		    pattern);
		return -1;
	}
	if ((meta = strpbrk(pattern, "*?[]")) == NULL)
		return 0;
	for (slash = meta; slash > pattern && slash[-1] != '/'; slash--)
		;
	n = (size_t)(slash - pattern);
	while (n > 1 && pattern[n - 1] == '/')
		n--;
	if (n <= 1 || n >= sizeof(root))
		return 0;		/* "" or "/": no scan from the root */
	memcpy(root, pattern, n);
	root[n] = '\0';
	if (stat(root, &st) == -1 || !S_ISDIR(st.st_mode))
		return 0;
	memset(&w, 0, sizeof(w));
	/* No '/' in the glob: a name, at any depth. */
	if ((size_t)snprintf(glob, sizeof(glob), "%s%s",
	    strchr(slash, '/') == NULL ? "**/" : "", slash) >= sizeof(glob))
		return 0;
	w.np = split(glob, w.pseg);
	w.depth = depth;
	w.rootlen = n;
	w.fn = fn;
	w.arg = arg;
	walk(&w, root, n, 0);
	if (w.found > LIM_SANDBOX_GLOB_MATCHES) {
		buf_addf(why, "unreadable glob expansion for %s matched more "
		    "than %d paths", root, LIM_SANDBOX_GLOB_MATCHES);
		return -1;
	}
	return w.failed ? -1 : 0;
}
