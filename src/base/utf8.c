/*
 * utf8.c: strict incremental UTF-8 validation (RFC 3629, Unicode table
 * 3-7): the byte after a lead byte is range-checked so that overlongs
 * (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points
 * above U+10FFFF (F4 90.., F5..FF) are rejected at the first bad byte.
 * A failure is sticky: later feeds fail too.
 */
#include <stddef.h>
#include <stdint.h>

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
	uint8_t		 b;

	if (u->need == UTF8_FAILED)
		return -1;
	while (p < end) {
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
