/*
 * b64_test.c: base64 against RFC 4648 §10, round trips, and the strict
 * decoder's errors, worded and ordered as the reference's (Rust base64
 * 0.22 STANDARD) were measured through process/write.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "tap.h"

static void
rfc4648(void)
{
	static const char	*v[][2] = {
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	char		 enc[16], dec[16];
	struct b64_err	 e;
	size_t		 i, n;
	long long	 r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = strlen(v[i][0]);
		ok(b64_enc_len(n) == strlen(v[i][1]), "enc_len(%zu)", n);
		memset(enc, 0, sizeof(enc));
		b64_encode(enc, v[i][0], n);
		ok(strcmp(enc, v[i][1]) == 0, "encode \"%s\" = \"%s\"",
		    v[i][0], enc);
		r = b64_decode(dec, v[i][1], strlen(v[i][1]), &e);
		ok(r == (long long)n && memcmp(dec, v[i][0], n) == 0,
		    "decode \"%s\"", v[i][1]);
	}
}

static void
roundtrip(void)
{
	unsigned char	 src[300], out[300 + 3];
	char		 enc[404];
	struct b64_err	 e;
	size_t		 n, i, bad;
	long long	 r;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 131 + 17);
	bad = 0;
	for (n = 0; n <= sizeof(src); n++) {
		b64_encode(enc, src, n);
		if (b64_dec_max(b64_enc_len(n)) > sizeof(out))
			bad++;
		r = b64_decode(out, enc, b64_enc_len(n), &e);
		if (r != (long long)n || memcmp(out, src, n) != 0)
			bad++;
	}
	ok(bad == 0, "round trip of every length 0..300");

	/* All 256 byte values, and the two top symbols. */
	for (i = 0; i < 256; i++)
		src[i] = (unsigned char)i;
	b64_encode(enc, src, 3);
	ok(memcmp(enc, "AAEC", 4) == 0, "encode 00 01 02");
	src[0] = 0xfb;
	src[1] = 0xff;
	src[2] = 0xbf;
	b64_encode(enc, src, 3);
	ok(memcmp(enc, "+/+/", 4) == 0, "encode fb ff bf = \"+/+/\"");
	r = b64_decode(out, "////", 4, &e);
	ok(r == 3 && out[0] == 0xff && out[1] == 0xff && out[2] == 0xff,
	    "decode \"////\"");

	ok(b64_enc_len(SIZE_MAX) == SIZE_MAX, "enc_len overflow");
	ok(b64_enc_len(SIZE_MAX / 4 * 3) == SIZE_MAX,
	    "enc_len overflow near the edge");
	ok(b64_enc_len(1000) == 1336, "enc_len(1000)");
	ok(b64_dec_max(4) >= 3 && b64_dec_max(8) >= 6 && b64_dec_max(7) >= 5,
	    "dec_max bounds");
}

/*
 * Inputs and answers measured on the reference (process/write "chunk"):
 * NULL means accepted.
 */
