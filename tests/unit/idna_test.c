/*
 * idna_test.c: Punycode against RFC 3492's samples, and idna_to_ascii()
 * against what the reference (codex 0.169.0, Rust's url and idna crates)
 * made of each host: the host of its "'file://HOST/x' is invalid"
 * answer, "" for "empty host", NULL for "invalid international domain
 * name" (file://localhost/x is local: "localhost").
 */
#include <stdio.h>
#include <string.h>

#include "compat/idna.h"
#include "tap.h"

static const struct {
	const char	*in;
	const char	*out;
} cases[] = {
	{ "EXAMPLE.com", "example.com" },
	{ "host", "host" },
	{ "a.b.c", "a.b.c" },
	{ ".a", ".a" },
	{ "a..", "a.." },
	{ "a-", "a-" },
	{ "ab--c", "ab--c" },
	{ "a_b", "a_b" },
	{ "a!b$&'()*+,;=", "a!b$&'()*+,;=" },
	{ "1a.com", "1a.com" },
	{ "ho<st", NULL },
	{ "ho^st", NULL },
	{ "ho@st", NULL },
	{ "ho st", NULL },
	{ "ho\x7fst", NULL },
	{ "ho{st", "ho{st" },
	{ "xn--", NULL },
	{ "xn--a", NULL },
	{ "xn---a", NULL },
	{ "XN--LS8H", "xn--ls8h" },
	{ "xn--nxasmq6b", "xn--nxasmq6b" },
	{ "xn--zca", "xn--zca" },
	{ "xn--abc", NULL },
	{ "xn--999999999", NULL },
	{ "xn--a-yyyyyyyyyyyy", NULL },
	{ "xn--0", NULL },
	{ "xn--55qx5d", "xn--55qx5d" },
	{ "xn--mgbh0fb", "xn--mgbh0fb" },
	{ "xn--ssa", NULL },
	{ "xn--a-zfa", "xn--a-zfa" },
	{ "xn--ba-lmc", "xn--ba-lmc" },
	{ "xn--0ug", NULL },
	{ "xn--a-0fo", "xn--a-0fo" },
	{ "xn--80ak6aa92e", "xn--80ak6aa92e" },
	{ "xn--_a", NULL },
	{ "xn-a", "xn-a" },
	{ "1.2.3.0xg", "1.2.3.0xg" },
	{ "LOCALHOST", "localhost" },
	{ "localhost.", "localhost." },
	{ "localhost.localdomain", "localhost.localdomain" },
	{ "\xc3\xbc.com", "xn--tda.com" },
	{ "\xc3\x9c" "BER.de", "xn--ber-goa.de" },
	{ "\xe1\xba\x9e", "xn--zca" },
	{ "\xc3\xa9", "xn--9ca" },
	{ "E\xcc\x81", "xn--9ca" },
	{ "a\xcc\x81" "b", "xn--b-tfa" },
	{ "\xce\xa3", "xn--4xa" },
	{ "\xce\xb5\xce\xbb\xce\xbb\xce\xb7"
	    "\xce\xbd\xce\xb9\xce\xba\xce\xac", "xn--hxargifdar" },
	{ "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80", "xn--e1afmkfd" },
	{ "\xe4\xbe\x8b\xe3\x81\x88", "xn--r8jz45g" },
	{ "a\xe3\x80\x82" "b", "a.b" },
	{ "a\xef\xbd\xa1" "b", "a.b" },
	{ "\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc" },
	{ "\xf0\x9f\x92\xa9.com", "xn--ls8h.com" },
	{ "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "xn--9dbne9b" },
	{ "a.\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "a.xn--9dbne9b" },
	{ "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d" "1", "xn--1-9hcuf1d" },
	{ "\xd9\x85\xd8\xab\xd8\xa7\xd9\x84\xd9\xa1", "xn--mgbh0fb7l" },
	{ "a\xe2\x80\x8d" "b", NULL },
	{ "\xe2\x80\x8d", NULL },
	{ "a\xc2\xad" "b", "ab" },
	{ "\xc2\xad.com", ".com" },
	{ "\xef\xbf\xbd", NULL },
	{ "\xee\x80\x80", NULL },
	{ "\xc7\x85", "xn--d-toa" },
	{ "K", "k" },
	{ "a\xcc\xb8", "xn--a-2eb" },
	{ "a\xe2\x80\xa4" "b", NULL },
	{ "a\xef\xbc\xa0" "b", NULL },
	{ "\xe2\x80\xae" "a", NULL },
	{ "\xe2\x81\xa0" "a", "a" },
	{ "\xe1\xa0\x8b", "" },
	{ "x\xd9\x80", NULL },
	{ "\xef\xbd\x98\xef\xbd\x8e--ls8h", "xn--ls8h" },
	{ "xn--ls8h.\xc3\xbc", "xn--ls8h.xn--tda" },
	{ "\xe0\xa4\x95\xe0\xa5\x8d\xe2\x80\x8d", "xn--11b6iy14e" },
	{ "\xd8\xa8\xe2\x80\x8c\xd8\xa8", "xn--ngba799q" },
	{ "a\xcc\x88\xcc\x81", "xn--4ca69h" },
	{ "a\xcc\xa3\xcc\x87", "xn--rsa542l" },
	{ "\xe1\x84\x80\xe1\x85\xa1", "xn--o39a" },
	{ "\xed\x95\x9c\xea\xb5\xad", "xn--3e0b707e" },
	{ "xn--wca", NULL },
	{ "xn--e-xbb", NULL },
	{ "xn--ab-m1t", NULL },
	{ "xn--11b6iv14e", "xn--11b6iv14e" },
	{ "xn--zn7c", NULL },
	{ "xn--\x00-dha", NULL },
	{ "xn--/-dha", NULL },
	{ "xn--BER-ska", NULL },
	{ "xn--3xa", "xn--3xa" },
	{ "xn--4db", "xn--4db" },
	{ "xn--1-0hc", NULL },
	{ "xn--1-ymc8o", NULL },
	{ "xn--a-bqc", NULL },
	{ "xn----ymc", NULL },
	{ "xn--7cb7d", "xn--7cb7d" },
	{ "xn--mgb9i", NULL },
	{ "xn--a-9bb7f", NULL },
	{ "xn--rsa542l", "xn--rsa542l" },
	{ "xn--bka", "xn--bka" },
	{ "xn--5g7c", NULL },
	{ "xn----eha", "xn----eha" },
	{ "xn--ab---3ra", "xn--ab---3ra" },
	{ "xn--99999999999", NULL },
	{ "xn--ss-", NULL },
	{ "xn--tda.xn--tda", "xn--tda.xn--tda" },
	{ "xN--Tda", "xn--tda" },
	{ "xn--tda-", NULL },
	{ "xn---tda", NULL },
	{ ".xn--tda", ".xn--tda" },
	{ "xn--9", NULL },
	{ "xn--zz", NULL },
	{ "xn--a1", NULL },
	{ "xn--Bcher-kva", "xn--bcher-kva" },
	{ "xn--BCHER-KVA", "xn--bcher-kva" },
	{ "xn--strae-oqa", "xn--strae-oqa" },
	{ "a.\xd7\x90", "a.xn--4db" },
	{ "\xd7\x90.a1", "xn--4db.a1" },
	{ "\xd7\x90.-a", NULL },
	{ "\xd7\x90\xd7\x91", "xn--4dbc" },
	{ "1\xd7\x90", NULL },
	{ "\xd7\x90\xd9\xa1" "1", NULL },
	{ "\xd8\xa7" "1\xd9\xa1", NULL },
	{ "\xd7\x90\xd6\xb0", "xn--7cb7d" },
	{ "a\xd7\x90", NULL },
	{ "\xd7\x90.xn--tda", "xn--4db.xn--tda" },
	{ "\xd7\x90.\xe0\xa4\x95", "xn--4db.xn--11b" },
	{ "\xd9\xa1", NULL },
	{ "\xd7\x90\xe2\x80\x8c\xd7\x91", NULL },
	{ "\xd7\x90.\xce\xb1", "xn--4db.xn--mxa" },
	{ "\xd8\xa7\xd9\x80\xd8\xa8", "xn--mgbc5e" },
	{ "\xd7\x90!", NULL },
	{ "\xe2\x80\x8c\xd8\xa8", NULL },
	{ "\xd8\xa8\xe2\x80\x8c\xd9\x8e\xd8\xa8", "xn--ngba7iy95i" },
	{ "\xd8\xa8\xe2\x80\x8c\xd8\xa7", "xn--mgbb899q" },
	{ "\xe0\xa4\x95\xe0\xa5\x8d"
	    "\xe2\x80\x8d\xe0\xa4\xb7", "xn--11b2ezcw70k" },
	{ "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", NULL },
	{ "A\xcc\x88", "xn--4ca" },
	{ "o\xcc\x82\xcc\x81", "xn--0lg" },
	{ "e\xcc\x82\xcc\xa3", "xn--qlg" },
	{ "\xe3\x81\x8b\xe3\x82\x99", "xn--v8j" },
	{ "\xea\xb0\x80\xe1\x86\xa8", "xn--p39a" },
	{ "\xce\xb1\xcc\x81", "xn--hxa" },
	{ "\xcc\x81", NULL },
	{ "\xcd\x85", "xn--uxa" },
	{ "\xe1\xba\x9e", "xn--zca" },
	{ "\xc5\x89", "xn--n-y6a" },
	{ "\xcd\x80", NULL },
	{ "\xcd\xbe", ";" },
	{ "\xc2\xb7", "xn--uba" },
	{ "\xc2\xb5", "xn--xxa" },
	{ "\xc2\xbc", "xn--14-c6t" },
	{ "\xd6\x87", "xn--29a2d" },
	{ "\xdb\xa9", "xn--5lb" },
	{ "a\xe3\x80\x80" "b", NULL },
	{ "\xef\xbc\xa1\xef\xbc\xa2", "ab" },
	{ "\xe2\x80\xa4", NULL },
	{ "\xe2\x81\x84", "xn--mwg" },
	{ "\xe2\x80\x8b", "" },
	{ "\xe2\x81\xa0", "" },
	{ "\xef\xb8\x8f", "" },
	{ "\xee\x80\x80" "1", NULL },
	{ "\xc3\x80", "xn--0ca" },
	{ "\xe1\xb8\x80", "xn--2fg" },
	{ "\xd0\x80", "xn--51a" },
	{ "\xd4\xb1", "xn--y9a" },
	{ "a.08a", "a.08a" },
	{ "localhost..", "localhost.." },
	{ "localhost.x", "localhost.x" },
	{ "loc\xd0\xb0lhost", "xn--loclhost-36g" },
	{ "local\xc2\xadhost", "localhost" },
	{ "\xef\xbc\xac\xef\xbc\xaf\xef\xbc\xa3\xef\xbc\xa1\xef"
	    "\xbc\xac\xef\xbc\xa8\xef\xbc\xaf\xef\xbc\xb3\xef\xbc\xb4",
	    "localhost" },
};

static void
decode(const char *in, const uint32_t *want, size_t wn)
{
	uint32_t	 out[64];
	size_t		 n = 0;
	int		 rc;

	rc = idna_punycode_decode(in, strlen(in), out, &n);
	ok(rc == 0 && n == wn && memcmp(out, want, n * sizeof(*out)) == 0,
	    "decode \"%s\" (got %d, %zu code points)", in, rc, n);
}

static void
encode(const uint32_t *in, size_t n, const char *want)
{
	struct buf	 b = { 0 };
	int		 rc;

	rc = idna_punycode_encode(in, n, &b);
	ok(rc == 0 && buf_used(&b) == strlen(want) &&
	    memcmp(buf_data(&b), want, buf_used(&b)) == 0,
	    "encode -> \"%s\" (got %d \"%.*s\")", want, rc,
	    (int)buf_used(&b), buf_data(&b));
	buf_free(&b);
}

static void
bad_decode(const char *in)
{
	uint32_t	 out[64];
	size_t		 n;

	ok(idna_punycode_decode(in, strlen(in), out, &n) == -1,
	    "decode \"%s\" fails", in);
}

int
main(void)
{
	/* RFC 3492 7.1 (A), (B) and (L). */
	static const uint32_t arabic[] = {
		0x644, 0x64a, 0x647, 0x645, 0x627, 0x628, 0x62a, 0x643,
		0x644, 0x645, 0x648, 0x634, 0x639, 0x631, 0x628, 0x64a, 0x61f
	};
	static const uint32_t chinese[] = {
		0x4ed6, 0x4eec, 0x4e3a, 0x4ec0, 0x4e48, 0x4e0d, 0x8bf4, 0x4e2d,
		0x6587
	};
	static const uint32_t kinpachi[] = {
		'3', 0x5e74, 'B', 0x7d44, 0x91d1, 0x516b, 0x5148, 0x751f
	};
	static const uint32_t umlaut[] = { 0xfc };
	static const uint32_t a[] = { 'a' };
	struct buf	 out = { 0 };
	size_t		 i;
	int		 rc;

	diag("Punycode");
	decode("egbpdaj6bu4bxfgehfvwxn", arabic, 17);
	encode(arabic, 17, "egbpdaj6bu4bxfgehfvwxn");
	decode("ihqwcrb4cv8a8dqg056pqjye", chinese, 9);
	encode(chinese, 9, "ihqwcrb4cv8a8dqg056pqjye");
	decode("3B-ww4c5e180e575a65lsy2b", kinpachi, 8);
	encode(kinpachi, 8, "3B-ww4c5e180e575a65lsy2b");
	decode("TDA", umlaut, 1);
	encode(umlaut, 1, "tda");
	decode("a-", a, 1);
	decode("", a, 0);
	bad_decode("-a");		/* a leading delimiter is a digit */
	bad_decode("-");
	bad_decode("a_");
	bad_decode("99999999999");	/* overflow */
	bad_decode("a-yyyyyyyyyyyy");	/* beyond U+10FFFF */
	bad_decode("9");		/* ends inside a number */
	bad_decode("\xc3\xbc-tda");	/* non-ASCII basic code point */

	diag("idna_to_ascii, as the reference");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&out);
		rc = idna_to_ascii(cases[i].in, strlen(cases[i].in), &out);
		if (cases[i].out == NULL)
			ok(rc == -1, "\"%s\" is invalid (got %d \"%.*s\")",
			    cases[i].in, rc, (int)buf_used(&out),
			    buf_data(&out));
		else
			ok(rc == 0 && buf_used(&out) == strlen(cases[i].out) &&
			    memcmp(buf_data(&out), cases[i].out,
			    buf_used(&out)) == 0, "\"%s\" -> \"%s\" (got %d "
			    "\"%.*s\")", cases[i].in, cases[i].out, rc,
			    (int)buf_used(&out), buf_data(&out));
	}
	buf_free(&out);
	return done_testing();
}
