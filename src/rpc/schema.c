/*
 * schema.c: params validation with serde's words.
 *
 * Members are visited in document order, so the first offending member
 * is the one reported, then missing required fields in schema order:
 * the same order serde's derived Deserialize reports them.  Unknown
 * members are ignored; json.c has already refused repeated members.
 *
 * "Content" mode is serde's view of a value it buffered before decoding
 * it (inside an internally tagged enum): numbers are then described by
 * value ("integer `5`", "floating point `1.5`") instead of "number".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "compat/uri.h"
#include "rpc/schema.h"

static int	check_value(const struct json_doc *, int,
		    const struct schema_param *, struct buf *, int);
static int	unknown_variant(const struct json_doc *, int,
		    const char *const *, size_t, struct buf *);

/* A number as serde's Content holds it: "integer `5`", "floating point `1.5`". */
static void
content_number(const struct json_doc *d, int t, struct buf *m)
{
	const struct json_tok	*k = &d->tok[t];
	char			 s[64], *e;
	double			 v;
	int64_t			 i;
	uint64_t		 u;
	int			 prec;

	if (k->isint && (json_i64(d, t, &i) == 0 || json_u64(d, t, &u) == 0)) {
		buf_adds(m, "integer `");
		if (json_i64(d, t, &i) == 0)
			buf_addf(m, "%lld", (long long)i);
		else
			buf_addf(m, "%llu", (unsigned long long)u);
		buf_addc(m, '`');
		return;
	}
	/* Rust prints the shortest round-trip digits, never an exponent. */
	snprintf(s, sizeof(s), "%.*s", (int)(k->end - k->start), d->p + k->start);
	v = strtod(s, NULL);
	for (prec = 1; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	if ((e = strchr(s, 'e')) != NULL) {
		prec -= atoi(e + 1) + 1;
		snprintf(s, sizeof(s), "%.*f", prec > 0 ? prec : 0, v);
	}
	buf_addf(m, "floating point `%s`", s);
}

/* How the reference describes the value it did not expect. */
static void
unexpected(const struct json_doc *d, int t, struct buf *m, int content)
{
	const struct json_tok	*k = &d->tok[t];

	if (content && k->type == JSON_NUMBER) {
		content_number(d, t, m);
		return;
	}
	switch (k->type) {
	case JSON_NULL:
		buf_adds(m, "null");
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		buf_addf(m, "boolean `%s`", k->type == JSON_TRUE ?
		    "true" : "false");
		break;
	case JSON_NUMBER:
		buf_adds(m, "number");
		break;
	case JSON_STRING:
		buf_adds(m, "string ");
		/* serde prints the string with Rust's Debug escaping. */
		buf_add(m, d->p + k->start, k->end - k->start);
		break;
	case JSON_ARRAY:
		buf_adds(m, "sequence");
		break;
	case JSON_OBJECT:
		buf_adds(m, "map");
		break;
	}
}

void
schema_unexpected(const struct json_doc *d, int t, struct buf *m)
{
	unexpected(d, t, m, 0);
}

static int
type_error(const struct json_doc *d, int t, const char *expected,
    const char *sname, struct buf *m, int content)
{
	buf_adds(m, "invalid type: ");
	unexpected(d, t, m, content);
	buf_adds(m, ", expected ");
	buf_adds(m, expected);
	if (sname != NULL)
		buf_adds(m, sname);
	return -1;
}

static int
check_enum(const struct json_doc *d, int t, const char *const *v,
    struct buf *m)
{
	size_t	 n;

	for (n = 0; v[n] != NULL; n++)
		if (json_str_eq(d, t, v[n]))
			return 0;
	return unknown_variant(d, t, v, n, m);
}

/* "unknown variant `x`, expected ..." listing the n names of v. */
static int
unknown_variant(const struct json_doc *d, int t, const char *const *v,
    size_t n, struct buf *m)
{
	size_t	 i;

	buf_adds(m, "unknown variant `");
	json_str_buf(d, t, m);
	buf_adds(m, "`, expected ");
	if (n == 1)
		buf_addf(m, "`%s`", v[0]);
	else if (n == 2)
		buf_addf(m, "`%s` or `%s`", v[0], v[1]);
	else {
		buf_adds(m, "one of ");
		for (i = 0; i < n; i++)
			buf_addf(m, "%s`%s`", i ? ", " : "", v[i]);
	}
	return -1;
}

/* A struct: members in order, then the required ones that are missing. */
static int
check_struct(const struct json_doc *d, int t, const char *sname,
    const struct schema_param *p, struct buf *m, int content)
{
	const struct schema_param	*q;
	uint32_t		 i, seen = 0, bit;
	int			 k, v;

	if (d->tok[t].type != JSON_OBJECT)
		return type_error(d, t, "struct ", sname, m, content);
	k = t + 1;
	for (i = 0; i < d->tok[t].size; i++, k = d->tok[v].next) {
		v = k + 1;
		for (q = p, bit = 1; q->type != P_END; q++, bit <<= 1)
			if (json_str_eq(d, k, q->name))
				break;
		if (q->type == P_END)
			continue;
		seen |= bit;
		if (d->tok[v].type == JSON_NULL && (q->flags & P_NULL))
			continue;
		if (check_value(d, v, q, m, content) == -1)
			return -1;
	}
	for (q = p, bit = 1; q->type != P_END; q++, bit <<= 1)
		if ((q->flags & P_REQ) && !(seen & bit)) {
			buf_addf(m, "missing field `%s`", q->name);
			return -1;
		}
	return 0;
}

/* A file URI: only the checks the reference makes while decoding. */
static int
check_uri(const struct json_doc *d, int t, struct buf *m, int content)
{
	struct buf	 s = { 0 }, path = { 0 }, msg = { 0 };
	int		 code, rc = 0;

	if (d->tok[t].type != JSON_STRING)
		return type_error(d, t, "a string", NULL, m, content);
	json_str_buf(d, t, &s);
	if (uri_to_path(buf_data(&s), buf_used(&s), &path, &code, &msg) == -1 &&
	    code == URI_BAD_PARAMS) {
		buf_add(m, buf_data(&msg), buf_used(&msg));
		rc = -1;
	}
	buf_free(&s);
	buf_free(&path);
	buf_free(&msg);
	return rc;
}

/* An internally tagged enum (see P_TAGGED in rpc.h). */
static int
check_tagged(const struct json_doc *d, int t, const struct schema_param *q,
    struct buf *m)
{
	const struct schema_param	*v;
	const char		*names[32];
	const char		*tag = q->variants != NULL ? q->variants[0] : "type";
	size_t			 n;
	int			 k;

	if (d->tok[t].type != JSON_OBJECT) {
		if (d->tok[t].type == JSON_ARRAY) {
			buf_addf(m, "missing field `%s`", tag);
			return -1;
		}
		return type_error(d, t, "internally tagged enum ", q->sname,
		    m, 1);
	}
	if ((k = json_get(d, t, tag)) < 0) {
		buf_addf(m, "missing field `%s`", tag);
		return -1;
	}
	if (d->tok[k].type != JSON_STRING)
		return type_error(d, k, "variant identifier", NULL, m, 0);
	for (v = q->sub, n = 0; v->type != P_END; v++) {
		if (json_str_eq(d, k, v->name))
			return check_struct(d, t, v->sname, v->sub, m, 1);
		if (n < sizeof(names) / sizeof(names[0]))
			names[n++] = v->name;
	}
	return unknown_variant(d, k, names, n, m);
}

/* NonZeroUsize, as serde describes a buffered number. */
static int
check_nzusize(const struct json_doc *d, int t, struct buf *m)
{
	const struct json_tok	*k = &d->tok[t];
	uint64_t		 u;

	if (k->type != JSON_NUMBER || !k->isint)
		return type_error(d, t, "a nonzero usize", NULL, m, 1);
	if (json_u64(d, t, &u) == 0 && u > 0)
		return 0;
	buf_adds(m, "invalid value: ");
	content_number(d, t, m);
	buf_adds(m, ", expected a nonzero usize");
	return -1;
}

/* Base64 decoded while params are (serde with a base64 helper). */
static int
check_b64(const struct json_doc *d, int t, struct buf *m)
{
	struct buf	 s = { 0 };
	struct b64_err	 e;
	char		*out, why[80];
	int		 rc = 0;

	json_str_buf(d, t, &s);
	if ((out = malloc(b64_dec_max(buf_used(&s)) + 1)) == NULL ||
	    s.oom) {
		buf_adds(m, "out of memory");
		rc = -1;
	} else if (b64_decode(out, buf_data(&s), buf_used(&s), &e) < 0) {
		b64_strerror(&e, why, sizeof(why));
		buf_adds(m, why);
		rc = -1;
	}
	free(out);
	buf_free(&s);
	return rc;
}

static int
check_value(const struct json_doc *d, int t, const struct schema_param *q,
    struct buf *m, int content)
{
	const struct json_tok	*k = &d->tok[t];
	uint64_t		 u;
	uint32_t		 i;
	int			 e;

	switch (q->type) {
	case P_STR:
		if (k->type != JSON_STRING)
			return type_error(d, t, "a string", NULL, m, content);
		return 0;
	case P_BOOL:
		if (k->type != JSON_TRUE && k->type != JSON_FALSE)
			return type_error(d, t, "a boolean", NULL, m, content);
		return 0;
	case P_U64:
		if (k->type != JSON_NUMBER)
			return type_error(d, t, "u64", NULL, m, content);
		if (json_u64(d, t, &u) == -1) {
			buf_adds(m, "invalid number");
			return -1;
		}
		return 0;
	case P_ENUM:
		/* serde's enum visitor takes a string or a map. */
		if (k->type != JSON_STRING)
			return type_error(d, t, "string or map", NULL, m,
			    content);
		return check_enum(d, t, q->variants, m);
	case P_OBJ:
		return check_struct(d, t, q->sname, q->sub, m, content);
	case P_URI:
		return check_uri(d, t, m, content);
	case P_TAGGED:
		return check_tagged(d, t, q, m);
	case P_NZUSIZE:
		return check_nzusize(d, t, m);
	case P_B64:
		if (k->type != JSON_STRING)
			return type_error(d, t, "a string", NULL, m, content);
		return check_b64(d, t, m);
	case P_STRARR:
	case P_OBJARR:
	case P_URIARR:
		if (k->type != JSON_ARRAY)
			return type_error(d, t, "a sequence", NULL, m, content);
		for (i = 0, e = t + 1; i < k->size; i++, e = d->tok[e].next) {
			if (q->type == P_STRARR &&
			    d->tok[e].type != JSON_STRING)
				return type_error(d, e, "a string", NULL, m,
				    content);
			if (q->type == P_URIARR &&
			    check_uri(d, e, m, content) == -1)
				return -1;
			if (q->type == P_OBJARR &&
			    check_struct(d, e, q->sname, q->sub, m,
			    content) == -1)
				return -1;
		}
		return 0;
	case P_STRMAP:
		if (k->type != JSON_OBJECT)
			return type_error(d, t, "a map", NULL, m, content);
		for (i = 0, e = t + 1; i < k->size; i++, e = d->tok[e + 1].next)
			if (d->tok[e + 1].type != JSON_STRING)
				return type_error(d, e + 1, "a string", NULL,
				    m, content);
		return 0;
	case P_ANY:
	case P_END:
		return 0;
	}
	return 0;
}

int
schema_check(const struct json_doc *d, int tok, const char *sname,
    const struct schema_param *p, struct buf *m)
{
	const struct json_tok	*k;

	if (sname == NULL) {
		/* Unit params: absent, null or an empty object. */
		if (tok < 0)
			return 0;
		k = &d->tok[tok];
		if (k->type == JSON_NULL ||
		    (k->type == JSON_OBJECT && k->size == 0))
			return 0;
		return type_error(d, tok, "unit", NULL, m, 0);
	}
	if (tok < 0 || d->tok[tok].type == JSON_NULL) {
		buf_adds(m, "invalid type: null, expected struct ");
		buf_adds(m, sname);
		return -1;
	}
	return check_struct(d, tok, sname, p, m, 0);
}
