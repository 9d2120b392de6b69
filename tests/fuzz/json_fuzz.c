/*
 * json_fuzz.c: the JSON parser (base/json.c).  Invariants: what parses
 * writes back (with jw) to a text that parses to the same text again;
 * every proper prefix of a written object, array or string is "need
 * more" (JSON_ERR_EOF), never invalid; the parser never reads past len
 * (AddressSanitizer sees the input in a buffer of exactly len bytes).
 */
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "fuzz.h"

/* Write token t (and its subtree) back; the index past it. */
static uint32_t
put(const struct json_doc *d, uint32_t t, struct buf *b)
{
	struct buf	 s = { 0 };
	uint32_t	 i, k;

	switch (d->tok[t].type) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		buf_addc(b, d->tok[t].type == JSON_OBJECT ? '{' : '[');
		for (k = t + 1, i = 0; i < d->tok[t].size; i++) {
			if (i > 0)
				buf_addc(b, ',');
			if (d->tok[t].type == JSON_OBJECT) {
				k = put(d, k, b);
				buf_addc(b, ':');
			}
			k = put(d, k, b);
		}
		buf_addc(b, d->tok[t].type == JSON_OBJECT ? '}' : ']');
		return d->tok[t].next;
	case JSON_STRING:
		json_str_buf(d, (int)t, &s);
		jw_quote(b, buf_data(&s) != NULL ? buf_data(&s) : "",
		    buf_used(&s));
		buf_free(&s);
		break;
	default:
		buf_add(b, d->p + d->tok[t].start, d->tok[t].end -
		    d->tok[t].start);
	}
	return t + 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct json_doc	 d, e;
	struct buf	 a = { 0 }, b = { 0 };
	size_t		 i, step;
	char		 c;

	memset(&d, 0, sizeof(d));
	if (json_parse(&d, (const char *)p, n) == 0) {
		put(&d, 0, &a);
		memset(&e, 0, sizeof(e));
		FUZZ_ASSERT(a.oom || json_parse(&e, buf_data(&a),
		    buf_used(&a)) == 0);
		if (!a.oom) {
			put(&e, 0, &b);
			FUZZ_ASSERT(b.oom || (buf_used(&a) == buf_used(&b) &&
			    memcmp(buf_data(&a), buf_data(&b), buf_used(&a)) ==
			    0));
		}
		json_doc_free(&e);
		c = buf_used(&a) > 0 ? buf_data(&a)[0] : 0;
		step = buf_used(&a) / 64 + 1;
		for (i = 0; !a.oom && (c == '{' || c == '[' || c == '"') &&
		    i < buf_used(&a); i += step) {
			memset(&e, 0, sizeof(e));
			FUZZ_ASSERT(json_parse(&e, buf_data(&a), i) == -1 &&
			    (e.err == JSON_ERR_EOF || e.err == JSON_ERR_NOMEM ||
			    e.err == JSON_ERR_DEPTH));
			json_doc_free(&e);
		}
	}
	json_doc_free(&d);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
