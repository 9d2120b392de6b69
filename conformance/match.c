/*
 * match.c: compare a received JSON value with an expected one.
 *
 * Plain JSON matches exactly: same type, same value, and for objects the
 * same set of keys (member order is free; "$extra":true allows more).
 * Strings may hold ${name} placeholders, which bind on first sight and
 * must be equal on reuse; objects whose first key starts with '$' are
 * matchers ($any, $re, $len, $eval, $min/$max, $base64, $bytes, $chunks,
 * $unordered, $oneOf, $as).  README.md describes each.  A failed match
 * leaves the first difference in the context and undoes its bindings.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "base/utf8.h"
#include "match.h"
#include "show.h"
#include "stream.h"
#include "vars.h"

static int	 m_value(struct mctx *, const struct json_doc *, int,
		    const struct json_doc *, int, struct buf *);

static int
fail(struct mctx *m, struct buf *path, const char *fmt, ...)
{
	va_list		 ap;
	size_t		 i;

	snprintf(m->path, sizeof(m->path), "%.*s", (int)buf_used(path),
	    buf_data(path));
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
	m->depth = 0;
	for (i = 0; m->path[i] != '\0'; i++)
		if (m->path[i] == '.' || m->path[i] == '[')
			m->depth++;
	return 0;
}

/* "expected E, got R" for two tokens. */
static int
fail_vs(struct mctx *m, struct buf *path, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri)
{
	struct buf	 b = { 0 };
	int		 x;

	buf_adds(&b, "expected ");
	show_json(&b, e, ei, 300);
	buf_adds(&b, ", got ");
	show_json(&b, r, ri, 300);
	buf_addc(&b, '\0');
	x = fail(m, path, "%s", b.oom ? "?" : buf_data(&b));
	buf_free(&b);
	return x;
}

static int
is_int(const struct json_doc *d, int t)
{
	return d->tok[t].type == JSON_NUMBER && d->tok[t].isint;
}

/* Compare two number tokens by value. */
static int
num_equal(const struct json_doc *a, int ai, const struct json_doc *b, int bi)
{
	int64_t		 x, y;
	uint64_t	 ux, uy;
	char		 s1[64], s2[64];
	size_t		 n1, n2;

	if (json_i64(a, ai, &x) == 0 && json_i64(b, bi, &y) == 0)
		return x == y;
	if (json_u64(a, ai, &ux) == 0 && json_u64(b, bi, &uy) == 0)
		return ux == uy;
	n1 = a->tok[ai].end - a->tok[ai].start;
	n2 = b->tok[bi].end - b->tok[bi].start;
	if (n1 >= sizeof(s1) || n2 >= sizeof(s2))
		return n1 == n2 && memcmp(a->p + a->tok[ai].start,
		    b->p + b->tok[bi].start, n1) == 0;
	memcpy(s1, a->p + a->tok[ai].start, n1);
	s1[n1] = '\0';
	memcpy(s2, b->p + b->tok[bi].start, n2);
	s2[n2] = '\0';
	return strtod(s1, NULL) == strtod(s2, NULL);
}

static int
str_equal(const struct json_doc *a, int ai, const struct json_doc *b, int bi)
{
	char	*s1, *s2;
	size_t	 n1, n2;
	int	 r;

	s1 = json_str_dup(a, ai, &n1);
	s2 = json_str_dup(b, bi, &n2);
	r = s1 != NULL && s2 != NULL && n1 == n2 && memcmp(s1, s2, n1) == 0;
	free(s1);
	free(s2);
	return r;
}

