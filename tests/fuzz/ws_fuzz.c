/*
 * ws_fuzz.c: RFC 6455 framing (net/ws.c) in the server's role.  The
 * input is fed twice, whole and then in pieces whose sizes the input's
 * first byte seeds: both must give the same events with the same data
 * (need-more never turns into something else as bytes arrive).
 */
#include <string.h>

#include "base/buf.h"
#include "base/sha1.h"
#include "fuzz.h"
#include "net/ws.h"

/* Feed p in pieces of at most `piece` bytes; a digest of the events. */
static void
run(const uint8_t *p, size_t n, size_t piece, uint8_t out[SHA1_LEN],
    int *nev)
{
	struct ws	 w;
	struct buf	 in = { 0 };
	struct sha1	 s;
	enum ws_event	 ev;
	size_t		 off = 0, k;
	uint8_t		 tag[4];
	int		 done = 0;

	ws_init(&w, WS_ROLE_SERVER);
	w.max_frame = 1 << 16;
	w.max_msg = 1 << 18;
	sha1_init(&s);
	*nev = 0;
	while (!done) {
		k = n - off < piece ? n - off : piece;
		if (k > 0)
			buf_add(&in, p + off, k);
		off += k;
		while ((ev = ws_feed(&w, &in)) != WS_EV_NONE) {
			tag[0] = (uint8_t)ev;
			tag[1] = (uint8_t)w.op;
			tag[2] = (uint8_t)(w.code >> 8);
			tag[3] = (uint8_t)w.code;
			sha1_update(&s, tag, sizeof(tag));
			if (ev != WS_EV_ERROR && w.len > 0)
				sha1_update(&s, w.data, w.len);
			(*nev)++;
			if (ev == WS_EV_ERROR || ev == WS_EV_CLOSE) {
				done = 1;
				break;
			}
		}
		if (off == n)
			done = 1;
	}
	sha1_final(&s, out);
	ws_free(&w);
	buf_free(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	uint8_t		 a[SHA1_LEN], b[SHA1_LEN];
	int		 na, nb;

	if (n < 1)
		return 0;
	run(p + 1, n - 1, n, a, &na);
	run(p + 1, n - 1, (size_t)(p[0] % 13) + 1, b, &nb);
	FUZZ_ASSERT(na == nb && memcmp(a, b, sizeof(a)) == 0);
	return 0;
}
