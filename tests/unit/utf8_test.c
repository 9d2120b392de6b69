/*
 * utf8_test.c: strict UTF-8 validation: tables of valid and invalid
 * sequences, every split point fed incrementally, truncation, and an
 * exhaustive comparison with a naive decoder.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "base/utf8.h"

struct vec {
	const char	*name;
	const char	*s;
	size_t		 len;		/* 0: strlen */
	int		 valid;
	int		 bad;		/* invalid: offset of the first bad byte,
					   -1 when only truncated */
};

static const struct vec vecs[] = {
	{ "empty", "", 0, 1, 0 },
	{ "ascii", "hello, world", 0, 1, 0 },
	{ "NUL", "a\0b", 3, 1, 0 },
	{ "U+0080", "\xc2\x80", 0, 1, 0 },
	{ "U+07FF", "\xdf\xbf", 0, 1, 0 },
	{ "U+0800", "\xe0\xa0\x80", 0, 1, 0 },
	{ "U+D7FF", "\xed\x9f\xbf", 0, 1, 0 },
	{ "U+E000", "\xee\x80\x80", 0, 1, 0 },
	{ "U+FFFD", "\xef\xbf\xbd", 0, 1, 0 },
	{ "U+FFFF", "\xef\xbf\xbf", 0, 1, 0 },
	{ "U+10000", "\xf0\x90\x80\x80", 0, 1, 0 },
	{ "U+10FFFF", "\xf4\x8f\xbf\xbf", 0, 1, 0 },
	{ "mixed", "a\xc3\xa9z\xe2\x82\xac\xf0\x9f\x98\x80!", 0, 1, 0 },
	{ "kosme", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 0, 1, 0 },
	{ "lone continuation", "a\x80", 0, 0, 1 },
	{ "lone BF", "\xbf", 0, 0, 0 },
	{ "C0 overlong", "\xc0\xaf", 0, 0, 0 },
	{ "C1 overlong", "\xc1\xbf", 0, 0, 0 },
	{ "E0 overlong", "\xe0\x9f\xbf", 0, 0, 1 },
	{ "E0 80 overlong", "\xe0\x80\xaf", 0, 0, 1 },
	{ "F0 overlong", "\xf0\x8f\xbf\xbf", 0, 0, 1 },
	{ "surrogate D800", "\xed\xa0\x80", 0, 0, 1 },
	{ "surrogate DFFF", "\xed\xbf\xbf", 0, 0, 1 },
	{ "surrogate pair", "\xed\xa0\xbd\xed\xb2\xa9", 0, 0, 1 },
	{ "U+110000", "\xf4\x90\x80\x80", 0, 0, 1 },
	{ "F5", "\xf5\x80\x80\x80", 0, 0, 0 },
	{ "F8 5-byte", "\xf8\x88\x80\x80\x80", 0, 0, 0 },
	{ "FC 6-byte", "\xfc\x84\x80\x80\x80\x80", 0, 0, 0 },
	{ "FE", "\xfe", 0, 0, 0 },
	{ "FF", "\xff", 0, 0, 0 },
	{ "2-byte then ASCII", "\xc3" "a", 0, 0, 1 },
	{ "3-byte cut by ASCII", "\xe2\x82" "a", 0, 0, 2 },
	{ "4-byte cut by lead", "\xf0\x9f\x98\xc3\xa9", 0, 0, 3 },
	{ "bad after good", "ok \xe2\x82\xac \xc0\x80", 0, 0, 7 },
	{ "truncated 2", "ab\xc3", 0, 0, -1 },
	{ "truncated 3/1", "\xe2", 0, 0, -1 },
	{ "truncated 3/2", "\xe2\x82", 0, 0, -1 },
	{ "truncated 4/3", "\xf0\x9f\x98", 0, 0, -1 },
};

static size_t
veclen(const struct vec *v)
{
	return v->len ? v->len : strlen(v->s);
}

