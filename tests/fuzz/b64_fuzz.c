/*
 * b64_fuzz.c: base64 and base64url (base/b64.c).  Both decoders are
 * strict, so what decodes encodes back to exactly the input; and bytes
 * encode to text that decodes to them.
 */
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct b64_err	 e;
	uint8_t		*d;
	char		*t;
	long long	 r;

	/* Room for decoding the input, or its encoding (n + 3 bytes). */
	if ((d = malloc(b64_dec_max(n) + n + 4)) == NULL ||
	    (t = malloc(b64_enc_len(n) + b64_url_enc_len(n) + 8)) == NULL) {
		free(d);
		return 0;
	}
	if ((r = b64_decode(d, (const char *)p, n, &e)) >= 0) {
		b64_encode(t, d, (size_t)r);
		FUZZ_ASSERT(b64_enc_len((size_t)r) == n &&
		    memcmp(t, p, n) == 0);
	}
	if ((r = b64_url_decode(d, (const char *)p, n)) >= 0) {
		b64_url_encode(t, d, (size_t)r);
		FUZZ_ASSERT(b64_url_enc_len((size_t)r) == n &&
		    memcmp(t, p, n) == 0);
	}
	b64_encode(t, p, n);
	r = b64_decode(d, t, b64_enc_len(n), &e);
	FUZZ_ASSERT(r == (long long)n && memcmp(d, p, n) == 0);
	b64_url_encode(t, p, n);
	r = b64_url_decode(d, t, b64_url_enc_len(n));
	FUZZ_ASSERT(r == (long long)n && memcmp(d, p, n) == 0);
	free(d);
	free(t);
	return 0;
}