static const struct {
	const char	*in;
	const char	*want;
} errs[] = {
	{ "", NULL },
	{ "aGk=", NULL },
	{ "aQ==", NULL },
	{ "abcd", NULL },
	{ "abc=", NULL },
	{ "AAA=", NULL },
	{ "aGVsbG8=", NULL },
	{ "abcdeQ==", NULL },
	{ "abcdabc=", NULL },
	{ "aGk", "Invalid padding" },
	{ "ab", "Invalid padding" },
	{ "abc", "Invalid padding" },
	{ "ab=", "Invalid padding" },
	{ "aQ=", "Invalid padding" },
	{ "aR", "Invalid padding" },
	{ "aGl", "Invalid padding" },
	{ "aGVsbG8", "Invalid padding" },
	{ "abcdef", "Invalid padding" },
	{ "abcdefg", "Invalid padding" },
	{ "abcdab=", "Invalid padding" },
	{ "a", "Invalid input length: 1" },
	{ "abcde", "Invalid input length: 5" },
	{ "abcda", "Invalid input length: 5" },
	{ "a===", "Invalid symbol 61, offset 1." },
	{ "a=", "Invalid symbol 61, offset 1." },
	{ "a==", "Invalid symbol 61, offset 1." },
	{ "aG=k", "Invalid symbol 61, offset 2." },
	{ "aGk%", "Invalid symbol 37, offset 3." },
	{ "====", "Invalid symbol 61, offset 0." },
	{ "=", "Invalid symbol 61, offset 0." },
	{ "==", "Invalid symbol 61, offset 0." },
	{ "===", "Invalid symbol 61, offset 0." },
	{ "=aGk", "Invalid symbol 61, offset 0." },
	{ "aGk= ", "Invalid symbol 32, offset 4." },
	{ " aGk=", "Invalid symbol 32, offset 0." },
	{ "ab===", "Invalid symbol 61, offset 2." },
	{ "abc==", "Invalid symbol 61, offset 3." },
	{ "abcd=", "Invalid symbol 61, offset 4." },
	{ "abcd==", "Invalid symbol 61, offset 4." },
	{ "a=bc", "Invalid symbol 61, offset 1." },
	{ "ab=c", "Invalid symbol 61, offset 2." },
	{ "abc=d", "Invalid symbol 61, offset 3." },
	{ "aGk=aGk=", "Invalid symbol 61, offset 3." },
	{ "aGk=a", "Invalid symbol 61, offset 3." },
	{ "aGk==", "Invalid symbol 61, offset 3." },
	{ "aGk=====", "Invalid symbol 61, offset 3." },
	{ "AAAA====", "Invalid symbol 61, offset 4." },
	{ "abcda===", "Invalid symbol 61, offset 5." },
	{ "ab-c", "Invalid symbol 45, offset 2." },
	{ "ab_c", "Invalid symbol 95, offset 2." },
	{ "\xc3\xa9\xc3\xa9==", "Invalid symbol 195, offset 0." },
	{ "a%==", "Invalid symbol 37, offset 1." },
	{ "ab%=", "Invalid symbol 37, offset 2." },
	{ "%===", "Invalid symbol 37, offset 0." },
	{ "ab=%", "Invalid symbol 61, offset 2." },
	{ "a=%=", "Invalid symbol 61, offset 1." },
	{ "%bc", "Invalid symbol 37, offset 0." },
	{ "%bcde", "Invalid symbol 37, offset 0." },
	{ "%bcd=", "Invalid symbol 37, offset 0." },
	{ "ab%cd", "Invalid symbol 37, offset 2." },
	{ "abcd%b", "Invalid symbol 37, offset 4." },
	{ "abcd%bcd=", "Invalid symbol 37, offset 4." },
	{ "ab=cabcda", "Invalid symbol 61, offset 2." },
	{ "abcd=bcda", "Invalid symbol 61, offset 4." },
	/* length % 4 == 1: a bad last byte is reported before all else. */
	{ "%bcd%", "Invalid symbol 37, offset 4." },
	{ "%bcdabcda", "Invalid symbol 37, offset 0." },
	{ "aGl=", "Invalid last symbol 108, offset 2." },
	{ "aGm=", "Invalid last symbol 109, offset 2." },
	{ "AAB=", "Invalid last symbol 66, offset 2." },
	{ "aR==", "Invalid last symbol 82, offset 1." },
	{ "ab==", "Invalid last symbol 98, offset 1." },
	{ "AB==", "Invalid last symbol 66, offset 1." },
	{ "abcdeR==", "Invalid last symbol 82, offset 5." },
};

static void
errors(void)
{
	unsigned char	 out[64];
	char		 msg[80];
	struct b64_err	 e;
	size_t		 i;
	long long	 r;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		memset(&e, 0, sizeof(e));
		r = b64_decode(out, errs[i].in, strlen(errs[i].in), &e);
		if (errs[i].want == NULL) {
			ok(r >= 0, "\"%s\" accepted", errs[i].in);
			continue;
		}
		if (r >= 0) {
			ok(0, "\"%s\" rejected (got %lld bytes)", errs[i].in, r);
			continue;
		}
		b64_strerror(&e, msg, sizeof(msg));
		ok(strcmp(msg, errs[i].want) == 0, "\"%s\": %s", errs[i].in,
		    msg);
	}

	/* NUL, DEL and 0xff inside the input. */
	r = b64_decode(out, "ab\0d", 4, &e);
	b64_strerror(&e, msg, sizeof(msg));
	ok(r == -1 && strcmp(msg, "Invalid symbol 0, offset 2.") == 0,
	    "NUL: %s", msg);
	r = b64_decode(out, "abc\xff", 4, &e);
	b64_strerror(&e, msg, sizeof(msg));
	ok(r == -1 && strcmp(msg, "Invalid symbol 255, offset 3.") == 0,
	    "0xff: %s", msg);
	/* A short buffer truncates the message and stays NUL-terminated. */
	b64_strerror(&e, msg, 8);
	ok(strcmp(msg, "Invalid") == 0, "strerror truncates: \"%s\"", msg);
	/* Errors are also reported after many good quads. */
	r = b64_decode(out, "AAAAAAAAAAAAAAAAAAAAAAAA%AAA", 28, &e);
	b64_strerror(&e, msg, sizeof(msg));
	ok(r == -1 && strcmp(msg, "Invalid symbol 37, offset 24.") == 0,
	    "late bad symbol: %s", msg);
}

