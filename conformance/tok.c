/*
 * tok.c: small helpers for the tokens of a parsed JSON document.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/b64.h"
#include "base/buf.h"
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

int
tok_b64(const struct json_doc *d, int t, struct buf *b)
{
	struct b64_err	 be;
	char		*s, *dec;
	size_t		 n;
	long long	 dn;

	s = json_str_dup(d, t, &n);
	dec = s != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
	dn = dec != NULL ? b64_decode(dec, s, n, &be) : -1;
	if (dn >= 0)
		buf_add(b, dec, (size_t)dn);
	free(s);
	free(dec);
	return dn >= 0 ? 0 : -1;
}
