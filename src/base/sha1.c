/*
 * sha1.c: RFC 3174 SHA-1, incremental, for the WebSocket accept key.
 */
#include <stdint.h>
#include <string.h>

#include "base/sha1.h"

static uint32_t
rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/* Process one 64-byte block. */
static void
sha1_block(uint32_t h[5], const uint8_t *p)
{
	uint32_t	 w[80], a, b, c, d, e, f, k, t;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1_init(struct sha1 *s)
{
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->h[4] = 0xc3d2e1f0;
	s->n = 0;
	s->used = 0;
}

void
sha1_update(struct sha1 *s, const void *v, size_t len)
{
	const uint8_t	*p = v;
	size_t		 m;

	s->n += len;
	if (s->used > 0) {
		m = sizeof(s->blk) - s->used;
		if (m > len)
			m = len;
		memcpy(s->blk + s->used, p, m);
		s->used += m;
		p += m;
		len -= m;
		if (s->used < sizeof(s->blk))
			return;
		sha1_block(s->h, s->blk);
		s->used = 0;
	}
	for (; len >= sizeof(s->blk); p += 64, len -= 64)
		sha1_block(s->h, p);
	if (len > 0) {
		memcpy(s->blk, p, len);
		s->used = len;
	}
}

void
sha1_final(struct sha1 *s, uint8_t out[SHA1_LEN])
{
	uint64_t	 bits = s->n * 8;	/* the length is mod 2^64 */
	int		 i;

	s->blk[s->used++] = 0x80;
	if (s->used > 56) {
		memset(s->blk + s->used, 0, sizeof(s->blk) - s->used);
		sha1_block(s->h, s->blk);
		s->used = 0;
	}
	memset(s->blk + s->used, 0, 56 - s->used);
	for (i = 0; i < 8; i++)
		s->blk[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_block(s->h, s->blk);
	for (i = 0; i < SHA1_LEN; i++)
		out[i] = (uint8_t)(s->h[i / 4] >> (24 - 8 * (i % 4)));
	memset(s, 0, sizeof(*s));
}
