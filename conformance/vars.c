/*
 * vars.c: placeholders.  Bindings ("${name}" values), the templates that
 * put them inside strings, their substitution into what is sent, and
 * the integer expressions of $eval.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "vars.h"

/* ------------------------------------------------------------- vars */

void
vars_free(struct vars *vs)
{
	vars_rollback(vs, 0);
	free(vs->v);
	vs->v = NULL;
	vs->cap = 0;
}

void
vars_rollback(struct vars *vs, size_t mark)
{
	while (vs->n > mark) {
		vs->n--;
		free(vs->v[vs->n].name);
		free(vs->v[vs->n].json);
		json_doc_free(&vs->v[vs->n].doc);
	}
}

struct var *
vars_get(struct vars *vs, const char *name, size_t len)
{
	size_t	 i;

	for (i = vs->n; i-- > 0;)
		if (strlen(vs->v[i].name) == len &&
		    memcmp(vs->v[i].name, name, len) == 0)
			return &vs->v[i];
	return NULL;
}

int
vars_set_json(struct vars *vs, const char *name, const char *json,
    size_t len)
{
	struct var	*v, *nv;

	if (vs->n == vs->cap) {
		nv = reallocarray(vs->v, vs->cap ? vs->cap * 2 : 16,
		    sizeof(*nv));
		if (nv == NULL)
			return -1;
		vs->v = nv;
		vs->cap = vs->cap ? vs->cap * 2 : 16;
	}
	v = &vs->v[vs->n];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL ||
	    (v->json = malloc(len + 1)) == NULL) {
		free(v->name);
		return -1;
	}
	memcpy(v->json, json, len);
	v->json[len] = '\0';
	v->len = len;
	if (json_parse(&v->doc, v->json, len) == -1) {
		json_doc_free(&v->doc);
		free(v->name);
		free(v->json);
		return -1;
	}
	vs->n++;
	return 0;
}

int
vars_set_str(struct vars *vs, const char *name, const char *s, size_t len)
{
	struct buf	 b = { 0 };
	int		 r;

	jw_quote(&b, s, len);
	r = b.oom ? -1 : vars_set_json(vs, name, buf_data(&b), buf_used(&b));
	buf_free(&b);
	return r;
}

/* ------------------------------------------------------- templates */

struct seg {
	const char	*p;		/* literal text or the name */
	size_t		 n;
	int		 isvar;
};

#define MAXSEG	32
/*
 * Placeholders in a row make matching a search (each tries every split of
 * what is left): it gives up, as a mismatch, after this many steps.
 */
#define TMATCH_STEPS	100000

/* Split s into literals and ${name} references ("$${" is a literal). */
static int
split_template(const char *s, size_t n, struct seg *sg, int *nsg,
    struct buf *lit)
{
	size_t	 i = 0, start, j;
	int	 k = 0, any = 0;

	buf_reset(lit);
	/* Literals are copied to lit so that "$${" can become "${". */
	if (buf_reserve(lit, n + 1) == -1)
		return -1;
	start = lit->len;
	while (i < n) {
		if (s[i] == '$' && i + 2 < n && s[i + 1] == '$' &&
		    s[i + 2] == '{') {
			buf_addc(lit, '$');
			i += 2;
			continue;
		}
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
			for (j = i + 2; j < n && s[j] != '}'; j++)
				;
			if (j < n && j > i + 2) {
				if (k + 2 > MAXSEG)
					return -1;
				if (lit->len > start) {
					sg[k].p = lit->p + start;
					sg[k].n = lit->len - start;
					sg[k++].isvar = 0;
				}
				sg[k].p = s + i + 2;
				sg[k].n = j - i - 2;
				sg[k++].isvar = 1;
				any = 1;
				start = lit->len;
				i = j + 1;
				continue;
			}
		}
		buf_addc(lit, s[i]);
		i++;
	}
	if (lit->len > start) {
		if (k + 1 > MAXSEG)
			return -1;
		sg[k].p = lit->p + start;
		sg[k].n = lit->len - start;
		sg[k++].isvar = 0;
	}
	*nsg = k;
	return any;
}

/* The text a bound variable stands for inside a string. */
static char *
var_text(struct var *v, size_t *n)
{
	if (v->doc.tok[0].type == JSON_STRING)
		return json_str_dup(&v->doc, 0, n);
	*n = v->len;
	return strndup(v->json, v->len);
}

static int
tmatch(struct vars *vs, struct seg *sg, int i, int nsg, const char *s,
    size_t n, long *steps)
{
	struct var	*v;
	char		*t, name[128];
	size_t		 tn, k, mark;
	int		 r;

	if (--*steps < 0)
		return -1;
	if (i == nsg)
		return n == 0;
	if (!sg[i].isvar) {
		if (n < sg[i].n || memcmp(s, sg[i].p, sg[i].n) != 0)
			return 0;
		return tmatch(vs, sg, i + 1, nsg, s + sg[i].n, n - sg[i].n,
		    steps);
	}
	if ((v = vars_get(vs, sg[i].p, sg[i].n)) != NULL) {
		if ((t = var_text(v, &tn)) == NULL)
			return 0;
		r = n >= tn && memcmp(s, t, tn) == 0 ?
		    tmatch(vs, sg, i + 1, nsg, s + tn, n - tn, steps) : 0;
		free(t);
		return r;
	}
	if (sg[i].n >= sizeof(name))
		return 0;
	memcpy(name, sg[i].p, sg[i].n);
	name[sg[i].n] = '\0';
	/* Unbound: the shortest non-empty capture that lets the rest match. */
	for (k = 1; k <= n; k++) {
		mark = vs->n;
		if (vars_set_str(vs, name, s, k) == -1)
			return 0;
		if ((r = tmatch(vs, sg, i + 1, nsg, s + k, n - k, steps)) == 1)
			return 1;
		vars_rollback(vs, mark);
		if (r == -1)
			return -1;
	}
	return 0;
}

