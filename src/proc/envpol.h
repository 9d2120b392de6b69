/*
 * envpol.h: a child's environment, and the envPolicy that builds one from
 * the server's own (protocol.md §7.5, §11, §15).
 */
#ifndef ENVPOL_H
#define ENVPOL_H

#include <stddef.h>

#define ENVPOL_CORE	0	/* HOME LANG LC_ALL LC_CTYPE LOGNAME PATH ... */
#define ENVPOL_ALL	1
#define ENVPOL_NONE	2

struct envpol_var {
	char	*s;		/* "KEY=VALUE" */
	size_t	 klen;		/* the key may itself contain '=' */
};

/* An environment under construction: one entry per key. */
struct envpol_env {
	struct envpol_var	*v;
	size_t			 n, cap;
	char			**envp;		/* from envpol_finish() */
	int			 oom;
};

struct envpol {
	int			 inherit;	/* ENVPOL_* */
	int			 ignore_default_excludes;
	const char *const	*exclude;	/* patterns, NULL-ended */
	const char *const	*include_only;	/* patterns, NULL-ended */
	const char *const	*set;		/* key, value, ..., NULL */
};

/* Set (or replace) key=value; key and value may not contain NUL. */
void	 envpol_set(struct envpol_env *, const char *key, size_t klen,
	    const char *val, size_t vlen);
void	 envpol_unset(struct envpol_env *, const char *key);
/* Value of key, or NULL. */
const char *envpol_get(const struct envpol_env *, const char *key);
/*
 * Start from `environ` as the policy says: inherit, drop the default
 * excludes (*KEY*, *SECRET*, *TOKEN*) unless told not to, drop `exclude`,
 * add `set`, keep only `include_only` (when not empty).  The caller then
 * overlays the request's `env`.
 */
void	 envpol_apply(struct envpol_env *, const struct envpol *,
	    char *const *environ);
/* Case-insensitive glob with `*` and `?` over the whole name. */
int	 envpol_match(const char *pattern, const char *name, size_t len);
/* The NULL-terminated envp, sorted by key; NULL when out of memory. */
char	**envpol_finish(struct envpol_env *);
void	 envpol_free(struct envpol_env *);

#endif
