/*
 * envpol.c: child environments.
 *
 * Without envPolicy the child gets exactly the request's `env`.  With it,
 * the environment starts from the server's own as the reference's
 * shell_environment::create_env builds it (inherit, default excludes,
 * excludes, set, includeOnly, in that order) and `env` is laid over it.
 * Patterns are the wildmatch crate's: `*` and `?`, case-insensitive.
 * The result is sorted by key, as Rust's Command passes it.
 */
#include <stdlib.h>
#include <string.h>

#include "proc/envpol.h"

/* The reference's COMMON_CORE_VARS and unix PLATFORM_CORE_VARS. */
static const char *const core_vars[] = {
	"PATH", "SHELL", "TMPDIR", "TEMP", "TMP",
	"HOME", "LANG", "LC_ALL", "LC_CTYPE", "LOGNAME", "USER",
	NULL
};

static const char *const default_excludes[] = {
	"*KEY*", "*SECRET*", "*TOKEN*", NULL
};

static long
find(const struct envpol_env *e, const char *key, size_t klen)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		if (e->v[i].klen == klen && memcmp(e->v[i].s, key, klen) == 0)
			return (long)i;
	return -1;
}

void
envpol_set(struct envpol_env *e, const char *key, size_t klen,
    const char *val, size_t vlen)
{
	struct envpol_var	*nv;
	char			*s;
	size_t			 ncap;
	long			 i;

	if (e->oom)
		return;
	if ((s = malloc(klen + vlen + 2)) == NULL) {
		e->oom = 1;
		return;
	}
	memcpy(s, key, klen);
	s[klen] = '=';
	memcpy(s + klen + 1, val, vlen);
	s[klen + 1 + vlen] = '\0';
	if ((i = find(e, key, klen)) >= 0) {
		free(e->v[i].s);
		e->v[i].s = s;
		return;
	}
	if (e->n == e->cap) {
		ncap = e->cap ? e->cap * 2 : 32;
		if ((nv = reallocarray(e->v, ncap, sizeof(*nv))) == NULL) {
			free(s);
			e->oom = 1;
			return;
		}
		e->v = nv;
		e->cap = ncap;
	}
	e->v[e->n].s = s;
	e->v[e->n].klen = klen;
	e->n++;
}

static void
remove_at(struct envpol_env *e, size_t i)
{
	free(e->v[i].s);
	e->v[i] = e->v[--e->n];
}

void
envpol_unset(struct envpol_env *e, const char *key)
{
	long	 i;

	if ((i = find(e, key, strlen(key))) >= 0)
		remove_at(e, (size_t)i);
}

const char *
envpol_get(const struct envpol_env *e, const char *key)
{
	size_t	 klen = strlen(key);
	long	 i;

	if ((i = find(e, key, klen)) < 0)
		return NULL;
	return e->v[i].s + klen + 1;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Bytes in the UTF-8 character starting with c (1 for stray bytes). */
static size_t
charlen(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

int
envpol_match(const char *pat, const char *name, size_t len)
{
	const char	*star = NULL;
	size_t		 i = 0, mark = 0, k;

	while (i < len) {
		if (*pat == '*') {
			star = ++pat;
			mark = i;
			continue;
		}
		if (*pat == '?') {
			k = charlen((unsigned char)name[i]);
			if (i + k <= len) {
				pat++;
				i += k;
				continue;
			}
		} else if (*pat != '\0' &&
		    lower((unsigned char)*pat) == lower((unsigned char)name[i])) {
			pat++;
			i++;
			continue;
		}
		if (star == NULL)
			return 0;
		/* Let the last star swallow one more character. */
		pat = star;
		mark += charlen((unsigned char)name[mark]);
		i = mark;
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static int
match_any(const char *const *pats, const char *name, size_t len)
{
	for (; pats != NULL && *pats != NULL; pats++)
		if (envpol_match(*pats, name, len))
			return 1;
	return 0;
}

static int
is_core(const char *name, size_t len)
{
	const char *const	*c;

	for (c = core_vars; *c != NULL; c++)
		if (strlen(*c) == len && memcmp(*c, name, len) == 0)
			return 1;
	return 0;
}

/* Drop the entries whose key matches (keep = 0) or does not (keep = 1). */
static void
filter(struct envpol_env *e, const char *const *pats, int keep)
{
	size_t	 i;

	for (i = 0; i < e->n; ) {
		if (match_any(pats, e->v[i].s, e->v[i].klen) != keep)
			remove_at(e, i);
		else
			i++;
	}
}

void
envpol_apply(struct envpol_env *e, const struct envpol *pol,
    char *const *environ_)
{
	const char *const	*s;
	const char		*eq;
	size_t			 klen;

	for (; pol->inherit != ENVPOL_NONE && environ_ != NULL &&
	    *environ_ != NULL; environ_++) {
		if ((eq = strchr(*environ_, '=')) == NULL)
			continue;
		klen = (size_t)(eq - *environ_);
		if (pol->inherit == ENVPOL_CORE && !is_core(*environ_, klen))
			continue;
		envpol_set(e, *environ_, klen, eq + 1, strlen(eq + 1));
	}
	if (!pol->ignore_default_excludes)
		filter(e, default_excludes, 0);
	if (pol->exclude != NULL && pol->exclude[0] != NULL)
		filter(e, pol->exclude, 0);
	for (s = pol->set; s != NULL && s[0] != NULL && s[1] != NULL; s += 2)
		envpol_set(e, s[0], strlen(s[0]), s[1], strlen(s[1]));
	if (pol->include_only != NULL && pol->include_only[0] != NULL)
		filter(e, pol->include_only, 1);
}

static int
cmp_var(const void *a, const void *b)
{
	const struct envpol_var	*x = a, *y = b;
	size_t			 n = x->klen < y->klen ? x->klen : y->klen;
	int			 c;

	if ((c = memcmp(x->s, y->s, n)) != 0)
		return c;
	return x->klen < y->klen ? -1 : x->klen > y->klen;
}

char **
envpol_finish(struct envpol_env *e)
{
	size_t	 i;

	if (e->oom)
		return NULL;
	if (e->n > 1)
		qsort(e->v, e->n, sizeof(e->v[0]), cmp_var);
	free(e->envp);
	if ((e->envp = calloc(e->n + 1, sizeof(char *))) == NULL) {
		e->oom = 1;
		return NULL;
	}
	for (i = 0; i < e->n; i++)
		e->envp[i] = e->v[i].s;
	return e->envp;
}

void
envpol_free(struct envpol_env *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].s);
	free(e->v);
	free(e->envp);
	memset(e, 0, sizeof(*e));
}
