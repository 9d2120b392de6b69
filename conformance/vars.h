/*
 * vars.h: placeholders.  Bindings of "${name}" to JSON values, the
 * templates that put them inside strings, their substitution into what
 * is sent, and the integer expressions of $eval.
 */
#ifndef VARS_H
#define VARS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"

struct var {
	char		*name;
	char		*json;		/* the value as JSON text */
	size_t		 len;
	struct json_doc	 doc;
};

struct vars {
	struct var	*v;
	size_t		 n, cap;
};

void	 vars_free(struct vars *);
/* Bind name to a JSON value (copied).  0 or -1. */
int	 vars_set_json(struct vars *, const char *name, const char *json,
	    size_t len);
int	 vars_set_str(struct vars *, const char *name, const char *s,
	    size_t len);
struct var *vars_get(struct vars *, const char *name, size_t namelen);
/* Forget every binding made after mark (a failed match). */
void	 vars_rollback(struct vars *, size_t mark);

/*
 * Bytes against an expected string holding ${name} placeholders, which
 * bind the shortest non-empty text.  1, 0, or -1 for a bad template or
 * one that takes more than TMATCH_STEPS (100 000) steps to match.
 */
int	 vars_template_bytes(struct vars *, const char *e, size_t en,
	    const char *s, size_t n);
/* Integer expression "${a}+1", "7", "${a}-${b}". */
int	 vars_eval_int(struct vars *, const char *expr, int64_t *out);
/*
 * Write value (d, t) as JSON to b with ${name} references in its
 * strings replaced by bound values.  -1 with err for an unbound name.
 */
int	 vars_subst_json(struct buf *, struct vars *, const struct json_doc *d,
	    int t, char *err, size_t errlen);
/* The decoded string token t with ${name} references replaced. */
int	 vars_subst_str(struct buf *, struct vars *, const struct json_doc *d,
	    int t, char *err, size_t errlen);

#endif