/*
 * Match bytes against an expected string with placeholders.  Returns 1,
 * 0, or -1 when the template is malformed or the match took more than
 * TMATCH_STEPS steps.
 */
int
vars_template_bytes(struct vars *vs, const char *e, size_t en,
    const char *s, size_t n)
{
	struct seg	 sg[MAXSEG];
	struct buf	 lit = { 0 };
	long		 steps;
	int		 nsg, r;

	r = split_template(e, en, sg, &nsg, &lit);
	if (r == -1) {
		buf_free(&lit);
		return -1;
	}
	steps = TMATCH_STEPS;
	r = tmatch(vs, sg, 0, nsg, s, n, &steps);
	buf_free(&lit);
	return r;
}

int
vars_eval_int(struct vars *vs, const char *s, int64_t *out)
{
	int64_t		 acc = 0, v;
	int		 sign = 1, have = 0;
	struct var	*var;
	const char	*e;
	char		*end;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		if (*s == '+' || *s == '-') {
			sign = *s == '-' ? -1 : 1;
			s++;
			continue;
		}
		if (s[0] == '$' && s[1] == '{') {
			if ((e = strchr(s, '}')) == NULL)
				return -1;
			var = vars_get(vs, s + 2, (size_t)(e - s - 2));
			if (var == NULL || json_i64(&var->doc, 0, &v) == -1)
				return -1;
			s = e + 1;
		} else {
			v = strtoll(s, &end, 10);
			if (end == s)
				return -1;
			s = end;
		}
		acc += sign * v;
		sign = 1;
		have = 1;
	}
	if (!have)
		return -1;
	*out = acc;
	return 0;
}

/* ----------------------------------------------------- substitution */

int
vars_subst_str(struct buf *b, struct vars *vs, const struct json_doc *d,
    int t, char *err, size_t errlen)
{
	struct seg	 sg[MAXSEG];
	struct buf	 lit = { 0 };
	struct var	*v;
	char		*s, *vt;
	size_t		 n, vn;
	int		 nsg, i, r = 0;

	if ((s = json_str_dup(d, t, &n)) == NULL)
		return -1;
	if (split_template(s, n, sg, &nsg, &lit) == -1) {
		snprintf(err, errlen, "too many placeholders");
		r = -1;
		goto out;
	}
	for (i = 0; i < nsg; i++) {
		if (!sg[i].isvar) {
			buf_add(b, sg[i].p, sg[i].n);
			continue;
		}
		if ((v = vars_get(vs, sg[i].p, sg[i].n)) == NULL) {
			snprintf(err, errlen, "unbound placeholder ${%.*s}",
			    (int)sg[i].n, sg[i].p);
			r = -1;
			goto out;
		}
		if ((vt = var_text(v, &vn)) == NULL) {
			r = -1;
			goto out;
		}
		buf_add(b, vt, vn);
		free(vt);
	}
out:
	free(s);
	buf_free(&lit);
	return r;
}

int
vars_subst_json(struct buf *b, struct vars *vs, const struct json_doc *d,
    int t, char *err, size_t errlen)
{
	const struct json_tok	*tk = &d->tok[t];
	struct buf		 s = { 0 };
	struct var		*v;
	uint32_t		 i;
	int			 k, r;
	char			*es;
	size_t			 en;

	switch (tk->type) {
	case JSON_OBJECT:
		buf_addc(b, '{');
		for (k = t + 1, i = 0; i < tk->size;
		    i++, k = d->tok[k + 1].next) {
			if (i > 0)
				buf_addc(b, ',');
			buf_add(b, d->p + d->tok[k].start,
			    d->tok[k].end - d->tok[k].start);
			buf_addc(b, ':');
			if (vars_subst_json(b, vs, d, k + 1, err, errlen) == -1)
				return -1;
		}
		buf_addc(b, '}');
		return 0;
	case JSON_ARRAY:
		buf_addc(b, '[');
		for (i = 0; i < tk->size; i++) {
			if (i > 0)
				buf_addc(b, ',');
			if (vars_subst_json(b, vs, d, json_at(d, t, i), err,
			    errlen) == -1)
				return -1;
		}
		buf_addc(b, ']');
		return 0;
	case JSON_STRING:
		if ((es = json_str_dup(d, t, &en)) == NULL)
			return -1;
		/* A whole-string placeholder sends the value as it is. */
		if (en > 3 && es[0] == '$' && es[1] == '{' &&
		    es[en - 1] == '}' && memchr(es + 2, '}', en - 3) == NULL &&
		    (v = vars_get(vs, es + 2, en - 3)) != NULL) {
			buf_add(b, v->json, v->len);
			free(es);
			return 0;
		}
		free(es);
		if (memchr(d->p + tk->start, '$', tk->end - tk->start) ==
		    NULL) {
			buf_add(b, d->p + tk->start, tk->end - tk->start);
			return 0;
		}
		r = vars_subst_str(&s, vs, d, t, err, errlen);
		if (r == 0)
			jw_quote(b, buf_data(&s), buf_used(&s));
		buf_free(&s);
		return r;
	default:
		buf_add(b, d->p + tk->start, tk->end - tk->start);
		return 0;
	}
}
