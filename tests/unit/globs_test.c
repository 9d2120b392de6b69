/*
 * globs_test.c: the one-component glob matcher of the sandbox's deny
 * globs, by example, and against the C library's fnmatch(3) (no flags)
 * on every pattern and name of a small alphabet where the two agree by
 * definition (no backslash inside a class, no POSIX class).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "sandbox/globs.h"
#include "tap.h"

static void
examples(void)
{
	static const struct {
		const char	*p, *s;
		int		 want;
	} v[] = {
		{ "", "", 1 }, { "", "a", 0 }, { "a", "", 0 },
		{ "*", "", 1 }, { "*", ".env", 1 }, { "*.pem", "key.pem", 1 },
		{ "*.pem", "key.pem.bak", 0 }, { "a*b*c", "aXbYc", 1 },
		{ "a*b*c", "aXbY", 0 }, { "**", "x", 1 }, { "?", "", 0 },
		{ "??", "ab", 1 }, { "?", "ab", 0 }, { "[ab]", "b", 1 },
		{ "[ab]", "c", 0 }, { "[!ab]", "c", 1 }, { "[^ab]", "a", 0 },
		{ "[a-c]x", "bx", 1 }, { "[a-c]x", "dx", 0 }, { "[]]", "]", 1 },
		{ "[!]]", "]", 0 }, { "[a-]", "-", 1 }, { "[-a]", "-", 1 },
		{ "[", "[", 1 }, { "[a", "[a", 1 }, { "[a", "a", 0 },
		{ "\\*", "*", 1 }, { "\\*", "a", 0 }, { "a\\", "a\\", 1 },
		{ "[\\]]", "]", 1 }, { "[a\\-z]", "-", 1 }, { "[a\\-z]", "b", 0 },
		{ "*\xc3\xa9", "caf\xc3\xa9", 1 }, { "[\x80-\xff]*", "\xc3\xa9", 1 },
		{ "*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ok(globs_match(v[i].p, v[i].s) == v[i].want,
		    "\"%s\" %s \"%s\"", v[i].p, v[i].want ? "matches" :
		    "does not match", v[i].s);
}

/* Every string over alphabet of length 0..max, as the k-th string. */
static void
nth(char *out, const char *alpha, size_t k)
{
	size_t	 na = strlen(alpha), n = 0;

	while (k > 0) {
		k--;
		out[n++] = alpha[k % na];
		k /= na;
	}
	out[n] = '\0';
}

static void
oracle(void)
{
	static const char	 pa[] = "a*?[]!-b", sa[] = "ab-]!";
	char			 p[16], s[16];
	size_t			 i, j, bad = 0, n = 0;

	/* Patterns and names up to 4 symbols. */
	for (i = 0; i < 4681; i++) {
		nth(p, pa, i);
		for (j = 0; j < 781; j++) {
			nth(s, sa, j);
			n++;
			if (globs_match(p, s) != (fnmatch(p, s, 0) == 0)) {
				if (bad++ < 5)
					diag("\"%s\" on \"%s\": %d, fnmatch %d",
					    p, s, globs_match(p, s),
					    fnmatch(p, s, 0) == 0);
			}
		}
	}
	ok(bad == 0, "the same answer as fnmatch(3) for %zu pattern and name "
	    "pairs (%zu differ)", n, bad);
}

int
main(void)
{
	examples();
	oracle();
	return done_testing();
}