/* A large input decodes in one pass. */
static void
large(void)
{
	size_t		 n = 3 << 20, i;
	unsigned char	*src, *out;
	char		*enc;
	struct b64_err	 e;
	long long	 r;

	src = malloc(n);
	out = malloc(b64_dec_max(b64_enc_len(n)));
	enc = malloc(b64_enc_len(n));
	if (src == NULL || out == NULL || enc == NULL) {
		ok(0, "malloc");
		goto out;
	}
	for (i = 0; i < n; i++)
		src[i] = (unsigned char)(i ^ (i >> 8));
	b64_encode(enc, src, n);
	r = b64_decode(out, enc, b64_enc_len(n), &e);
	if (r != (long long)n)
		diag("decoded %lld of %zu", r, n);
	ok(r == (long long)n && memcmp(out, src, n) == 0, "3 MiB round trip");
out:
	free(src);
	free(out);
	free(enc);
}

/* base64url: RFC 4648 §10 in the other alphabet, unpadded; round trips
 * of every length with bytes that use - and _; the strict rejections. */
static void
url(void)
{
	static const struct {
		const char	*in, *out;
	} v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" }, { "\xfb\xff", "-_8" },
	};
	static const char *const bad[] = {
		"Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "Zm+v", "Zm/v",
		"Zm9 v", "Zm9v\n", "Zm9v.", "-_9",
	};
	unsigned char	 buf[300], dec[310];
	char		 enc[420];
	size_t		 i, n, fails = 0;
	long long	 r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = strlen(v[i].in);
		b64_url_encode(enc, v[i].in, n);
		enc[b64_url_enc_len(n)] = '\0';
		r = b64_url_decode(dec, v[i].out, strlen(v[i].out));
		ok(strcmp(enc, v[i].out) == 0 && r == (long long)n &&
		    memcmp(dec, v[i].in, n) == 0, "url \"%s\" <-> \"%s\"",
		    v[i].out, enc);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(b64_url_decode(dec, bad[i], strlen(bad[i])) == -1,
		    "url: bad input %zu (\"%.*s\") refused", i,
		    (int)strcspn(bad[i], "\n"), bad[i]);
	for (n = 0; n < sizeof(buf); n++) {
		for (i = 0; i < n; i++)
			buf[i] = (unsigned char)(0xf8 + i * 37);
		b64_url_encode(enc, buf, n);
		r = b64_url_decode(dec, enc, b64_url_enc_len(n));
		if (r != (long long)n || memcmp(dec, buf, n) != 0 ||
		    memchr(enc, '=', b64_url_enc_len(n)) != NULL)
			fails++;
	}
	ok(fails == 0, "url: round trips of 0..299 bytes (%zu failed)", fails);
}

/*
 * A whole quad is looked up at once: a bad symbol in each of its four
 * places, in each quad of a 24-symbol input but the last, is reported
 * at its own offset, and every good input decodes as symbol by symbol.
 */
static void
quads(void)
{
	static const char	 good[] = "QUJDREVGR0hJSktMTU5PUFFS";
	static const char	 bads[] = "=-_ .\n\x80\xff";
	unsigned char		 out[32];
	char			 in[25];
	struct b64_err		 e;
	size_t			 i, k, bad = 0;
	long long		 r;

	r = b64_decode(out, good, 24, &e);
	ok(r == 18 && memcmp(out, "ABCDEFGHIJKLMNOPQR", 18) == 0,
	    "six quads decode");
	for (i = 0; i < 20; i++)
		for (k = 0; k < sizeof(bads) - 1; k++) {
			memcpy(in, good, 25);
			in[i] = bads[k];
			memset(&e, 0, sizeof(e));
			if (b64_decode(out, in, 24, &e) != -1 ||
			    e.kind != B64_BADSYM || e.off != i ||
			    e.sym != (unsigned char)bads[k])
				bad++;
		}
	ok(bad == 0, "a bad symbol at each of offsets 0..19: reported there");
}

int
main(void)
{
	rfc4648();
	roundtrip();
	errors();
	quads();
	large();
	url();
	return done_testing();
}
