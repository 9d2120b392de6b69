/*
 * http_fuzz.c: the upgrade request parser and router (net/http.c).
 * Invariants: a head of length L parses to L, and every proper prefix of
 * it that holds no empty line is "need more"; routing and writing the
 * answer never fail; a head is never claimed longer than the input.
 */
#include <string.h>

#include "base/buf.h"
#include "fuzz.h"
#include "net/http.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct http_req		 r, q;
	struct http_answer	 a;
	struct buf		 out = { 0 };
	int			 len, k;
	size_t			 i, step;

	len = http_req_parse(&r, (const char *)p, n);
	FUZZ_ASSERT(len <= (int)n);
	if (len <= 0)
		return 0;
	http_route(&r, &a);
	http_answer_write(&out, &r, &a);
	FUZZ_ASSERT(out.oom || buf_used(&out) > 0);
	buf_free(&out);
	step = (size_t)len / 32 + 1;
	for (i = 0; i < (size_t)len; i += step) {
		k = http_req_parse(&q, (const char *)p, i);
		FUZZ_ASSERT(k == HTTP_NEED_MORE || k == HTTP_BAD ||
		    k == (int)i);
		/* A complete head in a prefix must be the same one. */
		FUZZ_ASSERT(k <= 0 || k == len);
	}
	return 0;
}