/* Structural equality of two JSON values. */
static int
value_equal(const struct json_doc *a, int ai, const struct json_doc *b,
    int bi)
{
	const struct json_tok	*x = &a->tok[ai], *y = &b->tok[bi];
	uint32_t		 i;
	int			 k, v, bv;

	if (x->type != y->type)
		return 0;
	switch (x->type) {
	case JSON_NUMBER:
		return num_equal(a, ai, b, bi);
	case JSON_STRING:
		return str_equal(a, ai, b, bi);
	case JSON_ARRAY:
		if (x->size != y->size)
			return 0;
		for (i = 0; i < x->size; i++)
			if (!value_equal(a, json_at(a, ai, i), b,
			    json_at(b, bi, i)))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (x->size != y->size)
			return 0;
		for (k = ai + 1, i = 0; i < x->size; i++, k = a->tok[v].next) {
			char	*key = json_str_dup(a, k, NULL);

			v = k + 1;
			bv = key != NULL ? json_get(b, bi, key) : -1;
			free(key);
			if (bv < 0 || !value_equal(a, v, b, bv))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* --------------------------------------------------------- matchers */

static int
regex_ok(struct mctx *m, struct buf *path, const char *re, const char *s,
    size_t n)
{
	regex_t	 rx;
	char	*z;
	int	 r;

	if (memchr(s, '\0', n) != NULL)
		return fail(m, path, "a NUL byte in a value matched by $re");
	if ((r = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) != 0)
		return fail(m, path, "bad $re pattern /%s/", re);
	if ((z = strndup(s, n)) == NULL) {
		regfree(&rx);
		return fail(m, path, "out of memory");
	}
	r = regexec(&rx, z, 0, NULL, 0);
	regfree(&rx);
	free(z);
	if (r != 0) {
		struct buf	 b = { 0 };

		show_text(&b, s, n, 300);
		buf_addc(&b, '\0');
		r = fail(m, path, "%s does not match /%s/",
		    b.oom ? "?" : buf_data(&b), re);
		buf_free(&b);
		return r;
	}
	return 1;
}

/* Match an integer we computed against matcher (e, ei). */
static int
match_int(struct mctx *m, const struct json_doc *e, int ei, int64_t v,
    struct buf *path)
{
	struct json_doc	 d;
	char		 s[32];
	int		 r;

	snprintf(s, sizeof(s), "%lld", (long long)v);
	memset(&d, 0, sizeof(d));
	if (json_parse(&d, s, strlen(s)) == -1) {
		json_doc_free(&d);
		return fail(m, path, "internal error");
	}
	r = m_value(m, e, ei, &d, 0, path);
	json_doc_free(&d);
	return r;
}

/* The path as a C string (paths are never consumed from the front). */
static const char *
pstr(struct buf *path)
{
	buf_addc(path, '\0');
	if (path->oom)
		return "?";
	path->len--;
	return path->p;
}

static int
capture(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri)
{
	int	 as = json_get(e, ei, "as");
	char	*name;
	int	 x;

	if (as < 0)
		return 1;
	if ((name = json_str_dup(e, as, NULL)) == NULL)
		return 0;
	x = vars_set_json(m->vars, name, r->p + r->tok[ri].start,
	    r->tok[ri].end - r->tok[ri].start) == 0;
	free(name);
	return x;
}

static const char *
type_name(const struct json_doc *d, int t)
{
	if (d->tok[t].type == JSON_NUMBER)
		return d->tok[t].isint ? "integer" : "number";
	switch (d->tok[t].type) {
	case JSON_TRUE:
	case JSON_FALSE:
		return "boolean";
	case JSON_NULL:
		return "null";
	case JSON_STRING:
		return "string";
	case JSON_ARRAY:
		return "array";
	default:
		return "object";
	}
}

static int
m_chunks(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri, struct buf *path)
{
	struct buf	 out[3] = { { 0 }, { 0 }, { 0 } };
	int		 streams = json_get(e, ei, "$chunks"), el, k, ok = 0;
	int		 seq_t, str_t, chk_t, s, x;
	int64_t		 seq, prev = -1, first = -1;
	uint32_t	 i;
	size_t		 plen = path->len, n;
	char		*chunk, *dec;
	long long	 dn;
	struct b64_err	 be;

	if (r->tok[ri].type != JSON_ARRAY)
		return fail_vs(m, path, e, ei, r, ri);
	for (i = 0; i < r->tok[ri].size; i++) {
		el = json_at(r, ri, i);
		path->len = plen;
		buf_addf(path, "[%u]", i);
		seq_t = json_get(r, el, "seq");
		str_t = json_get(r, el, "stream");
		chk_t = json_get(r, el, "chunk");
		if (r->tok[el].type != JSON_OBJECT || r->tok[el].size != 3 ||
		    seq_t < 0 || str_t < 0 || chk_t < 0 ||
		    json_i64(r, seq_t, &seq) == -1 ||
		    r->tok[chk_t].type != JSON_STRING) {
			fail(m, path, "a chunk must be exactly "
			    "{seq, stream, chunk}");
			goto out;
		}
		if (seq <= prev) {
			fail(m, path, "seq %lld after %lld", (long long)seq,
			    (long long)prev);
			goto out;
		}
		if (first < 0)
			first = seq;
		prev = seq;
		for (s = 0; s < 3; s++)
			if (json_str_eq(r, str_t, stream_names[s]))
				break;
		if (s == 3 || json_get(e, streams, stream_names[s]) < 0) {
			fail(m, path, "unexpected stream ");
			show_json(path, r, str_t, 40);
			goto out;
		}
		chunk = json_str_dup(r, chk_t, &n);
		dec = chunk != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
		dn = dec != NULL ? b64_decode(dec, chunk, n, &be) : -1;
		if (dn >= 0)
			buf_add(&out[s], dec, (size_t)dn);
		free(chunk);
		free(dec);
		if (dn < 0) {
			fail(m, path, "chunk is not base64");
			goto out;
		}
	}
	for (s = 0; s < 3; s++) {
		if ((k = json_get(e, streams, stream_names[s])) < 0)
			continue;
		path->len = plen;
		buf_addf(path, "{%s}", stream_names[s]);
		if (!match_bytes(m, e, k, buf_data(&out[s]), buf_used(&out[s]),
		    pstr(path)))
			goto out;
	}
	path->len = plen;
	x = 1;
	if ((k = json_get(e, ei, "count")) >= 0)
		x = match_int(m, e, k, r->tok[ri].size, path);
	if (x && (k = json_get(e, ei, "firstSeq")) >= 0)
		x = match_int(m, e, k, first, path);
	if (x && (k = json_get(e, ei, "lastSeq")) >= 0)
		x = match_int(m, e, k, prev, path);
	ok = x;
out:
	path->len = plen;
	for (s = 0; s < 3; s++)
		buf_free(&out[s]);
	return ok;
}

static int
m_unordered(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri, struct buf *path)
{
	int		 list = json_get(e, ei, "$unordered");
	uint32_t	 i, j, n;
	uint8_t		*used;
	size_t		 plen = path->len;
	int		 ok = 1, found;

	if (list < 0 || e->tok[list].type != JSON_ARRAY)
		return fail(m, path, "$unordered takes an array");
	if (r->tok[ri].type != JSON_ARRAY)
		return fail_vs(m, path, e, ei, r, ri);
	n = r->tok[ri].size;
	if (e->tok[list].size != n)
		return fail(m, path, "expected %u elements in any order, got "
		    "%u", e->tok[list].size, n);
	if ((used = calloc(n + 1, 1)) == NULL)
		return fail(m, path, "out of memory");
	for (i = 0; i < n && ok; i++) {
		found = 0;
		for (j = 0; j < n && !found; j++) {
			if (used[j])
				continue;
			path->len = plen;
			buf_addf(path, "[%u]", j);
			if (m_value(m, e, json_at(e, list, i), r,
			    json_at(r, ri, j), path)) {
				used[j] = 1;
				found = 1;
			}
		}
		path->len = plen;
		if (!found) {
			struct buf	 b = { 0 };

			show_json(&b, e, json_at(e, list, i), 300);
			buf_addc(&b, '\0');
			ok = fail(m, path, "no element matches %s",
			    b.oom ? "?" : buf_data(&b));
			buf_free(&b);
		}
	}
	free(used);
	return ok;
}

/* Matchers: objects whose first key starts with '$'. */
static int
m_special(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri, struct buf *path)
{
	const struct json_tok	*rt = &r->tok[ri];
	int			 k, v, ok;
	char			*s, *want = NULL;
	size_t			 n;
	int64_t			 x, lim;
	uint32_t		 i;

	if ((k = json_get(e, ei, "$any")) >= 0) {
		want = json_str_dup(e, k, NULL);
		ok = want != NULL && (strcmp(want, "any") == 0 ||
		    strcmp(want, type_name(r, ri)) == 0 ||
		    (strcmp(want, "number") == 0 && rt->type == JSON_NUMBER));
		if (!ok) {
			fail(m, path, "expected any %s, got %s", want ? want :
			    "?", type_name(r, ri));
			free(want);
			return 0;
		}
		free(want);
		return capture(m, e, ei, r, ri);
	}
	if (json_get(e, ei, "$re") >= 0 || json_get(e, ei, "$len") >= 0 ||
	    json_get(e, ei, "$bytes") >= 0) {
		if (rt->type != JSON_STRING)
			return fail_vs(m, path, e, ei, r, ri);
		if ((s = json_str_dup(r, ri, &n)) == NULL)
			return fail(m, path, "out of memory");
		ok = match_bytes(m, e, ei, s, n, pstr(path));
		free(s);
		return ok && capture(m, e, ei, r, ri);
	}
	if ((k = json_get(e, ei, "$eval")) >= 0) {
		if ((want = json_str_dup(e, k, NULL)) == NULL ||
		    vars_eval_int(m->vars, want, &x) == -1) {
			fail(m, path, "cannot evaluate $eval \"%s\"",
			    want ? want : "?");
			free(want);
			return 0;
		}
		free(want);
		if (!is_int(r, ri) || json_i64(r, ri, &lim) == -1 || lim != x)
			return fail(m, path, "expected %lld, got %.*s",
			    (long long)x, (int)(rt->end - rt->start),
			    r->p + rt->start);
		return 1;
	}
	if (json_get(e, ei, "$min") >= 0 || json_get(e, ei, "$max") >= 0) {
		if (!is_int(r, ri) || json_i64(r, ri, &x) == -1)
			return fail_vs(m, path, e, ei, r, ri);
		if ((k = json_get(e, ei, "$min")) >= 0 &&
		    (json_i64(e, k, &lim) == -1 || x < lim))
			return fail_vs(m, path, e, ei, r, ri);
		if ((k = json_get(e, ei, "$max")) >= 0 &&
		    (json_i64(e, k, &lim) == -1 || x > lim))
			return fail_vs(m, path, e, ei, r, ri);
		return capture(m, e, ei, r, ri);
	}
	if ((k = json_get(e, ei, "$base64")) >= 0) {
		struct b64_err	 be;
		char		*dec;
		long long	 dn;

		if (rt->type != JSON_STRING)
			return fail_vs(m, path, e, ei, r, ri);
		s = json_str_dup(r, ri, &n);
		dec = s != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
		dn = dec != NULL ? b64_decode(dec, s, n, &be) : -1;
		free(s);
		if (dn < 0) {
			free(dec);
			return fail(m, path, "not base64");
		}
		ok = match_bytes(m, e, k, dec, (size_t)dn, pstr(path));
		free(dec);
		return ok;
	}
	if (json_get(e, ei, "$chunks") >= 0)
		return m_chunks(m, e, ei, r, ri, path);
	if (json_get(e, ei, "$unordered") >= 0)
		return m_unordered(m, e, ei, r, ri, path);
	if ((k = json_get(e, ei, "$oneOf")) >= 0 &&
	    e->tok[k].type == JSON_ARRAY) {
		for (i = 0; i < e->tok[k].size; i++)
			if (m_value(m, e, json_at(e, k, i), r, ri, path))
				return 1;
		return 0;
	}
	if ((k = json_get(e, ei, "$as")) >= 0 &&
	    (v = json_get(e, ei, "$value")) >= 0) {
		if (!m_value(m, e, v, r, ri, path))
			return 0;
		if ((s = json_str_dup(e, k, NULL)) == NULL)
			return 0;
		ok = vars_set_json(m->vars, s, r->p + rt->start,
		    rt->end - rt->start) == 0;
		free(s);
		return ok;
	}
	return fail(m, path, "unknown matcher %.*s",
	    (int)(e->tok[ei + 1].end - e->tok[ei + 1].start),
	    e->p + e->tok[ei + 1].start);
}

int
match_bytes(struct mctx *m, const struct json_doc *e, int ei, const char *p,
    size_t n, const char *where)
{
	struct buf	 pathb = { 0 }, b = { 0 };
	struct buf	*path = &pathb;
	int		 k, ok = 1, r;
	char		*s = NULL, *dec;
	size_t		 sn;
	int64_t		 lo = 0, hi = INT64_MAX, x;
	long long	 dn;
	struct b64_err	 be;

	buf_adds(path, where != NULL ? where : "$");
	if (e->tok[ei].type == JSON_STRING) {
		s = json_str_dup(e, ei, &sn);
		r = s != NULL ? vars_template_bytes(m->vars, s, sn, p, n) : -1;
		if (r != 1) {
			buf_adds(&b, "expected ");
			jw_quote(&b, s != NULL ? s : "", s != NULL ?
			    (sn > 300 ? 300 : sn) : 0);
			buf_adds(&b, ", got ");
			show_text(&b, p, n, 300);
			buf_addc(&b, '\0');
			ok = fail(m, path, "%s", b.oom ? "?" : buf_data(&b));
		}
		goto out;
	}
	if (e->tok[ei].type != JSON_OBJECT) {
		ok = fail(m, path, "bad string matcher");
		goto out;
	}
	if ((k = json_get(e, ei, "$bytes")) >= 0) {
		s = json_str_dup(e, k, &sn);
		dec = s != NULL ? malloc(b64_dec_max(sn) + 1) : NULL;
		dn = dec != NULL ? b64_decode(dec, s, sn, &be) : -1;
		if (dn < 0 || (size_t)dn != n || memcmp(dec, p, n) != 0) {
			show_text(&b, p, n, 300);
			buf_addc(&b, '\0');
			ok = fail(m, path, "bytes differ from $bytes: got %s",
			    b.oom ? "?" : buf_data(&b));
		}
		free(dec);
		goto out;
	}
	if ((k = json_get(e, ei, "$any")) >= 0)
		goto out;
	if ((k = json_get(e, ei, "$oneOf")) >= 0 &&
	    e->tok[k].type == JSON_ARRAY) {
		for (x = 0; x < (int64_t)e->tok[k].size; x++)
			if (match_bytes(m, e, json_at(e, k, (uint32_t)x), p, n,
			    buf_data(path)))
				goto out;
		ok = 0;
		goto out;
	}
	if ((k = json_get(e, ei, "$len")) >= 0) {
		if (json_i64(e, k, &x) == 0)
			lo = hi = x;
		else {
			if (json_get(e, k, "$min") >= 0)
				json_i64(e, json_get(e, k, "$min"), &lo);
			if (json_get(e, k, "$max") >= 0)
				json_i64(e, json_get(e, k, "$max"), &hi);
		}
		if ((int64_t)n < lo || (int64_t)n > hi) {
			ok = fail(m, path, "length %zu not in [%lld, %lld]", n,
			    (long long)lo, (long long)hi);
			goto out;
		}
	}
	if ((k = json_get(e, ei, "$re")) >= 0) {
		s = json_str_dup(e, k, NULL);
		ok = s != NULL && regex_ok(m, path, s, p, n);
		goto out;
	}
	if (json_get(e, ei, "$len") < 0)
		ok = fail(m, path, "bad string matcher");
out:
	free(s);
	buf_free(&b);
	buf_free(&pathb);
	return ok;
}

static int
is_special(const struct json_doc *e, int ei)
{
	const struct json_tok	*k;

	if (e->tok[ei].type != JSON_OBJECT || e->tok[ei].size == 0)
		return 0;
	k = &e->tok[ei + 1];
	return k->end - k->start > 2 && e->p[k->start + 1] == '$' &&
	    !json_str_eq(e, ei + 1, "$extra");
}

static int
m_object(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri, struct buf *path)
{
	size_t		 plen = path->len, n;
	uint32_t	 i;
	int		 k, v, rv, extra = 0, is_msg;
	char		*key;

	if (r->tok[ri].type != JSON_OBJECT)
		return fail_vs(m, path, e, ei, r, ri);
	is_msg = m->skip_message && plen == 7 &&
	    memcmp(buf_data(path), "$.error", 7) == 0;
	for (k = ei + 1, i = 0; i < e->tok[ei].size; i++, k = e->tok[v].next) {
		v = k + 1;
		if (json_str_eq(e, k, "$extra")) {
			extra = e->tok[v].type == JSON_TRUE;
			continue;
		}
		if ((key = json_str_dup(e, k, NULL)) == NULL)
			return fail(m, path, "out of memory");
		rv = json_get(r, ri, key);
		path->len = plen;
		buf_addf(path, ".%s", key);
		free(key);
		if (rv < 0)
			return fail(m, path, "missing");
		if (is_msg && json_str_eq(e, k, "message") &&
		    e->tok[v].type == JSON_STRING) {
			if (r->tok[rv].type != JSON_STRING)
				return fail_vs(m, path, e, v, r, rv);
			continue;
		}
		if (!m_value(m, e, v, r, rv, path))
			return 0;
	}
	path->len = plen;
	if (extra)
		return 1;
	for (k = ri + 1, i = 0; i < r->tok[ri].size;
	    i++, k = r->tok[k + 1].next) {
		if ((key = json_str_dup(r, k, NULL)) == NULL)
			return fail(m, path, "out of memory");
		v = json_get(e, ei, key);
		if (v < 0) {
			n = r->tok[k + 1].end - r->tok[k + 1].start;
			buf_addf(path, ".%s", key);
			free(key);
			return fail(m, path, "unexpected member (value %.*s)",
			    (int)(n > 200 ? 200 : n),
			    r->p + r->tok[k + 1].start);
		}
		free(key);
	}
	return 1;
}

static int
m_value(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri, struct buf *path)
{
	const struct json_tok	*et = &e->tok[ei], *rt = &r->tok[ri];
	struct var		*var;
	size_t			 plen = path->len, n, en, mark;
	uint32_t		 i;
	char			*s, *es;
	int			 ok;

	if (is_special(e, ei)) {
		mark = m->vars->n;
		ok = m_special(m, e, ei, r, ri, path);
		if (!ok)
			vars_rollback(m->vars, mark);
		return ok;
	}
	switch (et->type) {
	case JSON_OBJECT:
		mark = m->vars->n;
		if (!(ok = m_object(m, e, ei, r, ri, path)))
			vars_rollback(m->vars, mark);
		return ok;
	case JSON_ARRAY:
		if (rt->type != JSON_ARRAY)
			return fail_vs(m, path, e, ei, r, ri);
		mark = m->vars->n;
		for (i = 0; i < et->size && i < rt->size; i++) {
			path->len = plen;
			buf_addf(path, "[%u]", i);
			if (!m_value(m, e, json_at(e, ei, i), r,
			    json_at(r, ri, i), path)) {
				vars_rollback(m->vars, mark);
				return 0;
			}
		}
		path->len = plen;
		if (et->size != rt->size) {
			vars_rollback(m->vars, mark);
			return fail(m, path, "expected %u elements, got %u",
			    et->size, rt->size);
		}
		return 1;
	case JSON_STRING:
		if ((es = json_str_dup(e, ei, &en)) == NULL)
			return fail(m, path, "out of memory");
		/* The whole string is one placeholder: any JSON value. */
		if (en > 3 && es[0] == '$' && es[1] == '{' &&
		    es[en - 1] == '}' && memchr(es + 2, '}', en - 3) == NULL &&
		    memchr(es + 2, '$', en - 3) == NULL) {
			var = vars_get(m->vars, es + 2, en - 3);
			if (var == NULL) {
				es[en - 1] = '\0';
				ok = vars_set_json(m->vars, es + 2,
				    r->p + rt->start, rt->end - rt->start) == 0;
			} else if (!(ok = value_equal(&var->doc, 0, r, ri))) {
				struct buf	 b = { 0 };

				buf_addf(&b, "%s was ", es);
				show_json(&b, &var->doc, 0, 200);
				buf_adds(&b, ", got ");
				show_json(&b, r, ri, 200);
				buf_addc(&b, '\0');
				fail(m, path, "%s", b.oom ? "?" : buf_data(&b));
				buf_free(&b);
			}
			free(es);
			return ok;
		}
		if (rt->type != JSON_STRING) {
			free(es);
			return fail_vs(m, path, e, ei, r, ri);
		}
		if ((s = json_str_dup(r, ri, &n)) == NULL) {
			free(es);
			return fail(m, path, "out of memory");
		}
		mark = m->vars->n;
		ok = vars_template_bytes(m->vars, es, en, s, n) == 1;
		free(es);
		free(s);
		if (!ok) {
			vars_rollback(m->vars, mark);
			return fail_vs(m, path, e, ei, r, ri);
		}
		return 1;
	case JSON_NUMBER:
		if (rt->type != JSON_NUMBER || !num_equal(e, ei, r, ri))
			return fail_vs(m, path, e, ei, r, ri);
		return 1;
	default:
		if (et->type != rt->type)
			return fail_vs(m, path, e, ei, r, ri);
		return 1;
	}
}

int
match_i64(struct mctx *m, const struct json_doc *e, int ei, int64_t v)
{
	struct buf	 path = { 0 };
	int		 ok;

	buf_addc(&path, '$');
	m->path[0] = m->why[0] = '\0';
	ok = match_int(m, e, ei, v, &path);
	buf_free(&path);
	return ok;
}

int
match_value(struct mctx *m, const struct json_doc *e, int ei,
    const struct json_doc *r, int ri)
{
	struct buf	 path = { 0 };
	int		 ok;

	buf_addc(&path, '$');
	m->path[0] = m->why[0] = '\0';
	m->depth = 0;
	ok = m_value(m, e, ei, r, ri, &path);
	buf_free(&path);
	return ok;
}
