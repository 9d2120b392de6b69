/*
 * toml_test.c: the TOML reader and the toml-crate-style writer behind
 * environmentConfig/read.  Expected texts were produced by the reference
 * (codex 0.169.0) from the same inputs.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "compat/toml.h"
#include "compat/tomlout.h"

/* Select the NUL-separated, "|"-ended key paths of spec from doc. */
static int
sel(const char *doc, const char *spec, const char *want)
{
	struct tval	*t;
	struct tpath	 p[16];
	const char	*seg[16][8];
	size_t		 len[16][8], np = 0, n = 0;
	struct buf	 err = { 0 }, out = { 0 };
	const char	*s = spec, *e;
	int		 ok;

	while (*s != '\0') {
		e = strpbrk(s, ".|");
		seg[np][n] = s;
		len[np][n] = (size_t)(e - s);
		n++;
		if (*e == '|') {
			p[np].seg = seg[np];
			p[np].len = len[np];
			p[np].n = n;
			np++;
			n = 0;
		}
		s = e + 1;
	}
	if ((t = toml_parse(doc, strlen(doc), &err)) == NULL) {
		diag("parse: %.*s", (int)buf_used(&err), buf_data(&err));
		buf_free(&err);
		return 0;
	}
	tomlout_select(t, p, np, &out);
	buf_addc(&out, '\0');
	ok = strcmp(buf_data(&out), want) == 0;
	if (!ok)
		diag("got:\n%s\nwant:\n%s", buf_data(&out), want);
	toml_free(t);
	buf_free(&out);
	buf_free(&err);
	return ok;
}

static int
bad(const char *doc, const char *want)
{
	struct buf	 err = { 0 };
	struct tval	*t;
	int		 ok;

	t = toml_parse(doc, strlen(doc), &err);
	buf_addc(&err, '\0');
	ok = t == NULL && strncmp(buf_data(&err), want, strlen(want)) == 0;
	if (!ok)
		diag("error: %s", t == NULL ? buf_data(&err) : "(parsed)");
	toml_free(t);
	buf_free(&err);
	return ok;
}

static const char cfg[] =
    "# comment\n"
    "model = \"gpt-x\"\n"
    "other = 5\n"
    "\n"
    "[features]\n"
    "foo = true\n"
    "bar = \"b\"\n"
    "\n"
    "[profiles.p1]\n"
    "model = \"o3\"\n";

