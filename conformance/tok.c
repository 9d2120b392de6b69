/*
 * tok.c: small helpers for the tokens of a parsed JSON document.
 */
#include <stdint.h>

#include "base/json.h"
#include "tok.h"

int
tok_key(const struct json_doc *d, int obj, const char *key)
{
	return obj < 0 ? -1 : json_get(d, obj, key);
}

int
tok_is_str(const struct json_doc *d, int t, const char *s)
{
	return t >= 0 && d->tok[t].type == JSON_STRING && json_str_eq(d, t, s);
}

int
tok_int(const struct json_doc *d, int t, int64_t *v)
{
	return t >= 0 ? json_i64(d, t, v) : -1;
}

int
tok_bool(const struct json_doc *d, int t)
{
	return t >= 0 && d->tok[t].type == JSON_TRUE;
}

char *
tok_dup(const struct json_doc *d, int t)
{
	if (t < 0 || d->tok[t].type != JSON_STRING)
		return NULL;
	return json_str_dup(d, t, NULL);
}
