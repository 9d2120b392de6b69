/*
 * schema.c: params validation with serde's words.
 *
 * Members are visited in document order, so the first offending member
 * is the one reported, then missing required fields in schema order:
 * the same order serde's derived Deserialize reports them.  Unknown
 * members are ignored; a repeated member is an error.
 */
#include <stdint.h>
#include <string.h>

#include "schema.h"

static int	check_value(const struct json_doc *, int,
		    const struct rpc_param *, struct buf *);

/* How the reference describes the value it did not expect. */
static void
unexpected(const struct json_doc *d, int t, struct buf *m)
{
	const struct json_tok	*k = &d->tok[t];

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

static int
type_error(const struct json_doc *d, int t, const char *expected,
    const char *sname, struct buf *m)
{
	buf_adds(m, "invalid type: ");
	unexpected(d, t, m);
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
	size_t	 i, n;

	for (n = 0; v[n] != NULL; n++)
		if (json_str_eq(d, t, v[n]))
			return 0;
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
    const struct rpc_param *p, struct buf *m)
{
	const struct rpc_param	*q;
	uint32_t		 i, seen = 0, bit;
	int			 k, v;

	if (d->tok[t].type != JSON_OBJECT)
		return type_error(d, t, "struct ", sname, m);
	k = t + 1;
	for (i = 0; i < d->tok[t].size; i++, k = d->tok[v].next) {
		v = k + 1;
		for (q = p, bit = 1; q->type != P_END; q++, bit <<= 1)
			if (json_str_eq(d, k, q->name))
				break;
		if (q->type == P_END)
			continue;
		if (seen & bit) {
			buf_addf(m, "duplicate field `%s`", q->name);
			return -1;
		}
		seen |= bit;
		if (d->tok[v].type == JSON_NULL && (q->flags & P_NULL))
			continue;
		if (check_value(d, v, q, m) == -1)
			return -1;
	}
	for (q = p, bit = 1; q->type != P_END; q++, bit <<= 1)
		if ((q->flags & P_REQ) && !(seen & bit)) {
			buf_addf(m, "missing field `%s`", q->name);
			return -1;
		}
	return 0;
}

static int
check_value(const struct json_doc *d, int t, const struct rpc_param *q,
    struct buf *m)
{
	const struct json_tok	*k = &d->tok[t];
	uint64_t		 u;
	uint32_t		 i;
	int			 e;

	switch (q->type) {
	case P_STR:
		if (k->type != JSON_STRING)
			return type_error(d, t, "a string", NULL, m);
		return 0;
	case P_BOOL:
		if (k->type != JSON_TRUE && k->type != JSON_FALSE)
			return type_error(d, t, "a boolean", NULL, m);
		return 0;
	case P_U64:
		if (k->type != JSON_NUMBER)
			return type_error(d, t, "u64", NULL, m);
		if (json_u64(d, t, &u) == -1) {
			buf_adds(m, "invalid number");
			return -1;
		}
		return 0;
	case P_ENUM:
		if (k->type != JSON_STRING)
			return type_error(d, t, "a string", NULL, m);
		return check_enum(d, t, q->variants, m);
	case P_OBJ:
		return check_struct(d, t, q->sname, q->sub, m);
	case P_STRARR:
	case P_OBJARR:
		if (k->type != JSON_ARRAY)
			return type_error(d, t, "a sequence", NULL, m);
		for (i = 0, e = t + 1; i < k->size; i++, e = d->tok[e].next) {
			if (q->type == P_STRARR &&
			    d->tok[e].type != JSON_STRING)
				return type_error(d, e, "a string", NULL, m);
			if (q->type == P_OBJARR &&
			    check_struct(d, e, q->sname, q->sub, m) == -1)
				return -1;
		}
		return 0;
	case P_STRMAP:
		if (k->type != JSON_OBJECT)
			return type_error(d, t, "a map", NULL, m);
		for (i = 0, e = t + 1; i < k->size; i++, e = d->tok[e + 1].next)
			if (d->tok[e + 1].type != JSON_STRING)
				return type_error(d, e + 1, "a string", NULL, m);
		return 0;
	case P_ANY:
	case P_END:
		return 0;
	}
	return 0;
}

int
schema_check(const struct json_doc *d, int tok, const char *sname,
    const struct rpc_param *p, struct buf *m)
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
		return type_error(d, tok, "unit", NULL, m);
	}
	if (tok < 0 || d->tok[tok].type == JSON_NULL) {
		buf_adds(m, "invalid type: null, expected struct ");
		buf_adds(m, sname);
		return -1;
	}
	return check_struct(d, tok, sname, p, m);
}