int
main(void)
{
	char	 huge[6 + 299 + 4];

	ok(sel(cfg, "model|features.foo|",
	    "model = \"gpt-x\"\n\n[features]\nfoo = true\n"),
	    "a key and a nested key, in file order");
	ok(sel(cfg, "profiles.p1.model|model|",
	    "model = \"gpt-x\"\n\n[profiles.p1]\nmodel = \"o3\"\n"),
	    "request order does not matter; empty parents get no header");
	ok(sel(cfg, "features|", "[features]\nfoo = true\nbar = \"b\"\n"),
	    "a whole table");
	ok(sel(cfg, "nonexist|", ""), "nothing selected, nothing written");
	ok(sel(cfg, "features.nope|", "[features]\n"),
	    "tables on the way are kept, even empty");
	ok(sel("a = 1\nb = 2\n", "b|a|", "a = 1\nb = 2\n"),
	    "file order wins");
	ok(sel("zz = 1\naa = 2\n", "zz|aa|", "zz = 1\naa = 2\n"),
	    "insertion order, not sorted");
	ok(sel("inl = { k = \"v\", n = { m = 1 } }\n", "inl|",
	    "[inl]\nk = \"v\"\n\n[inl.n]\nm = 1\n"),
	    "inline tables become sections");
	ok(sel("dotted.a.b = 1\ndotted.c = 2\n", "dotted|",
	    "[dotted]\nc = 2\n\n[dotted.a]\nb = 1\n"),
	    "dotted keys: values first, then sub-tables");
	ok(sel("x = [{a = 1}, {a = 2}]\ny = [[1], [2]]\n", "x|y|",
	    "y = [[1], [2]]\n\n[[x]]\na = 1\n\n[[x]]\na = 2\n"),
	    "arrays of tables as [[x]]");
	ok(sel("[[aot]]\nname = \"one\"\n[[aot]]\nname = \"two\"\n[aot.sub]\n"
	    "q = 1\n", "aot.name|",
	    "[[aot]]\nname = \"one\"\n\n[[aot]]\nname = \"two\"\n\n"
	    "[aot.sub]\nq = 1\n"),
	    "a path into an array keeps the whole array");
	ok(sel("arr = [1, 'b', [2], {x = 1}]\ne = []\n", "arr|e|",
	    "arr = [1, \"b\", [2], { x = 1 }]\ne = []\n"),
	    "inline arrays and tables inside them");
	ok(sel("s1 = \"it's\"\ns2 = \"a\\\\b'c\"\ns3 = \"l1\\nl2\\\\\"\n"
	    "s4 = \"ends'\"\ns5 = \"a'''b\\\\\"\ns6 = \"tab\\tonly\"\n"
	    "\"quoted key\" = 'lit\\eral'\n",
	    "s1|s2|s3|s4|s5|s6|quoted key|",
	    "s1 = \"it's\"\ns2 = '''a\\b'c'''\ns3 = '''\nl1\nl2\\'''\n"
	    "s4 = \"ends'\"\ns5 = \"a'''b\\\\\"\ns6 = \"tab\\tonly\"\n"
	    "\"quoted key\" = 'lit\\eral'\n"),
	    "strings: literal when a backslash and no control character");
	ok(sel("esc = \"\\u00e9 \\u0001 \\\"q\\\"\"\nm = \"\"\"\nl1\nl2\"\"\"\n",
	    "esc|m|", "esc = \"\xc3\xa9 \\u0001 \\\"q\\\"\"\n"
	    "m = \"\"\"\nl1\nl2\"\"\"\n"),
	    "strings: escapes, multi-line basic");
	ok(sel("h = 0xff\no = 0o17\nb = 0b101\nu = 1_000\np = +7\nn = -5\n",
	    "h|o|b|u|p|n|", "h = 255\no = 15\nb = 5\nu = 1000\np = 7\nn = -5\n"),
	    "integers in decimal");
	ok(sel("a = 3.14\nb = 1e10\nc = -0.0\nd = inf\ne = -inf\nf = nan\n"
	    "g = 1.5e300\nh = 1e-7\ni = 100.0\n", "a|b|c|d|e|f|h|i|",
	    "a = 3.14\nb = 10000000000.0\nc = -0.0\nd = inf\ne = -inf\n"
	    "f = nan\nh = 0.0000001\ni = 100.0\n"),
	    "floats as Rust prints them");
	memset(huge, '0', sizeof(huge));
	memcpy(huge, "g = 15", 6);
	memcpy(huge + 6 + 299, ".0\n", 4);
	ok(sel("g = 1.5e300\n", "g|", huge), "huge floats have no exponent");
	ok(sel("d1 = 1979-05-27 07:32:00+01:00\nd2 = 1979-05-27t07:32:00z\n"
	    "d3 = 1979-05-27\nd4 = 07:32:00.5\n", "d1|d2|d3|d4|",
	    "d1 = 1979-05-27T07:32:00+01:00\nd2 = 1979-05-27T07:32:00Z\n"
	    "d3 = 1979-05-27\nd4 = 07:32:00.5\n"),
	    "date-times");
	ok(sel("[empty]\n[parent.child]\nk = 1\n[parent]\nv = 2\n",
	    "empty|parent|", "[empty]\n\n[parent]\nv = 2\n\n[parent.child]\n"
	    "k = 1\n"), "an empty table keeps its header");
	ok(sel("arr = [\n  1, # one\n  2,\n]\n", "arr|", "arr = [1, 2]\n"),
	    "multi-line arrays with comments and a trailing comma");
	ok(bad("bad = = toml\n", "1:7: "), "error position");
	ok(bad("a = 1\na = 2\n", "2:"), "duplicate key");
	ok(bad("[t]\n[t]\n", "2:"), "table defined twice");
	ok(bad("a = \"unterminated\n", "1:"), "unterminated string");
	ok(bad("a = 99999999999999999999\n", "1:"), "integer overflow");
	ok(bad("x = {a = 1}\n[x]\n", "2:"), "inline tables are closed");
	return done_testing();
}
