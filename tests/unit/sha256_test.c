/*
 * sha256_test.c: SHA-256 against the FIPS 180-4 example vectors and
 * messages around the padding boundaries, incremental hashing split at
 * every offset, and HMAC-SHA256 against the seven RFC 4231 test cases.
 */
#include <stdio.h>
#include <string.h>

#include "base/sha256.h"
#include "tap.h"

static void
hex(const uint8_t *d, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
vectors(void)
{
	static const struct {
		const char	*in;
		size_t		 repeat;
		const char	*want;
	} v[] = {
		{ "abc", 1, "ba7816bf8f01cfea414140de5dae2223"
		    "b00361a396177a9cb410ff61f20015ad" },
		{ "", 1, "e3b0c44298fc1c149afbf4c8996fb924"
		    "27ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    1, "248d6a61d20638b8e5c026930c3e6039"
		    "a33ce45964ff2167f6ecedd419db06c1" },
		{ "a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
		    "f1809a48a497200e046d39ccc7112cd0" },
		{ "0123456701234567012345670123456701234567012345670123456701234567",
		    10, "594847328451bdfa85056225462cc1d8"
		    "67d877fb388df0ce35f25ab5562bfbb5" },
	};
	struct sha256	 s;
	uint8_t		 d[SHA256_LEN];
	char		 got[2 * SHA256_LEN + 1];
	size_t		 i, r;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256_init(&s);
		for (r = 0; r < v[i].repeat; r++)
			sha256_update(&s, v[i].in, strlen(v[i].in));
		sha256_final(&s, d);
		hex(d, SHA256_LEN, got);
		ok(strcmp(got, v[i].want) == 0, "vector %zu (\"%.10s\" x %zu): "
		    "%s", i, v[i].in, v[i].repeat, got);
	}
}

/* n 'x' bytes, around the 55/56/64-byte padding boundaries. */
static void
boundaries(void)
{
	static const struct {
		size_t		 n;
		const char	*want;
	} v[] = {
		{ 55, "d5e285683cd4efc02d021a5c62014694"
		    "958901005d6f71e89e0989fac77e4072" },
		{ 56, "04c26261370ee7541549d16dee320c72"
		    "3e3fd14671e66a099afe0a377c16888e" },
		{ 57, "ae14a2563ccf969d99aca69ce6bb7498"
		    "1f734bbf9f655f73b8f06db68cab5217" },
		{ 63, "75220b47218278e656f2013bb8f0c455"
		    "a25eaf01e86c64924e9d48d89776d6f2" },
		{ 64, "7ce100971f64e7001e8fe5a51973ecdf"
		    "e1ced42befe7ee8d5fd6219506b5393c" },
		{ 65, "9537c5fdf120482f7d58d25e9ed583f5"
		    "2c02b4e304ea814db1633ad565aed7e9" },
		{ 119, "000b48d4edf0fa7bee3c6236ecd2785b"
		    "aa5db4eeb8bb54341b029e0d9fa5fb0c" },
		{ 120, "13f05a0b594787f5ecd315edc96141bd"
		    "3243203d1b7d4f0836f37308b276ba98" },
	};
	char		 x[128], got[2 * SHA256_LEN + 1];
	uint8_t		 d[SHA256_LEN];
	size_t		 i;

	memset(x, 'x', sizeof(x));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256(x, v[i].n, d);
		hex(d, SHA256_LEN, got);
		ok(strcmp(got, v[i].want) == 0, "%zu bytes: %s", v[i].n, got);
	}
}

/* Split a 200-byte message at every offset: the same digest. */
static void
splits(void)
{
	struct sha256	 s;
	uint8_t		 m[200], whole[SHA256_LEN], d[SHA256_LEN];
	size_t		 i, bad = 0;

	for (i = 0; i < sizeof(m); i++)
		m[i] = (uint8_t)(i * 7 + 3);
	sha256(m, sizeof(m), whole);
	for (i = 0; i <= sizeof(m); i++) {
		sha256_init(&s);
		sha256_update(&s, m, i);
		sha256_update(&s, m + i, sizeof(m) - i);
		sha256_final(&s, d);
		if (memcmp(d, whole, sizeof(d)) != 0)
			bad++;
	}
	ok(bad == 0, "split at each of 201 offsets: the same digest (%zu "
	    "differ)", bad);
}

static void
hmac(void)
{
	static const char tc7[] = "This is a test using a larger than "
	    "block-size key and a larger than block-size data. The key needs "
	    "to be hashed before being used by the HMAC algorithm.";
	uint8_t		 key[131], data[50], d[SHA256_LEN];
	char		 got[2 * SHA256_LEN + 1];
	size_t		 i;

	memset(key, 0x0b, 20);
	sha256_hmac(key, 20, "Hi There", 8, d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7") == 0, "RFC 4231 case 1: %s",
	    got);
	sha256_hmac("Jefe", 4, "what do ya want for nothing?", 28, d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843") == 0, "RFC 4231 case 2: %s",
	    got);
	memset(key, 0xaa, 20);
	memset(data, 0xdd, 50);
	sha256_hmac(key, 20, data, 50, d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe") == 0, "RFC 4231 case 3: %s",
	    got);
	for (i = 0; i < 25; i++)
		key[i] = (uint8_t)(i + 1);
	memset(data, 0xcd, 50);
	sha256_hmac(key, 25, data, 50, d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "82558a389a443c0ea4cc819899f2083a"
	    "85f0faa3e578f8077a2e3ff46729665b") == 0, "RFC 4231 case 4: %s",
	    got);
	memset(key, 0x0c, 20);
	sha256_hmac(key, 20, "Test With Truncation", 20, d);
	hex(d, 16, got);
	ok(strcmp(got, "a3b6167473100ee06e0c796c2955552b") == 0,
	    "RFC 4231 case 5 (128 bits): %s", got);
	memset(key, 0xaa, 131);
	sha256_hmac(key, 131, "Test Using Larger Than Block-Size Key - Hash "
	    "Key First", 54, d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54") == 0, "RFC 4231 case 6: %s",
	    got);
	sha256_hmac(key, 131, tc7, strlen(tc7), d);
	hex(d, SHA256_LEN, got);
	ok(strcmp(got, "9b09ffa71b942fcb27635fbcd5b0e944"
	    "bfdc63644f0713938a7f51535c3a35e2") == 0, "RFC 4231 case 7: %s",
	    got);
}

int
main(void)
{
	diag("SHA-256, FIPS 180-4");
	vectors();
	boundaries();
	splits();
	diag("HMAC-SHA256, RFC 4231");
	hmac();
	return done_testing();
}
