/*
 * b64.c: RFC 4648 base64 (standard alphabet, padded) and base64url
 * (unpadded), strict decoding.
 */
#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/b64.h"

static const char enc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Symbol value, or -1. */
static int
dec(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * A quad's value in one step: quad[j][c] is symbol c's value shifted to
 * position j of the 24 bits, or QUAD_BAD, which survives the ORs.
 */
#define QUAD_BAD	0x80000000U
static uint32_t	quad[4][256];
static int	quad_ready;

static void
quad_init(void)
{
	int	 c, j, x;

	for (c = 0; c < 256; c++) {
		x = dec((unsigned char)c);
		for (j = 0; j < 4; j++)
			quad[j][c] = x == -1 ? QUAD_BAD :
			    (uint32_t)x << (18 - 6 * j);
	}
	quad_ready = 1;
}

size_t
b64_enc_len(size_t n)
{
	if (n / 3 >= SIZE_MAX / 4 - 1)
		return SIZE_MAX;
	return (n + 2) / 3 * 4;
}

/* Two symbols at once: pair[v] for the 12 bits v, built on first use. */
static char	pair[4096][2];

void
b64_encode(char *dst, const void *src, size_t n)
{
	const unsigned char	*s = src;
	uint64_t		 w;
	uint32_t		 v;

	if (pair[0][0] == 0)
		for (v = 0; v < 4096; v++) {
			pair[v][0] = enc[v >> 6];
			pair[v][1] = enc[v & 63];
		}
	/* Six bytes at a time while eight can be loaded, then threes. */
	for (; n >= 8; n -= 6, s += 6, dst += 8) {
		memcpy(&w, s, 8);
		w = be64toh(w);
		memcpy(dst, pair[w >> 52], 2);
		memcpy(dst + 2, pair[(w >> 40) & 4095], 2);
		memcpy(dst + 4, pair[(w >> 28) & 4095], 2);
		memcpy(dst + 6, pair[(w >> 16) & 4095], 2);
	}
	for (; n >= 3; n -= 3, s += 3, dst += 4) {
		v = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
		memcpy(dst, pair[v >> 12], 2);
		memcpy(dst + 2, pair[v & 4095], 2);
	}
	if (n == 0)
		return;
	v = (uint32_t)s[0] << 16 | (n == 2 ? (uint32_t)s[1] << 8 : 0);
	*dst++ = enc[v >> 18];
	*dst++ = enc[(v >> 12) & 63];
	*dst++ = n == 2 ? enc[(v >> 6) & 63] : '=';
	*dst = '=';
}

size_t
b64_dec_max(size_t n)
{
	return n / 4 * 3 + 3;
}

static long long
fail(struct b64_err *e, int kind, size_t off, unsigned char sym)
{
	e->kind = kind;
	e->off = off;
	e->sym = sym;
	return -1;
}

/*
 * Mirrors the Rust base64 crate (0.22) STANDARD engine, which is what the
 * reference uses, check for check and in the same order, so that the
 * first error reported is the same one:
 *  1. length % 4 == 1 and the last byte is neither '=' nor a symbol:
 *     that byte is reported first (the crate's "trailing newline" check);
 *  2. every quad but the last is decoded; any non-symbol ('=' included)
 *     is reported with its offset;
 *  3. the last 1..4 bytes: '=' among the first two is a bad symbol, a
 *     symbol after '=' reports the first '=', then a lone symbol is a bad
 *     length, then symbols + padding must make 4, then the unused bits of
 *     the last symbol must be zero.
 */
long long
b64_decode(void *dst, const char *src, size_t n, struct b64_err *e)
{
	const unsigned char	*s = (const unsigned char *)src;
	unsigned char		*d = dst;
	size_t			 i, j, k, rem, quads, npad, padoff, nm;
	uint32_t		 v;
	int			 x, m[4];
	unsigned char		 last;

	rem = n % 4;
	if (rem == 1 && s[n - 1] != '=' && dec(s[n - 1]) == -1)
		return fail(e, B64_BADSYM, n - 1, s[n - 1]);
	quads = n - rem;
	if (rem == 0 && quads >= 4)
		quads -= 4;

	if (!quad_ready)
		quad_init();
	k = 0;
	for (i = 0; i < quads; i += 4) {
		v = quad[0][s[i]] | quad[1][s[i + 1]] | quad[2][s[i + 2]] |
		    quad[3][s[i + 3]];
		if (v & QUAD_BAD)
			for (j = 0; j < 4; j++)
				if (dec(s[i + j]) == -1)
					return fail(e, B64_BADSYM, i + j,
					    s[i + j]);
		d[k++] = v >> 16;
		d[k++] = (v >> 8) & 0xff;
		d[k++] = v & 0xff;
	}

	nm = npad = padoff = 0;
	last = 0;
	for (j = 0; i + j < n; j++) {
		if (s[i + j] == '=') {
			if (j < 2)
				return fail(e, B64_BADSYM, i + j, '=');
			if (npad++ == 0)
				padoff = j;
			continue;
		}
		if (npad > 0)
			return fail(e, B64_BADSYM, i + padoff, '=');
		if ((x = dec(s[i + j])) == -1)
			return fail(e, B64_BADSYM, i + j, s[i + j]);
		last = s[i + j];
		m[nm++] = x;
	}
	if (n > 0 && nm < 2)
		return fail(e, B64_BADLEN, i + nm, 0);
	if ((npad + nm) % 4 != 0)
		return fail(e, B64_BADPAD, 0, 0);
	if (nm == 0)
		return (long long)k;

	v = 0;
	for (j = 0; j < nm; j++)
		v |= (uint32_t)m[j] << (18 - 6 * j);
	/* nm symbols carry nm * 6 / 8 whole bytes; the rest must be 0. */
	if ((nm == 2 && (v & 0xffff)) || (nm == 3 && (v & 0xff)))
		return fail(e, B64_BADLAST, i + nm - 1, last);
	d[k++] = v >> 16;
	if (nm >= 3)
		d[k++] = (v >> 8) & 0xff;
	if (nm == 4)
		d[k++] = v & 0xff;
	return (long long)k;
}

void
b64_strerror(const struct b64_err *e, char *out, size_t outlen)
{
	switch (e->kind) {
	case B64_BADSYM:
		snprintf(out, outlen, "Invalid symbol %u, offset %zu.",
		    e->sym, e->off);
		break;
	case B64_BADLEN:
		snprintf(out, outlen, "Invalid input length: %zu", e->off);
		break;
	case B64_BADPAD:
		snprintf(out, outlen, "Invalid padding");
		break;
	default:
		snprintf(out, outlen, "Invalid last symbol %u, offset %zu.",
		    e->sym, e->off);
		break;
	}
}

static const char url_enc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
url_dec(unsigned char c)
{
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	if (c == '+' || c == '/')
		return -1;
	return dec(c);
}

size_t
b64_url_enc_len(size_t n)
{
	if (n / 3 >= SIZE_MAX / 4 - 1)
		return SIZE_MAX;
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void
b64_url_encode(char *dst, const void *src, size_t n)
{
	const unsigned char	*s = src;
	uint32_t		 v;

	for (; n >= 3; n -= 3, s += 3) {
		v = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
		*dst++ = url_enc[v >> 18];
		*dst++ = url_enc[(v >> 12) & 63];
		*dst++ = url_enc[(v >> 6) & 63];
		*dst++ = url_enc[v & 63];
	}
	if (n == 0)
		return;
	v = (uint32_t)s[0] << 16 | (n == 2 ? (uint32_t)s[1] << 8 : 0);
	*dst++ = url_enc[v >> 18];
	*dst++ = url_enc[(v >> 12) & 63];
	if (n == 2)
		*dst = url_enc[(v >> 6) & 63];
}

long long
b64_url_decode(void *dst, const char *src, size_t n)
{
	const unsigned char	*s = (const unsigned char *)src;
	unsigned char		*d = dst;
	size_t			 i, k = 0, left;
	uint32_t		 v = 0;
	int			 x;

	if (n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((x = url_dec(s[i])) == -1)
			return -1;
		v = v << 6 | (uint32_t)x;
		if (i % 4 == 3) {
			d[k++] = v >> 16;
			d[k++] = (v >> 8) & 0xff;
			d[k++] = v & 0xff;
			v = 0;
		}
	}
	left = n % 4;
	if (left == 2) {
		/* 12 bits: one byte, 4 unused. */
		if (v & 0xf)
			return -1;
		d[k++] = (v >> 4) & 0xff;
	} else if (left == 3) {
		/* 18 bits: two bytes, 2 unused. */
		if (v & 0x3)
			return -1;
		d[k++] = (v >> 10) & 0xff;
		d[k++] = (v >> 2) & 0xff;
	}
	return (long long)k;
}