static void
table(void)
{
	const struct vec	*v;
	struct utf8		 u;
	size_t			 i, j, n;
	int			 r, first;

	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		v = &vecs[i];
		n = veclen(v);
		ok(utf8_valid(v->s, n) == v->valid, "%s: utf8_valid() == %d",
		    v->name, v->valid);

		/* Byte at a time: where does it fail? */
		utf8_init(&u);
		first = -1;
		for (j = 0; j < n; j++)
			if (utf8_feed(&u, v->s + j, 1) == -1) {
				first = (int)j;
				break;
			}
		if (v->valid || v->bad == -1) {
			ok(first == -1 && utf8_done(&u) == (v->valid ? 0 : -1),
			    "%s: byte-wise feed ok, done %s", v->name,
			    v->valid ? "ok" : "reports truncation");
		} else
			ok(first == v->bad, "%s: fails at byte %d (got %d)",
			    v->name, v->bad, first);

		/* Sticky failure. */
		if (!v->valid && v->bad >= 0) {
			r = utf8_feed(&u, "a", 1);
			ok(r == -1, "%s: failure is sticky", v->name);
		}
	}
}

/* Every split point of valid text yields the same answer. */
static void
splits(void)
{
	static const char	 text[] = "x\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	    "\xf4\x8f\xbf\xbf\xed\x9f\xbf\xe0\xa0\x80y";
	struct utf8		 u;
	size_t			 n = sizeof(text) - 1, i, j, bad;

	bad = 0;
	for (i = 0; i <= n; i++)
		for (j = i; j <= n; j++) {
			utf8_init(&u);
			if (utf8_feed(&u, text, i) != 0 ||
			    utf8_feed(&u, text + i, j - i) != 0 ||
			    utf8_feed(&u, text + j, n - j) != 0 ||
			    utf8_done(&u) != 0)
				bad++;
		}
	ok(bad == 0, "valid text split at every pair of points");

	/* Every proper prefix that ends inside a sequence is incomplete. */
	bad = 0;
	for (i = 0; i <= n; i++) {
		utf8_init(&u);
		if (utf8_feed(&u, text, i) != 0)
			bad++;
		/* Sequence starts are at 0,1,3,6,10,14,17,20,21. */
		if ((utf8_done(&u) == 0) != (i == 0 || i == 1 || i == 3 ||
		    i == 6 || i == 10 || i == 14 || i == 17 || i == 20 ||
		    i == 21))
			bad++;
	}
	ok(bad == 0, "utf8_done() is 0 exactly at sequence boundaries");

	/* An invalid byte after a split is caught in the later feed. */
	utf8_init(&u);
	ok(utf8_feed(&u, "\xed", 1) == 0 && utf8_feed(&u, "\xa0", 1) == -1,
	    "surrogate split ED | A0 fails in the second feed");
	utf8_init(&u);
	ok(utf8_feed(&u, "\xf4", 1) == 0 && utf8_feed(&u, "\x8f", 1) == 0 &&
	    utf8_feed(&u, "\xbf\xbf", 2) == 0 && utf8_done(&u) == 0,
	    "U+10FFFF split F4 | 8F | BF BF");
	utf8_init(&u);
	ok(utf8_feed(&u, "\xf0\x9f", 2) == 0 && utf8_feed(&u, NULL, 0) == 0 &&
	    utf8_done(&u) == -1, "empty feed keeps the state");
}

