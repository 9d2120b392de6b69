/*
 * sha1_test.c: SHA-1 against the RFC 3174 / FIPS 180 test vectors, and
 * incremental hashing split at every offset.
 */
#include <stdio.h>
#include <string.h>

#include "base/sha1.h"
#include "tap.h"

static void
hex(const uint8_t *d, char out[2 * SHA1_LEN + 1])
{
	int	 i;

	for (i = 0; i < SHA1_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
oneshot(const void *p, size_t n, char out[2 * SHA1_LEN + 1])
{
	struct sha1	 s;
	uint8_t		 d[SHA1_LEN];

	sha1_init(&s);
	sha1_update(&s, p, n);
	sha1_final(&s, d);
	hex(d, out);
}

static void
vectors(void)
{
	static const struct {
		const char	*in;
		size_t		 repeat;
		const char	*want;
	} v[] = {
		{ "abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
		{ "a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
		{ "", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "0123456701234567012345670123456701234567012345670123456701234567",
		    10, "dea356a2cddd90c7a7ecedc5ebb563934f460452" },
		{ "The quick brown fox jumps over the lazy dog", 1,
		    "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12" },
	};
	struct sha1	 s;
	uint8_t		 d[SHA1_LEN];
	char		 got[2 * SHA1_LEN + 1];
	size_t		 i, r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha1_init(&s);
		for (r = 0; r < v[i].repeat; r++)
			sha1_update(&s, v[i].in, strlen(v[i].in));
		sha1_final(&s, d);
		hex(d, got);
		ok(strcmp(got, v[i].want) == 0, "vector %zu (\"%.10s\" x %zu): %s",
		    i, v[i].in, v[i].repeat, got);
	}
}

/* Messages around the 55/56/64-byte padding boundaries (n 'x' bytes). */
static void
boundaries(void)
{
	static const struct {
		size_t		 n;
		const char	*want;
	} v[] = {
		{ 55, "cef734ba81a024479e09eb5a75b6ddae62e6abf1" },
		{ 56, "901305367c259952f4e7af8323f480d59f81335b" },
		{ 57, "025ecbd5d70f8fb3c5457cd96bab13fda305dc59" },
		{ 63, "0ddc4e0cccd9a12850deb5abb0853a4425559fec" },
		{ 64, "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163" },
		{ 65, "78c741ddc482e4cdf8c474a0876347a0905b6233" },
		{ 119, "4300320394f7ee239bcdce7d3b8bcee173a0cd5c" },
		{ 120, "ceb2821639c4b6dcb10bce0e522ca2e608ce056d" },
		{ 128, "150fa3fbdc899bd0b8f95a9fb6027f564d953762" },
	};
	char	 a[128], got[2 * SHA1_LEN + 1];
	size_t	 i;

	memset(a, 'x', sizeof(a));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		oneshot(a, v[i].n, got);
		ok(strcmp(got, v[i].want) == 0, "%zu x 'x': %s", v[i].n, got);
	}
}

static void
splits(void)
{
	uint8_t		 msg[200], d[SHA1_LEN];
	char		 want[2 * SHA1_LEN + 1], got[2 * SHA1_LEN + 1];
	struct sha1	 s;
	size_t		 i, j, bad;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	oneshot(msg, sizeof(msg), want);
	ok(strcmp(want, "892b673ca3c696ab13ab8aab3cf3abfbc3aaeb3b") == 0,
	    "200-byte message one-shot");
	bad = 0;
	for (i = 0; i <= sizeof(msg); i++) {
		sha1_init(&s);
		sha1_update(&s, msg, i);
		sha1_update(&s, msg + i, sizeof(msg) - i);
		sha1_final(&s, d);
		hex(d, got);
		if (strcmp(got, want) != 0) {
			diag("split at %zu: %s != %s", i, got, want);
			bad++;
		}
	}
	ok(bad == 0, "two-part updates split at every offset of 200 bytes");

	/* Byte by byte, and three parts. */
	sha1_init(&s);
	for (i = 0; i < sizeof(msg); i++)
		sha1_update(&s, msg + i, 1);
	sha1_final(&s, d);
	hex(d, got);
	ok(strcmp(got, want) == 0, "byte-at-a-time update");
	bad = 0;
	for (i = 0; i <= sizeof(msg); i += 3)
		for (j = i; j <= sizeof(msg); j += 5) {
			sha1_init(&s);
			sha1_update(&s, msg, i);
			sha1_update(&s, msg + i, j - i);
			sha1_update(&s, msg + j, sizeof(msg) - j);
			sha1_final(&s, d);
			hex(d, got);
			if (strcmp(got, want) != 0)
				bad++;
		}
	ok(bad == 0, "three-part updates");

	/* Every prefix length 0..200: one-shot equals byte-by-byte. */
	bad = 0;
	for (i = 0; i <= sizeof(msg); i++) {
		oneshot(msg, i, want);
		sha1_init(&s);
		for (j = 0; j < i; j++)
			sha1_update(&s, msg + j, 1);
		sha1_final(&s, d);
		hex(d, got);
		if (strcmp(got, want) != 0)
			bad++;
	}
	ok(bad == 0, "every length 0..200, one-shot == byte-by-byte");
}

int
main(void)
{
	vectors();
	boundaries();
	splits();
	return done_testing();
}
