/*
 * globs.h: the files a deny glob names when a sandbox starts (globs.c).
 */
#ifndef GLOBS_H
#define GLOBS_H

#include <stddef.h>

#include "base/buf.h"

/* Called for each file found; -1 stops the search (and fails it). */
typedef int	 globs_fn(const char *path, void *arg);

/*
 * Find the regular files pattern (absolute) names, searching at most
 * depth levels (0: no limit), and call fn for each.  0, or -1 with the
 * reason in why (more than LIM_SANDBOX_GLOB_MATCHES files, `{a,b}`) or
 * when fn failed.
 */
int	 globs_expand(const char *pattern, size_t depth, globs_fn *fn,
	    void *arg, struct buf *why);

/*
 * Does the name s match the one-component glob p: `*`, `?`, `[...]`
 * (`!` or `^` negates, `a-z`), `\` escapes; neither needs '/'.
 */
int	 globs_match(const char *p, const char *s);

#endif