/* Naive reference: decode by structure, then check the code point. */
static int
naive(const uint8_t *s, size_t n)
{
	size_t		 i, k, len;
	uint32_t	 cp, min;

	for (i = 0; i < n; i += len) {
		if (s[i] < 0x80)
			len = 1, cp = s[i], min = 0;
		else if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (len > n - i)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

static void
exhaustive(void)
{
	static const uint8_t	 tail[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90,
	    0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xe0, 0xf0, 0xff };
	uint8_t			 s[4];
	size_t			 a, b, c, d, nt = sizeof(tail), bad, tried;
	uint32_t		 cp;
	char			 e[4];

	bad = tried = 0;
	for (a = 0; a < 256; a++) {
		s[0] = (uint8_t)a;
		tried++;
		if (utf8_valid(s, 1) != naive(s, 1))
			bad++;
		for (b = 0; b < 256; b++) {
			s[1] = (uint8_t)b;
			tried++;
			if (utf8_valid(s, 2) != naive(s, 2)) {
				diag("%02zx %02zx: %d", a, b, naive(s, 2));
				bad++;
			}
			for (c = 0; c < nt && a >= 0xe0; c++) {
				s[2] = tail[c];
				tried++;
				if (utf8_valid(s, 3) != naive(s, 3))
					bad++;
				for (d = 0; d < nt && a >= 0xf0; d++) {
					s[3] = tail[d];
					tried++;
					if (utf8_valid(s, 4) != naive(s, 4))
						bad++;
				}
			}
		}
	}
	ok(bad == 0, "agrees with a naive decoder on %zu sequences", tried);

	/* Every scalar value encodes to valid UTF-8; surrogates do not. */
	bad = 0;
	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (cp < 0x80) {
			e[0] = (char)cp;
			d = 1;
		} else if (cp < 0x800) {
			e[0] = (char)(0xc0 | cp >> 6);
			e[1] = (char)(0x80 | (cp & 0x3f));
			d = 2;
		} else if (cp < 0x10000) {
			e[0] = (char)(0xe0 | cp >> 12);
			e[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			e[2] = (char)(0x80 | (cp & 0x3f));
			d = 3;
		} else {
			e[0] = (char)(0xf0 | cp >> 18);
			e[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
			e[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
			e[3] = (char)(0x80 | (cp & 0x3f));
			d = 4;
		}
		if (utf8_valid(e, d) != !(cp >= 0xd800 && cp <= 0xdfff))
			bad++;
	}
	ok(bad == 0, "all 0x110000 code points: scalars valid, surrogates not");
}

/*
 * ASCII is skipped eight bytes at a time between sequences: a bad byte
 * or a sequence after 0..40 ASCII bytes, fed whole and from every start.
 */
static void
ascii_runs(void)
{
	char		 s[64];
	struct utf8	 u;
	size_t		 run, j, bad = 0;

	for (run = 0; run <= 40; run++) {
		memset(s, 'a', run);
		memcpy(s + run, "\xe2\x82\xac", 3);
		memset(s + run + 3, 'b', 9);
		for (j = 0; j <= run + 12; j++) {
			utf8_init(&u);
			if (utf8_feed(&u, s, j) != 0 ||
			    utf8_feed(&u, s + j, run + 12 - j) != 0 ||
			    utf8_done(&u) != 0)
				bad++;
		}
		s[run + 1] = 'x';	/* E2 then not a continuation */
		utf8_init(&u);
		if (utf8_feed(&u, s, run + 12) != -1)
			bad++;
		s[run] = (char)0xff;
		utf8_init(&u);
		if (utf8_valid(s, run + 12) || utf8_feed(&u, s, run + 12) != -1)
			bad++;
		s[run] = 'a';
		utf8_init(&u);
		if (utf8_feed(&u, s, run + 1) != 0 || utf8_done(&u) != 0)
			bad++;
		/* Inside a sequence ASCII is not skipped: E2, 8 x 'b', 82 AC. */
		memcpy(s + run, "\xe2" "bbbbbbbb" "\x82\xac", 11);
		utf8_init(&u);
		if (utf8_feed(&u, s, run + 11) != -1)
			bad++;
	}
	ok(bad == 0, "0..40 ASCII bytes, then a sequence, a broken one or "
	    "a bad byte, split everywhere");
}

int
main(void)
{
	table();
	splits();
	ascii_runs();
	exhaustive();
	return done_testing();
}
