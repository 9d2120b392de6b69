/*
 * utf8.c: strict incremental UTF-8 validation (RFC 3629, Unicode table
 * 3-7): the byte after a lead byte is range-checked so that overlongs
 * (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points
 * above U+10FFFF (F4 90.., F5..FF) are rejected at the first bad byte.
 * A failure is sticky: later feeds fail too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

#define UTF8_FAILED	0xff	/* `need` after an invalid byte */

void
utf8_init(struct utf8 *u)
{
	u->cp = 0;
	u->need = 0;
	u->lo = 0x80;
	u->hi = 0xbf;
}

static uint64_t
load8(const uint8_t *p)
{
	uint64_t	 w;

	memcpy(&w, p, 8);
	return w;
}

static int
utf8_fail(struct utf8 *u)
{
	u->need = UTF8_FAILED;
	return -1;
}

int
utf8_feed(struct utf8 *u, const void *v, size_t n)
{
	const uint8_t	*p = v, *end = p + n;
	uint64_t	 w;
	uint8_t		 b;

	if (u->need == UTF8_FAILED)
		return -1;
	while (p < end) {
		/* Between sequences, skip ASCII eight bytes at a time. */
		while (u->need == 0 && end - p >= 8 && (w = load8(p),
		    (w & 0x8080808080808080ULL) == 0))
			p += 8;
		if (p == end)
			break;
		b = *p++;
		if (u->need > 0) {
			if (b < u->lo || b > u->hi)
				return utf8_fail(u);
			u->cp = u->cp << 6 | (b & 0x3f);
			u->need--;
			u->lo = 0x80;
			u->hi = 0xbf;
			continue;
		}
		if (b < 0x80)
			continue;
		if (b < 0xc2)		/* stray continuation, C0, C1 */
			return utf8_fail(u);
		if (b < 0xe0) {
			u->need = 1;
			u->cp = b & 0x1f;
		} else if (b < 0xf0) {
			u->need = 2;
			u->cp = b & 0x0f;
			if (b == 0xe0)
				u->lo = 0xa0;	/* no overlongs */
			else if (b == 0xed)
				u->hi = 0x9f;	/* no surrogates */
		} else if (b < 0xf5) {
			u->need = 3;
			u->cp = b & 0x07;
			if (b == 0xf0)
				u->lo = 0x90;	/* no overlongs */
			else if (b == 0xf4)
				u->hi = 0x8f;	/* nothing above U+10FFFF */
		} else
			return utf8_fail(u);
	}
	return 0;
}

int
utf8_done(const struct utf8 *u)
{
	return u->need == 0 ? 0 : -1;
}

int
utf8_valid(const void *p, size_t n)
{
	struct utf8	 u;

	utf8_init(&u);
	return utf8_feed(&u, p, n) == 0 && utf8_done(&u) == 0;
}

/*
 * Length of the well-formed UTF-8 sequence at s (n > 0 bytes available),
 * or 0 with *bad set to the length of its maximal ill-formed prefix (at
 * least 1): the unit that becomes one U+FFFD, as in Unicode 3.9 and Rust's
 * from_utf8_lossy.  Rejects overlongs, surrogates and > U+10FFFF.
 */
size_t
utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* > U+10FFFF */
	} else {
		*bad = 1;
		return 0;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}
