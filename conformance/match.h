/*
 * match.h: compare a received JSON value with an expected one that may
 * hold placeholders and matchers (README.md, "Matching").
 */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "vars.h"

struct mctx {
	struct vars	*vars;
	int		 skip_message;	/* do not compare $.error.message */
	/* The first difference of the last failed match. */
	char		 path[256];
	char		 why[768];
	int		 depth;
};

/*
 * Does received value (r, ri) match expected value (e, ei)?  1 or 0;
 * on 0, m->path/why/depth describe the first difference.  Bindings made
 * by a failed match are rolled back.
 */
int	 match_value(struct mctx *, const struct json_doc *e, int ei,
	    const struct json_doc *r, int ri);
/* Does the integer v match (e, ei)? */
int	 match_i64(struct mctx *, const struct json_doc *e, int ei, int64_t v);
/* A string matcher applied to bytes (process output, decoded base64). */
int	 match_bytes(struct mctx *, const struct json_doc *e, int ei,
	    const char *p, size_t n, const char *path);

#endif
