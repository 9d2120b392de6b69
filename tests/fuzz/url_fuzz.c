/*
 * url_fuzz.c: file: URIs (compat/uri.c) and http: URLs (httpc/hurl.c).
 * Invariants: a parsed http URL, written back, parses to the same text
 * (the writing is a fixed point); joining any reference to it gives a
 * URL or an error, never a crash; a file: URI that converts gives an
 * absolute, NUL-free path.
 */
#include <string.h>

#include "base/buf.h"
#include "compat/uri.h"
#include "fuzz.h"
#include "httpc/hurl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct hurl	 u, v, w;
	struct buf	 a = { 0 }, b = { 0 }, err = { 0 }, path = { 0 };
	size_t		 half = n / 2;
	int		 code;

	if (hurl_parse((const char *)p, n, &u, &err) == 0 && u.host != NULL) {
		hurl_str(&u, &a);
		buf_reset(&err);
		FUZZ_ASSERT(a.oom || hurl_parse(buf_data(&a), buf_used(&a),
		    &v, &err) == 0);
		if (!a.oom) {
			hurl_str(&v, &b);
			FUZZ_ASSERT(b.oom || (buf_used(&a) == buf_used(&b) &&
			    memcmp(buf_data(&a), buf_data(&b), buf_used(&a)) ==
			    0));
			hurl_free(&v);
		}
		buf_reset(&err);
		if (hurl_join(&u, (const char *)p + half, n - half, &w,
		    &err) == 0)
			hurl_free(&w);
		else
			hurl_free(&w);
	}
	hurl_free(&u);
	buf_reset(&err);
	if (uri_abspath((const char *)p, n, &path, &code, &err) == 0 &&
	    !path.oom) {
		/* Absolute, and the first NUL is its end (the C string). */
		FUZZ_ASSERT(buf_data(&path)[0] == '/');
		FUZZ_ASSERT(strlen(buf_data(&path)) + 1 >= buf_used(&path));
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&err);
	buf_free(&path);
	return 0;
}
