/*
 * envpol_test.c: environment building and envPolicy, in the order the
 * reference applies it (inherit, default excludes, exclude, set,
 * includeOnly), and wildmatch-style patterns.
 */
#include <stdio.h>
#include <string.h>

#include "proc/envpol.h"
#include "tap.h"

/* The envp as one string, entries separated by spaces. */
static const char *
join(char **envp)
{
	static char	 s[4096];
	size_t		 n = 0;

	s[0] = '\0';
	for (; envp != NULL && *envp != NULL; envp++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%s",
		    n ? " " : "", *envp);
	return s;
}

static void
policy(const char *what, int inherit, int ignore, const char *const *ex,
    const char *const *set, const char *const *inc, const char *want)
{
	static char	*env[] = { "PATH=/bin", "HOME=/h", "FOO=1",
	    "MY_API_KEY=k", "a_secret=s", "Token_X=t", "LANG=C", "NOEQUALS",
	    "USER=u", NULL };
	struct envpol_env e = { 0 };
	struct envpol	 pol;
	const char	*got;

	memset(&pol, 0, sizeof(pol));
	pol.inherit = inherit;
	pol.ignore_default_excludes = ignore;
	pol.exclude = ex;
	pol.set = set;
	pol.include_only = inc;
	envpol_apply(&e, &pol, env);
	got = join(envpol_finish(&e));
	ok(strcmp(got, want) == 0, "%s: \"%s\" (got \"%s\")", what, want, got);
	envpol_free(&e);
}

int
main(void)
{
	static const char *const none[] = { NULL };
	static const char *const ex1[] = { "path", "h?me", NULL };
	static const char *const set1[] = { "MY_TOKEN", "s", "PATH", "/x",
	    NULL };
	static const char *const inc1[] = { "*a*", NULL };
	struct envpol_env e = { 0 };

	diag("patterns, policies, then the environment itself");
	ok(envpol_match("*KEY*", "MY_API_KEY", 10), "*KEY* matches MY_API_KEY");
	ok(envpol_match("*key*", "MY_API_KEY", 10), "case-insensitive");
	ok(envpol_match("*KEY*", "KEY", 3), "* matches empty");
	ok(!envpol_match("*KEY*", "KE", 2), "*KEY* does not match KE");
	ok(envpol_match("X?Z", "XYZ", 3), "? matches one");
	ok(!envpol_match("X?Z", "XZ", 2), "? needs one");
	ok(!envpol_match("X?Z", "XYYZ", 4), "? matches only one");
	ok(envpol_match("X?Z", "X\xc3\xa9Z", 4), "? matches one UTF-8 character");
	ok(envpol_match("a*b*c", "aXXbYYc", 7), "two stars");
	ok(!envpol_match("a*b*c", "aXXbYY", 6), "two stars, no match");
	ok(envpol_match("*", "", 0), "* matches the empty name");
	ok(!envpol_match("", "A", 1), "empty pattern matches only empty");
	ok(envpol_match("PATH", "PATH", 4), "literal");
	ok(!envpol_match("PATH", "PATHS", 5), "whole name");

	policy("none", ENVPOL_NONE, 0, none, NULL, none, "");
	policy("core", ENVPOL_CORE, 0, none, NULL, none,
	    "HOME=/h LANG=C PATH=/bin USER=u");
	policy("all, default excludes", ENVPOL_ALL, 0, none, NULL, none,
	    "FOO=1 HOME=/h LANG=C PATH=/bin USER=u");
	policy("all, no default excludes", ENVPOL_ALL, 1, none, NULL, none,
	    "FOO=1 HOME=/h LANG=C MY_API_KEY=k PATH=/bin Token_X=t USER=u "
	    "a_secret=s");
	policy("exclude, then set", ENVPOL_ALL, 0, ex1, set1, none,
	    "FOO=1 LANG=C MY_TOKEN=s PATH=/x USER=u");
	policy("includeOnly filters set too", ENVPOL_ALL, 0, none, set1, inc1,
	    "LANG=C PATH=/x");

	envpol_set(&e, "B", 1, "2", 1);
	envpol_set(&e, "A=B", 3, "c", 1);
	envpol_set(&e, "a", 1, "3", 1);
	envpol_set(&e, "B", 1, "4", 1);
	envpol_set(&e, "", 0, "x", 1);
	ok(strcmp(join(envpol_finish(&e)), "=x A=B=c B=4 a=3") == 0,
	    "set replaces, keys sort bytewise: %s", join(e.envp));
	ok(envpol_get(&e, "A") == NULL, "A=B is not A");
	ok(strcmp(envpol_get(&e, "A=B"), "c") == 0, "A=B is A=B");
	envpol_unset(&e, "B");
	ok(strcmp(join(envpol_finish(&e)), "=x A=B=c a=3") == 0, "unset");
	envpol_free(&e);
	return done_testing();
}
