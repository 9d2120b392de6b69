/*
 * json_test.c: unit tests for src/json.c.
 *
 * Every input is parsed from an exact-size heap copy so that ASan or
 * valgrind catch any read past len.  Error messages are checked against
 * serde_json's wording and line/column convention.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "base/lim.h"
#include "tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define E_EOF		JSON_ERR_EOF
#define E_SYN		JSON_ERR_SYNTAX

struct t {
	struct json_doc	 d;
	char		*mem;
	int		 rc;
};

#define TP(t, lit)	tparse(t, lit, sizeof(lit) - 1)

static int
tparse(struct t *t, const void *s, size_t n)
{
	if ((t->mem = malloc(n ? n : 1)) == NULL)
		abort();
	memcpy(t->mem, s, n);
	t->rc = json_parse(&t->d, t->mem, n);
	return t->rc;
}

static void
tfree(struct t *t)
{
	json_doc_free(&t->d);
	free(t->mem);
	t->mem = NULL;
}

/* Printable rendering of an input for test names. */
static const char *
show(const char *s, size_t n)
{
	static char	 out[4][96];
	static int	 k;
	char		*o = out[k++ & 3];
	size_t		 i, j = 0;
	unsigned char	 c;

	for (i = 0; i < n && j < sizeof(out[0]) - 8; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			o[j++] = (char)c;
		else
			j += (size_t)snprintf(o + j, 8, "\\x%02x", c);
	}
	if (i < n)
		j += (size_t)snprintf(o + j, 8, "...");
	o[j] = '\0';
	return o;
}

/*
 * Structural invariants of a parsed document: offsets in range, `next`
 * and `size` consistent with the children, keys are strings, token
 * boundaries land on the right bytes.  Returns 1 when all hold.
 */
static int
check_tree(const struct json_doc *d)
{
	const struct json_tok	*t, *c;
	uint32_t		 i, j, k, n;

	if (d->ntok == 0 || d->tok[0].next != d->ntok)
		return 0;
	for (i = 0; i < d->ntok; i++) {
		t = &d->tok[i];
		if (t->start >= t->end || t->end > d->len || t->next <= i ||
		    t->next > d->ntok)
			return 0;
		switch (t->type) {
		case JSON_STRING:
			if (d->p[t->start] != '"' || d->p[t->end - 1] != '"' ||
			    t->end - t->start < 2)
				return 0;
			/* FALLTHROUGH */
		case JSON_NULL: case JSON_TRUE: case JSON_FALSE:
			if (t->next != i + 1 || t->size != 0)
				return 0;
			break;
		case JSON_NUMBER:
			if (t->next != i + 1)
				return 0;
			n = 0;
			for (j = t->start; j < t->end; j++)
				if (memchr(".eE", d->p[j], 3) != NULL)
					n = 1;
			if (t->isint != !n)
				return 0;
			break;
		case JSON_ARRAY:
		case JSON_OBJECT:
			if (d->p[t->start] != (t->type == JSON_ARRAY ? '[' :
			    '{') || d->p[t->end - 1] != (t->type ==
			    JSON_ARRAY ? ']' : '}'))
				return 0;
			for (j = i + 1, k = 0; k < t->size; k++) {
				if (j >= t->next)
					return 0;
				c = &d->tok[j];
				if (c->start <= t->start || c->end >= t->end)
					return 0;
				if (t->type == JSON_OBJECT) {
					if (c->type != JSON_STRING ||
					    c->next != j + 1 || j + 1 >= t->next)
						return 0;
					j++;
				}
				j = d->tok[j].next;
			}
			if (j != t->next)
				return 0;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

struct vec {
	const char	*s;
	size_t		 n;
};
#define V(s)	{ s, sizeof(s) - 1 }

static const struct vec accept[] = {
	V("[]"), V("{}"), V("[[]   ]"), V(" [] "), V("\t\n\r [1] \r\n\t"),
	V("[\"\"]"), V("[\"a\"]\n"), V("0"), V("-0"), V("1"), V("-1"),
	V("[0e+1]"), V("[0e1]"), V("[ 4]"), V("[-0.0e-0]"), V("[20e1]"),
	V("[-123]"), V("[1E22]"), V("[1E-2]"), V("[1E+2]"), V("[123e45]"),
	V("[123.456e78]"), V("[1e-2]"), V("[123.456789]"), V("[0.0]"),
	V("[-0.000000000000000000000000000000000000000000000000000001]"),
	V("123456789012345678901234567890"), V("1e400"), V("[1.5,2.25]"),
	V("true"), V("false"), V("null"), V("\"asd\""), V("[true]"),
	V("-0.1"), V("42"), V("{\"asd\":\"sdf\", \"dfg\":\"fgh\"}"),
	V("{\"a\":\"b\",\"b\":{\"a\":\"c\"}}"), V("{\"\":0}"),
	V("{\"foo\\u0000bar\": 42}"), V("[\"\\u0060\\u012a\\u12AB\"]"),
	V("[\"\\uD801\\udc37\"]"), V("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
	V("[\"\\\\u0000\"]"), V("[\"a/*b*/c/*d//e\"]"), V("[ \"asd\"]"),
	V("[\"\xef\xbf\xbf\"]"), V("[\"\\uDBFF\\uDFFF\"]"),
	V("[\"\\uDBFF\\uDFFE\"]"), V("[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]"),
	V("[\"a\x7f" "a\"]"), V("[\"\xf4\x8f\xbf\xbf\"]"),
	V("[\"\xef\xb7\x90\"]"), V("[\"\\u0000\"]"), V("[\"\\uFFFF\"]"),
	V("[\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80"
	    "\xf0\x90\x80\x80\"]"),
	V("{\"a\":[1,{\"b\":null}],\"c\":{}}"), V("[[[[[]]]],{}]"),
	V("[\"\\/\"]"), V("\"\\u00e9\""), V("[1,2,3]"),
};

struct rej {
	const char	*s;
	size_t		 n;
	enum json_err	 err;
	const char	*msg;		/* NULL: any message */
};
#define R(s, e, m)	{ s, sizeof(s) - 1, e, m }

#define CTRL	"control character (\\u0000-\\u001F) found while parsing a string"

/* serde_json's message and position for each. */
static const struct rej reject_msg[] = {
	R("", E_EOF, "EOF while parsing a value at line 1 column 0"),
	R("   ", E_EOF, "EOF while parsing a value at line 1 column 3"),
	R("{not json", E_SYN, "key must be a string at line 1 column 2"),
	R("{\"id\":\"x\",\"method\":\"environment/status\"", E_EOF,
	    "EOF while parsing an object at line 1 column 39"),
	R("{\"id\":3,\"method\":\"environment/status\"} trailing", E_SYN,
	    "trailing characters at line 1 column 40"),
	R("\xff", E_SYN, "expected value at line 1 column 1"),
	R("\xc3\xa9", E_SYN, "expected value at line 1 column 1"),
	R("\xef\xbb\xbf[]", E_SYN, "expected value at line 1 column 1"),
	R("[1,]", E_SYN, "trailing comma at line 1 column 4"),
	R("[\"a\",]", E_SYN, "trailing comma at line 1 column 6"),
	R("{\"a\":1,}", E_SYN, "trailing comma at line 1 column 8"),
	R("[1,\n]", E_SYN, "trailing comma at line 2 column 1"),
	R("[01]", E_SYN, "invalid number at line 1 column 3"),
	R("01", E_SYN, "invalid number at line 1 column 2"),
	R("[00]", E_SYN, "invalid number at line 1 column 3"),
	R("[-01]", E_SYN, "invalid number at line 1 column 4"),
	R("[1.]", E_SYN, "invalid number at line 1 column 4"),
	R("[1.e1]", E_SYN, "invalid number at line 1 column 4"),
	R("[.1]", E_SYN, "expected value at line 1 column 2"),
	R("[-]", E_SYN, "invalid number at line 1 column 3"),
	R("-a", E_SYN, "invalid number at line 1 column 2"),
	R("--1", E_SYN, "invalid number at line 1 column 2"),
	R("-.", E_SYN, "invalid number at line 1 column 2"),
	R("-Infinity", E_SYN, "invalid number at line 1 column 2"),
	R("[1e]", E_SYN, "invalid number at line 1 column 4"),
	R("[1e+]", E_SYN, "invalid number at line 1 column 5"),
	R("1e", E_EOF, "EOF while parsing a value at line 1 column 2"),
	R("1e-", E_EOF, "EOF while parsing a value at line 1 column 3"),
	R("1.", E_EOF, "EOF while parsing a value at line 1 column 2"),
	R("1.5e", E_EOF, "EOF while parsing a value at line 1 column 4"),
	R("-", E_EOF, "EOF while parsing a value at line 1 column 1"),
	R("0x10", E_SYN, "trailing characters at line 1 column 2"),
	R("1e1.5", E_SYN, "trailing characters at line 1 column 4"),
	R("+1", E_SYN, "expected value at line 1 column 1"),
	R("NaN", E_SYN, "expected value at line 1 column 1"),
	R("True", E_SYN, "expected value at line 1 column 1"),
	R("'a'", E_SYN, "expected value at line 1 column 1"),
	R("tru", E_EOF, "EOF while parsing a value at line 1 column 3"),
	R("t", E_EOF, "EOF while parsing a value at line 1 column 1"),
	R("trux", E_SYN, "expected ident at line 1 column 4"),
	R("nulL", E_SYN, "expected ident at line 1 column 4"),
	R("[fals]", E_SYN, "expected ident at line 1 column 6"),
	R("truex", E_SYN, "trailing characters at line 1 column 5"),
	R("[\"\\x\"]", E_SYN, "invalid escape at line 1 column 4"),
	R("[\"\\a\"]", E_SYN, "invalid escape at line 1 column 4"),
	R("[\"\\U0041\"]", E_SYN, "invalid escape at line 1 column 4"),
	R("[\"\\uD800\"]", E_SYN,
	    "unexpected end of hex escape at line 1 column 9"),
	R("[\"\\uD800x\"]", E_SYN,
	    "unexpected end of hex escape at line 1 column 9"),
	R("[\"\\uD800\\n\"]", E_SYN,
	    "unexpected end of hex escape at line 1 column 10"),
	R("[\"\\uDC00\\uD800\"]", E_SYN,
	    "lone leading surrogate in hex escape at line 1 column 8"),
	R("[\"\\uDFFF\"]", E_SYN,
	    "lone leading surrogate in hex escape at line 1 column 8"),
	R("[\"\\uD800\\uD800\"]", E_SYN,
	    "lone leading surrogate in hex escape at line 1 column 14"),
	R("[\"\\uD800\\u0041\"]", E_SYN,
	    "lone leading surrogate in hex escape at line 1 column 14"),
	R("[\"\\u12G4\"]", E_SYN, "invalid escape at line 1 column 8"),
	R("[\"\\u00\"]", E_SYN, "invalid escape at line 1 column 8"),
	R("[\"\\uD800\\u1x\"]", E_SYN, "invalid escape at line 1 column 14"),
	R("\"\\u00\"", E_EOF, "EOF while parsing a string at line 1 column 6"),
	R("\"\\u1x", E_EOF, "EOF while parsing a string at line 1 column 5"),
	R("[\"\xc0\x80\"]", E_SYN,
	    "invalid unicode code point at line 1 column 5"),
	R("[\"\xed\xa0\x80\"]", E_SYN,
	    "invalid unicode code point at line 1 column 6"),
	R("[\"\xf4\x90\x80\x80\"]", E_SYN,
	    "invalid unicode code point at line 1 column 7"),
	R("[\"\xe2\x82\"]", E_SYN,
	    "invalid unicode code point at line 1 column 5"),
	R("[\"\xff\"]", E_SYN, "invalid unicode code point at line 1 column 4"),
	R("[\"a\xff" "bc\"]", E_SYN,
	    "invalid unicode code point at line 1 column 7"),
	R("{\"\x80\":1}", E_SYN,
	    "invalid unicode code point at line 1 column 4"),
	R("\"\xe2\x82", E_EOF, "EOF while parsing a string at line 1 column 3"),
	R("[\"\xff\t\"]", E_SYN, CTRL " at line 1 column 4"),
	R("[\"\xff\\q\"]", E_SYN, "invalid escape at line 1 column 5"),
	R("[\"\xff", E_EOF, "EOF while parsing a string at line 1 column 3"),
	R("[\"\t\"]", E_SYN, CTRL " at line 1 column 3"),
	R("[\"a\x00\"]", E_SYN, CTRL " at line 1 column 4"),
	R("[\"\x1f\"]", E_SYN, CTRL " at line 1 column 3"),
	R("[\"a\nb\"]", E_SYN, CTRL " at line 2 column 0"),
	R("[1 2]", E_SYN, "expected `,` or `]` at line 1 column 4"),
	R("[\"a\"\"b\"]", E_SYN, "expected `,` or `]` at line 1 column 5"),
	R("{\"a\" 1}", E_SYN, "expected `:` at line 1 column 6"),
	R("{\"a\":1,\"b\"}", E_SYN, "expected `:` at line 1 column 11"),
	R("{\"a\":1 \"b\":2}", E_SYN,
	    "expected `,` or `}` at line 1 column 8"),
	R("{,}", E_SYN, "key must be a string at line 1 column 2"),
	R("{1:2}", E_SYN, "key must be a string at line 1 column 2"),
	R("{\"a\":1,2}", E_SYN, "key must be a string at line 1 column 8"),
	R("[,1]", E_SYN, "expected value at line 1 column 2"),
	R("{\"a\":}", E_SYN, "expected value at line 1 column 6"),
	R("[1]]", E_SYN, "trailing characters at line 1 column 4"),
	R("[1]x", E_SYN, "trailing characters at line 1 column 4"),
	R("{\"a\":1}}", E_SYN, "trailing characters at line 1 column 8"),
	R("1 2", E_SYN, "trailing characters at line 1 column 3"),
	R("[1]\x00", E_SYN, "trailing characters at line 1 column 4"),
	R("\x00", E_SYN, "expected value at line 1 column 1"),
	R("\x0c[]", E_SYN, "expected value at line 1 column 1"),
	R("[\x0b]", E_SYN, "expected value at line 1 column 2"),
	R("\xc2\xa0[]", E_SYN, "expected value at line 1 column 1"),
	R("{\n  \"a\": x\n}", E_SYN, "expected value at line 2 column 8"),
	R("[\n\n  1\n  2]", E_SYN, "expected `,` or `]` at line 4 column 3"),
	R("[\n", E_EOF, "EOF while parsing a list at line 2 column 0"),
	R("[", E_EOF, "EOF while parsing a list at line 1 column 1"),
	R("[1", E_EOF, "EOF while parsing a list at line 1 column 2"),
	R("[1,", E_EOF, "EOF while parsing a value at line 1 column 3"),
	R("{", E_EOF, "EOF while parsing an object at line 1 column 1"),
	R("{\"a\"", E_EOF, "EOF while parsing an object at line 1 column 4"),
	R("{\"a\":", E_EOF, "EOF while parsing a value at line 1 column 5"),
	R("{\"a\":1", E_EOF, "EOF while parsing an object at line 1 column 6"),
	R("{\"a\":1,", E_EOF, "EOF while parsing a value at line 1 column 7"),
	R("\"abc", E_EOF, "EOF while parsing a string at line 1 column 4"),
	R("\"\\", E_EOF, "EOF while parsing a string at line 1 column 2"),
	R("\"\\uD800", E_EOF, "EOF while parsing a string at line 1 column 7"),
	R("\"\\uD800\\", E_EOF,
	    "EOF while parsing a string at line 1 column 8"),
	R("\"\\uD800\\u", E_EOF,
	    "EOF while parsing a string at line 1 column 9"),
	R("{\"a\":\n", E_EOF, "EOF while parsing a value at line 2 column 0"),
};

/* JSONTestSuite-style n_ cases: must fail, EOF or syntax as given. */
static const struct rej reject[] = {
	R("[1 true]", E_SYN, NULL), R("[\"\": 1]", E_SYN, NULL),
	R("[\"\"],", E_SYN, NULL), R("[1,,2]", E_SYN, NULL),
	R("[\"x\"]]", E_SYN, NULL), R("[\"x\"", E_EOF, NULL),
	R("[3[4]]", E_SYN, NULL), R("[   , \"\"]", E_SYN, NULL),
	R("[\"a\",\n4\n,1,", E_EOF, NULL), R("[*]", E_SYN, NULL),
	R("[1,\n1\n,1", E_EOF, NULL), R("[nul]", E_SYN, NULL),
	R("[tru]", E_SYN, NULL), R("[++1234]", E_SYN, NULL),
	R("[+1]", E_SYN, NULL), R("[+Inf]", E_SYN, NULL),
	R("[-1.0.]", E_SYN, NULL), R("[-2.]", E_SYN, NULL),
	R("[-NaN]", E_SYN, NULL), R("[.-1]", E_SYN, NULL),
	R("[.2e-3]", E_SYN, NULL), R("[0.1.2]", E_SYN, NULL),
	R("[0.3e+]", E_SYN, NULL), R("[0.3e]", E_SYN, NULL),
	R("[0.e1]", E_SYN, NULL), R("[0E+]", E_SYN, NULL),
	R("[0e]", E_SYN, NULL), R("[1.0e]", E_SYN, NULL),
	R("[1.0e-]", E_SYN, NULL), R("[1 000.0]", E_SYN, NULL),
	R("[1eE2]", E_SYN, NULL), R("[2.e+3]", E_SYN, NULL),
	R("[9.e+]", E_SYN, NULL), R("[0x1]", E_SYN, NULL),
	R("[- 1]", E_SYN, NULL), R("[-012]", E_SYN, NULL),
	R("[-.123]", E_SYN, NULL), R("[1e\xe5]", E_SYN, NULL),
	R("[012]", E_SYN, NULL), R("[Infinity]", E_SYN, NULL),
	R("[1.2a-3]", E_SYN, NULL), R("[\"x\", truth]", E_SYN, NULL),
	R("{\"x\", null}", E_SYN, NULL), R("{\"x\"::\"b\"}", E_SYN, NULL),
	R("{\"a\" b}", E_SYN, NULL), R("{:\"b\"}", E_SYN, NULL),
	R("{\"a\" \"b\"}", E_SYN, NULL), R("{1:1}", E_SYN, NULL),
	R("{null:null,null:null}", E_SYN, NULL),
	R("{\"id\":0,,,,,}", E_SYN, NULL), R("{'a':0}", E_SYN, NULL),
	R("{\"id\":0,}", E_SYN, NULL), R("{\"a\":\"b\"}/**/", E_SYN, NULL),
	R("{\"a\":\"b\",,\"c\":\"d\"}", E_SYN, NULL),
	R("{a: \"b\"}", E_SYN, NULL), R("{\"a\":\"a\" 123}", E_SYN, NULL),
	R(" ", E_EOF, NULL), R("[\"\\uD800\\\"]", E_SYN, NULL),
	R("[\"\\uD800\\u\"]", E_EOF, NULL), R("[\"\\uD800\\u1\"]", E_EOF, NULL),
	R("[\xc3\xa9]", E_SYN, NULL), R("[\"\\\x00\"]", E_SYN, NULL),
	R("[\"\\x00\"]", E_SYN, NULL), R("[\"\\\\\\\"]", E_EOF, NULL),
	R("[\"\\\t\"]", E_SYN, NULL), R("[\"\\\xf0\x9f\x8c\x80\"]", E_SYN, NULL),
	R("[\"\\\"]", E_EOF, NULL), R("[\"\\u00A\"]", E_SYN, NULL),
	R("[\"\\uD834\\uDd\"]", E_SYN, NULL), R("[\"\\uqqqq\"]", E_SYN, NULL),
	R("[\"\\\xe5\"]", E_SYN, NULL), R("[\\u0020\"asd\"]", E_SYN, NULL),
	R("[\\n]", E_SYN, NULL), R("\"", E_EOF, NULL),
	R("['single quote']", E_SYN, NULL), R("[\"\\", E_EOF, NULL),
	R("[\"new\nline\"]", E_SYN, NULL), R("\"\\UA66D\"", E_SYN, NULL),
	R("\xef\xbb\xbf", E_SYN, NULL), R("[<null>]", E_SYN, NULL),
	R("[\"asd]", E_EOF, NULL), R("[True]", E_SYN, NULL),
	R("1]", E_SYN, NULL), R("{\"x\": true,", E_EOF, NULL),
	R("[][]", E_SYN, NULL), R("]", E_SYN, NULL), R("}", E_SYN, NULL),
	R("[\x00]", E_SYN, NULL), R("2@", E_SYN, NULL),
	R("{}}", E_SYN, NULL), R("{\"\":", E_EOF, NULL),
	R("{\"a\":/*comment*/\"b\"}", E_SYN, NULL), R("['", E_SYN, NULL),
	R("[,", E_SYN, NULL), R("{\"a\":\"b\"}#{}", E_SYN, NULL),
	R("[\f]", E_SYN, NULL), R("[\xe2\x81\xa0]", E_SYN, NULL),
	R("[\"\xff\"]", E_SYN, NULL), R("[\"\x81\"]", E_SYN, NULL),
	R("[\"\xc0\xaf\"]", E_SYN, NULL), R("[\"\xc1\xbf\"]", E_SYN, NULL),
	R("[\"\xe0\x80\xaf\"]", E_SYN, NULL), R("[\"\xe0\x9f\xbf\"]", E_SYN, NULL),
	R("[\"\xf0\x80\x80\xaf\"]", E_SYN, NULL),
	R("[\"\xf0\x8f\xbf\xbf\"]", E_SYN, NULL),
	R("[\"\xfc\x83\xbf\xbf\xbf\xbf\"]", E_SYN, NULL),
	R("[\"\xed\xbf\xbf\"]", E_SYN, NULL), R("[\"\xe0\xff\"]", E_SYN, NULL),
	R("[\"\xf4\xbf\xbf\xbf\"]", E_SYN, NULL), R("[\"\xe9\"]", E_SYN, NULL),
	R("[\"\xf5\x80\x80\x80\"]", E_SYN, NULL),
	R("[\"\xf8\x88\x80\x80\x80\"]", E_SYN, NULL),
	R("[\"\xe2\x82\xac\xe2\x82\"]", E_SYN, NULL),
	R("[\"\xf0\x9f\x98\"]", E_SYN, NULL),
	R("[\"\xed\xa0\xbd\xed\xb8\x80\"]", E_SYN, NULL),
	R("\xff\xfe[\x00]\x00", E_SYN, NULL), R("[1]\n\x00", E_SYN, NULL),
};

static void
test_accept(void)
{
	struct t	 t;
	size_t		 i;

	for (i = 0; i < NELEM(accept); i++) {
		tparse(&t, accept[i].s, accept[i].n);
		ok(t.rc == 0 && check_tree(&t.d), "accept %s%s%s",
		    show(accept[i].s, accept[i].n), t.rc ? ": " : "",
		    t.rc ? t.d.err_msg : "");
		tfree(&t);
	}
}

static void
test_reject(const struct rej *r, size_t nr)
{
	struct t	 t;
	size_t		 i;
	int		 good;

	for (i = 0; i < nr; i++) {
		tparse(&t, r[i].s, r[i].n);
		good = t.rc == -1 && t.d.err == r[i].err &&
		    (r[i].msg == NULL || strcmp(t.d.err_msg, r[i].msg) == 0);
		ok(good, "reject %s", show(r[i].s, r[i].n));
		if (!good)
			diag("got rc %d err %d \"%s\", want err %d \"%s\"",
			    t.rc, t.d.err, t.d.err_msg, r[i].err,
			    r[i].msg ? r[i].msg : "(any)");
		tfree(&t);
	}
}

static void
test_positions(void)
{
	struct t	 t;

	TP(&t, "[1,\n  2,\n  x]");
	ok(t.rc == -1 && t.d.err_off == 11 && t.d.err_line == 3 &&
	    t.d.err_col == 3, "err_off/line/col of a multi-line error "
	    "(%zu %u %u)", t.d.err_off, t.d.err_line, t.d.err_col);
	tfree(&t);
	TP(&t, "[1");
	ok(t.rc == -1 && t.d.err_off == 2 && t.d.err_line == 1 &&
	    t.d.err_col == 2, "err_off of an EOF error is len");
	tfree(&t);
	TP(&t, "\r\r[x]");
	ok(t.rc == -1 && strcmp(t.d.err_msg,
	    "expected value at line 1 column 4") == 0,
	    "only \\n starts a line");
	tfree(&t);
}

/* All 0x00..0xff after a backslash: exactly the 9 valid escapes pass. */
static void
test_escapes_exhaustive(void)
{
	struct t	 t;
	char		 s[16];
	int		 c, bad = 0, rc;

	for (c = 0; c < 256; c++) {
		memcpy(s, "[\"\\", 3);
		s[3] = (char)c;
		if (c == 'u') {
			memcpy(s + 4, "0041\"]", 6);
			rc = tparse(&t, s, 10);
		} else {
			memcpy(s + 4, "\"]", 2);
			rc = tparse(&t, s, 6);
		}
		if ((rc == 0) != (strchr("\"\\/bfnrtu", c) != NULL && c != 0))
			bad++;
		/* serde counts the offending '\n' itself: line 2 column 0. */
		if (rc == -1 && strcmp(t.d.err_msg, c == '\n' ?
		    "invalid escape at line 2 column 0" :
		    "invalid escape at line 1 column 4") != 0)
			bad++;
		tfree(&t);
	}
	ok(bad == 0, "every byte after a backslash (%d wrong)", bad);

	/* Control characters raw in a string, and hex digits in \u. */
	for (c = 0, bad = 0; c < 0x20; c++) {
		s[0] = '"';
		s[1] = (char)c;
		s[2] = '"';
		if (tparse(&t, s, 3) != -1 || t.d.err != E_SYN ||
		    strcmp(t.d.err_msg, CTRL " at line 1 column 2") != 0)
			bad += c != '\n';
		tfree(&t);
	}
	ok(bad == 0, "every raw control character is rejected");
	for (c = 0, bad = 0; c < 256; c++) {
		memcpy(s, "\"\\u00a0\"", 8);
		s[5] = (char)c;
		rc = tparse(&t, s, 8);
		if ((rc == 0) != ((c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			bad++;
		tfree(&t);
	}
	ok(bad == 0, "hex digits in \\u are case-insensitive, nothing else");
}

/* Independent UTF-8 check: decode by bit pattern, then range-check. */
static int
ref_utf8(const unsigned char *s, size_t n)
{
	size_t		 i = 0, len, k;
	uint32_t	 cp;
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min[len] || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int	utf8_bad;
static long	utf8_n;

static void
utf8_one(const unsigned char *seq, size_t n)
{
	struct t	 t;
	char		 s[16], want[64];
	size_t		 i;
	int		 valid = ref_utf8(seq, n);

	for (i = 0; i < n; i++)
		if (seq[i] < 0x20 || seq[i] == '"' || seq[i] == '\\')
			return;
	s[0] = '"';
	memcpy(s + 1, seq, n);
	s[n + 1] = '"';
	tparse(&t, s, n + 2);
	utf8_n++;
	snprintf(want, sizeof(want),
	    "invalid unicode code point at line 1 column %zu", n + 2);
	if (valid ? t.rc != 0 : (t.rc != -1 || strcmp(t.d.err_msg, want) != 0)) {
		if (utf8_bad++ < 5)
			diag("utf8 %s: rc %d %s", show(s, n + 2), t.rc,
			    t.d.err_msg);
	}
	tfree(&t);
}

static void
test_utf8_exhaustive(void)
{
	static const unsigned char edge[] = { 0x7f, 0x80, 0x8f, 0x90, 0x9f,
	    0xa0, 0xbf, 0xc0, 0x41 };
	unsigned char	 q[4];
	unsigned	 a, b, c, e;

	for (a = 0x80; a < 0x100; a++) {
		q[0] = (unsigned char)a;
		utf8_one(q, 1);
		for (b = 0x20; b < 0x100; b++) {
			q[1] = (unsigned char)b;
			utf8_one(q, 2);
		}
	}
	for (a = 0xe0; a < 0xf0; a++)
		for (b = 0x7f; b <= 0xc0; b++)
			for (c = 0x7f; c <= 0xc0; c++) {
				q[0] = (unsigned char)a;
				q[1] = (unsigned char)b;
				q[2] = (unsigned char)c;
				utf8_one(q, 3);
			}
	for (a = 0xf0; a < 0x100; a++)
		for (b = 0; b < NELEM(edge); b++)
			for (c = 0; c < NELEM(edge); c++)
				for (e = 0; e < NELEM(edge); e++) {
					q[0] = (unsigned char)a;
					q[1] = edge[b];
					q[2] = edge[c];
					q[3] = edge[e];
					utf8_one(q, 4);
					utf8_one(q, 3);
				}
	ok(utf8_bad == 0, "raw UTF-8 in strings agrees with a reference "
	    "decoder on %ld sequences (%d wrong)", utf8_n, utf8_bad);
}

/*
 * Numbers: every string of length 1..5 over "019-+.eE" against a DFA of
 * the RFC 8259 grammar, including serde's message and column.
 */
static int
num_dfa(int st, int c)
{
	int	 dig = c >= '0' && c <= '9';

	switch (st) {
	case 0:
		return c == '-' ? 1 : c == '0' ? 2 : dig ? 3 : -1;
	case 1:
		return c == '0' ? 2 : dig ? 3 : -1;
	case 2:
		return c == '.' ? 4 : c == 'e' || c == 'E' ? 6 : -1;
	case 3:
		return dig ? 3 : c == '.' ? 4 : c == 'e' || c == 'E' ? 6 : -1;
	case 4:
		return dig ? 5 : -1;
	case 5:
		return dig ? 5 : c == 'e' || c == 'E' ? 6 : -1;
	case 6:
		return c == '+' || c == '-' ? 7 : dig ? 8 : -1;
	case 7:
	case 8:
		return dig ? 8 : -1;
	}
	return -1;
}

static void
test_numbers_exhaustive(void)
{
	static const char alpha[] = "019-+.eE";
	struct t	 t;
	char		 s[8], want[80];
	int		 idx[5], len, i, st, nst, acc, bad = 0, count = 0;
	int		 isint;
	uint8_t		 gotint;

	for (len = 1; len <= 5; len++) {
		memset(idx, 0, sizeof(idx));
		for (;;) {
			for (i = 0; i < len; i++)
				s[i] = alpha[idx[i]];
			st = 0;
			isint = 1;
			want[0] = '\0';
			for (i = 0; i < len; i++) {
				nst = num_dfa(st, s[i]);
				if (nst == 4 || nst == 6)
					isint = 0;
				if (nst == -1) {
					acc = st == 3 || st == 5 || st == 8 ||
					    (st == 2 && !(s[i] >= '0' &&
					    s[i] <= '9'));
					snprintf(want, sizeof(want),
					    "%s at line 1 column %d",
					    st == 0 ? "expected value" : acc ?
					    "trailing characters" :
					    "invalid number", i + 1);
					break;
				}
				st = nst;
			}
			if (want[0] == '\0' && !(st == 2 || st == 3 ||
			    st == 5 || st == 8))
				snprintf(want, sizeof(want), "EOF while "
				    "parsing a value at line 1 column %d", len);
			tparse(&t, s, (size_t)len);
			gotint = t.rc == 0 ? t.d.tok[0].isint : 0;
			if (want[0] == '\0' ? t.rc != 0 || gotint != isint ||
			    t.d.tok[0].type != JSON_NUMBER ||
			    t.d.tok[0].end != (uint32_t)len :
			    t.rc != -1 || strcmp(t.d.err_msg, want) != 0) {
				if (bad++ < 5)
					diag("number %.*s: got \"%s\" want "
					    "\"%s\"", len, s, t.d.err_msg, want);
			}
			tfree(&t);
			count++;
			for (i = 0; i < len && ++idx[i] == 8; i++)
				idx[i] = 0;
			if (i == len)
				break;
		}
	}
	ok(bad == 0, "number grammar and messages agree with a DFA on %d "
	    "strings (%d wrong)", count, bad);
}

static const char doc[] =
    "{\"jsonrpc\":\"2.0\",\"id\":-12,\"method\":\"exec/start\",\n"
    " \"params\":{\"argv\":[\"sh\",\"-c\",\"echo \\\"hi\\\" \\\\ \\/ "
    "\\b\\f\\n\\r\\t\"],\"env\":{\"A\":\"\\u00e9\\uD83D\\uDE00 "
    "\xc3\xa9 \xf0\x9f\x98\x80\"},\"n\":[0,-0,1.5,-2.25e-3,1E+10,0e0,"
    "123456789012345678901],\"t\":true,\"f\":false,\"z\":null,"
    "\"e\":[],\"o\":{}}, \"w\" : [ 1 , { } , [ [ ] ] ] }";

static void
test_truncation(void)
{
	static const struct vec docs[] = {
		{ doc, sizeof(doc) - 1 },
		V("[\"\\uD83D\\uDE00\",-1.5e+3,true,false,null,{\"a\":[]}]"),
		V("  {\"k\" : \"v\" , \"l\" : [ 1 , 2 ] }"),
	};
	struct t	 t;
	size_t		 i, k;
	int		 bad;

	tparse(&t, doc, sizeof(doc) - 1);
	ok(t.rc == 0 && check_tree(&t.d), "the truncation document parses");
	tfree(&t);
	for (i = 0; i < NELEM(docs); i++) {
		bad = 0;
		for (k = 0; k < docs[i].n; k++) {
			tparse(&t, docs[i].s, k);
			if (t.rc != -1 || t.d.err != E_EOF ||
			    strncmp(t.d.err_msg, "EOF while parsing", 17) != 0) {
				if (bad++ < 3)
					diag("prefix %zu: %s", k, t.d.err_msg);
			}
			tfree(&t);
		}
		ok(bad == 0, "every proper prefix of document %zu gives "
		    "JSON_ERR_EOF (%d wrong)", i, bad);
	}
}

/* Deterministic xorshift. */
static uint32_t	 rnd_state = 2463534242u;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Random mutations of doc: never crash, and any success is well formed. */
static void
test_mutations(void)
{
	static const char bytes[] = "{}[],:\"\\ \n0123456789-+.eEtrufalsn"
	    "\x00\x1f\x7f\x80\xbf\xc0\xe0\xed\xf0\xf4\xff";
	struct t	 t;
	char		 s[sizeof(doc) + 8];
	size_t		 n, pos;
	int		 i, j, bad = 0, okn = 0;

	for (i = 0; i < 20000; i++) {
		memcpy(s, doc, sizeof(doc) - 1);
		n = sizeof(doc) - 1;
		for (j = 0; j < 1 + (int)(rnd() % 3); j++) {
			pos = rnd() % n;
			switch (rnd() % 3) {
			case 0:
				s[pos] = bytes[rnd() % (sizeof(bytes) - 1)];
				break;
			case 1:
				memmove(s + pos, s + pos + 1, n - pos - 1);
				n--;
				break;
			default:
				if (n + 1 >= sizeof(s))
					break;
				memmove(s + pos + 1, s + pos, n - pos);
				s[pos] = bytes[rnd() % (sizeof(bytes) - 1)];
				n++;
				break;
			}
		}
		tparse(&t, s, n);
		if (t.rc == 0) {
			okn++;
			if (!check_tree(&t.d))
				bad++;
		} else if ((t.d.err != E_EOF && t.d.err != E_SYN) ||
		    t.d.err_line < 1 || t.d.err_off > n ||
		    strstr(t.d.err_msg, " at line ") == NULL)
			bad++;
		tfree(&t);
	}
	ok(bad == 0, "20000 mutated documents: no crash, results consistent "
	    "(%d accepted, %d wrong)", okn, bad);
}

static void
test_depth(void)
{
	struct t	 t;
	char		*s;
	size_t		 n, i;
	clock_t		 c0;

	n = 2 * (LIM_JSON_DEPTH - 1);
	s = malloc(200000 * 5 + 16);
	for (i = 0; i < n / 2; i++) {
		s[i] = '[';
		s[n - 1 - i] = ']';
	}
	tparse(&t, s, n);
	ok(t.rc == 0 && t.d.ntok == LIM_JSON_DEPTH - 1 && check_tree(&t.d),
	    "127 nested arrays parse (serde's limit)");
	tfree(&t);

	n = 2 * LIM_JSON_DEPTH;
	for (i = 0; i < n / 2; i++) {
		s[i] = '[';
		s[n - 1 - i] = ']';
	}
	tparse(&t, s, n);
	ok(t.rc == -1 && t.d.err == JSON_ERR_DEPTH && strcmp(t.d.err_msg,
	    "recursion limit exceeded at line 1 column 128") == 0,
	    "128 nested arrays: %s", t.d.err_msg);
	tfree(&t);

	for (n = 0, i = 0; i < LIM_JSON_DEPTH - 1; i++, n += 5)
		memcpy(s + n, "{\"a\":", 5);
	s[n++] = '1';
	for (i = 0; i < LIM_JSON_DEPTH - 1; i++)
		s[n++] = '}';
	tparse(&t, s, n);
	ok(t.rc == 0 && check_tree(&t.d) && json_get(&t.d, 0, "a") == 2,
	    "127 nested objects parse");
	tfree(&t);
	for (n = 0, i = 0; i < LIM_JSON_DEPTH; i++, n += 5)
		memcpy(s + n, "{\"a\":", 5);
	tparse(&t, s, n);
	ok(t.rc == -1 && t.d.err == JSON_ERR_DEPTH && strcmp(t.d.err_msg,
	    "recursion limit exceeded at line 1 column 636") == 0,
	    "128 nested objects: %s", t.d.err_msg);
	tfree(&t);

	/* Depth is about nesting, not count: many siblings are fine. */
	n = 0;
	s[n++] = '[';
	for (i = 0; i < 100000; i++) {
		if (i > 0)
			s[n++] = ',';
		memcpy(s + n, "[[]]", 4);
		n += 4;
	}
	s[n++] = ']';
	tparse(&t, s, n);
	ok(t.rc == 0 && t.d.tok[0].size == 100000 && t.d.ntok == 200001 &&
	    check_tree(&t.d), "100000 siblings, 200001 tokens");
	tfree(&t);

	memset(s, '[', 100000);
	c0 = clock();
	tparse(&t, s, 100000);
	ok(t.rc == -1 && t.d.err == JSON_ERR_DEPTH &&
	    (clock() - c0) < CLOCKS_PER_SEC, "100000 '[' rejected quickly");
	tfree(&t);
	free(s);
}

static void
test_too_large(void)
{
	struct json_doc	 d;

	/* Never reads: the length check comes first. */
	ok(json_parse(&d, "1", (size_t)UINT32_MAX) == -1 &&
	    d.err == JSON_ERR_SYNTAX && d.ntok == 0 && d.tok == NULL,
	    "inputs of 4 GiB - 1 and more are rejected");
	json_doc_free(&d);
	ok(json_parse(&d, "1", SIZE_MAX) == -1, "SIZE_MAX input rejected");
	json_doc_free(&d);
}

static const char tree[] =
    "{\"a\":[1,2,{\"b\":true}],\"c\":{\"d\":\"e\"},\"f\":null}";

static void
test_tree(void)
{
	struct t		 t;
	const struct json_tok	*k;

	tparse(&t, tree, sizeof(tree) - 1);
	k = t.d.tok;
	ok(t.rc == 0 && t.d.ntok == 14 && check_tree(&t.d), "tree parses "
	    "into 14 tokens");
	ok(k[0].type == JSON_OBJECT && k[0].size == 3 && k[0].next == 14 &&
	    k[0].start == 0 && k[0].end == sizeof(tree) - 1, "root token");
	ok(k[1].type == JSON_STRING && k[1].start == 1 && k[1].end == 4,
	    "key token spans the quotes");
	ok(k[2].type == JSON_ARRAY && k[2].size == 3 && k[2].next == 8 &&
	    k[2].end - k[2].start == 16 && memcmp(t.d.p + k[2].start,
	    "[1,2,{\"b\":true}]", 16) == 0, "array token");
	ok(k[5].type == JSON_OBJECT && k[5].size == 1 && k[5].next == 8,
	    "inner object token");
	ok(k[9].type == JSON_OBJECT && k[9].next == 12 && k[13].type ==
	    JSON_NULL && k[7].type == JSON_TRUE, "other tokens");
	ok(json_get(&t.d, 0, "a") == 2 && json_get(&t.d, 0, "c") == 9 &&
	    json_get(&t.d, 0, "f") == 13, "json_get finds members");
	ok(json_get(&t.d, 0, "b") == -1 && json_get(&t.d, 0, "") == -1 &&
	    json_get(&t.d, 0, "aa") == -1, "json_get: missing keys");
	ok(json_get(&t.d, 5, "b") == 7 && json_get(&t.d, 9, "d") == 11,
	    "json_get in nested objects");
	ok(json_get(&t.d, 2, "a") == -1 && json_get(&t.d, 1, "a") == -1 &&
	    json_get(&t.d, -1, "a") == -1 && json_get(&t.d, 14, "a") == -1 &&
	    json_get(&t.d, 1000000, "a") == -1, "json_get on non-objects");
	ok(json_at(&t.d, 2, 0) == 3 && json_at(&t.d, 2, 1) == 4 &&
	    json_at(&t.d, 2, 2) == 5, "json_at");
	ok(json_at(&t.d, 2, 3) == -1 && json_at(&t.d, 0, 0) == -1 &&
	    json_at(&t.d, -1, 0) == -1 && json_at(&t.d, 14, 0) == -1 &&
	    json_at(&t.d, 2, UINT32_MAX) == -1, "json_at out of range");
	tfree(&t);

	TP(&t, "[[],{},[[]],\"x\"]");
	ok(t.rc == 0 && t.d.ntok == 6 && t.d.tok[0].size == 4 &&
	    t.d.tok[1].size == 0 && t.d.tok[1].next == 2 &&
	    t.d.tok[2].size == 0 && t.d.tok[3].size == 1 &&
	    t.d.tok[3].next == 5 && json_at(&t.d, 0, 3) == 5 &&
	    json_at(&t.d, 1, 0) == -1, "empty containers");
	tfree(&t);

	TP(&t, "{\"a\":1,\"b\":2,\"a\":3}");
	ok(t.rc == -1 && t.d.err == JSON_ERR_SYNTAX && strcmp(t.d.err_msg,
	    "duplicate JSON object key `a` at line 1 column 16") == 0,
	    "a duplicate key is an error at its closing quote");
	tfree(&t);
	TP(&t, "{\"x\":[{\"a\":{}},{\"a\":[]}],\"y\":{\"ab\":1,\"a\\u0062\":2}}");
	ok(t.rc == -1 && strstr(t.d.err_msg, "duplicate JSON object key `ab` ")
	    != NULL, "same keys in sibling objects are fine; escapes are "
	    "compared decoded");
	tfree(&t);
	/* Found by the json fuzzer: an escape is one unit of several bytes. */
	TP(&t, "{\"\\u00e9\":1,\"\xc3\xa9\":2}");
	ok(t.rc == -1 && strstr(t.d.err_msg, "duplicate JSON object key") !=
	    NULL, "\\u00e9 and a raw e-acute are the same key");
	tfree(&t);
	TP(&t, "{\"\xc3\xa9" "a\":1,\"\\u00e9\":2,\"\\u00e9" "ab\":3}");
	ok(t.rc == 0, "a key that decodes to a prefix of another is another");
	tfree(&t);
	{
		/* 100000 distinct keys in one object: linear, not quadratic. */
		struct buf	 b = { 0 };
		int		 i;

		buf_addc(&b, '{');
		for (i = 0; i < 100000; i++)
			buf_addf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
		buf_adds(&b, ",\"k77777\":0}");
		tparse(&t, buf_data(&b), buf_used(&b));
		ok(t.rc == -1 && strstr(t.d.err_msg, "`k77777`") != NULL,
		    "a duplicate among 100000 keys is found");
		tfree(&t);
		buf_free(&b);
	}
	TP(&t, "{\"\\u0061\\u0062\":1,\"a\\u0000\":2,\"\\/\":3}");
	ok(t.rc == 0 && json_get(&t.d, 0, "ab") == 2 &&
	    json_get(&t.d, 0, "a") == -1 && json_get(&t.d, 0, "/") == 6,
	    "json_get compares unescaped keys");
	tfree(&t);
}

static void
test_strings(void)
{
	static const char src[] = "[\"plain\",\"a\\nb\",\"\\u00e9\\u20AC"
	    "\\uD83D\\uDE00\\udbff\\udfff\",\"a\\u0000b\",\"\\\"\\\\\\/\\b\\f"
	    "\\n\\r\\t\",\"\xc3\xa9\",\"\",1]";
	static const struct {
		const char	*s;
		size_t		 n;
		int		 esc;
	} want[] = {
		{ "plain", 5, 0 },
		{ "a\nb", 3, 1 },
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", 13, 1 },
		{ "a\0b", 3, 1 },
		{ "\"\\/\b\f\n\r\t", 8, 1 },
		{ "\xc3\xa9", 2, 0 },
		{ "", 0, 0 },
	};
	struct t	 t;
	struct buf	 b;
	char		*s;
	size_t		 i, n;
	int		 e;

	tparse(&t, src, sizeof(src) - 1);
	ok(t.rc == 0 && t.d.tok[0].size == 8, "string vector parses");
	for (i = 0; i < NELEM(want); i++) {
		e = json_at(&t.d, 0, (uint32_t)i);
		n = 99;
		s = json_str_dup(&t.d, e, &n);
		ok(s != NULL && n == want[i].n && memcmp(s, want[i].s, n) == 0 &&
		    s[n] == '\0' && t.d.tok[e].esc == want[i].esc,
		    "json_str_dup %zu (%s)", i, show(want[i].s, want[i].n));
		free(s);
		memset(&b, 0, sizeof(b));
		buf_adds(&b, "<");
		json_str_buf(&t.d, e, &b);
		buf_adds(&b, ">");
		ok(buf_used(&b) == n + 2 && memcmp(buf_data(&b) + 1,
		    want[i].s, n) == 0 && buf_data(&b)[n + 1] == '>',
		    "json_str_buf %zu appends", i);
		buf_free(&b);
		ok(json_str_eq(&t.d, e, want[i].s) == (i != 3),
		    "json_str_eq %zu", i);
	}
	e = json_at(&t.d, 0, 0);
	ok(!json_str_eq(&t.d, e, "plai") && !json_str_eq(&t.d, e, "plains") &&
	    !json_str_eq(&t.d, e, "") && !json_str_eq(&t.d, e, "Plain"),
	    "json_str_eq: prefixes and case differ");
	e = json_at(&t.d, 0, 3);
	ok(!json_str_eq(&t.d, e, "a") && !json_str_eq(&t.d, e, "ab"),
	    "json_str_eq: an embedded NUL never matches a C string");
	e = json_at(&t.d, 0, 7);
	s = json_str_dup(&t.d, e, NULL);
	memset(&b, 0, sizeof(b));
	json_str_buf(&t.d, e, &b);
	json_str_buf(&t.d, 0, &b);
	json_str_buf(&t.d, -5, &b);
	ok(s == NULL && buf_used(&b) == 0 && !json_str_eq(&t.d, e, "1") &&
	    !json_str_eq(&t.d, 0, "") && json_str_dup(&t.d, 99, NULL) == NULL,
	    "string accessors on non-strings");
	buf_free(&b);
	s = json_str_dup(&t.d, json_at(&t.d, 0, 6), &n);
	ok(s != NULL && n == 0 && s[0] == '\0', "empty string dup");
	free(s);
	tfree(&t);
}

static void
test_integers(void)
{
	static const struct {
		const char	*s;
		int		 iok;
		int64_t		 i;
		int		 uok;
		uint64_t	 u;
	} v[] = {
		{ "0", 1, 0, 1, 0 },
		{ "-0", 1, 0, 0, 0 },
		{ "1", 1, 1, 1, 1 },
		{ "-1", 1, -1, 0, 0 },
		{ "9223372036854775807", 1, INT64_MAX, 1, INT64_MAX },
		{ "9223372036854775808", 0, 0, 1, (uint64_t)INT64_MAX + 1 },
		{ "-9223372036854775807", 1, -INT64_MAX, 0, 0 },
		{ "-9223372036854775808", 1, INT64_MIN, 0, 0 },
		{ "-9223372036854775809", 0, 0, 0, 0 },
		{ "18446744073709551615", 0, 0, 1, UINT64_MAX },
		{ "18446744073709551610", 0, 0, 1, UINT64_MAX - 5 },
		{ "18446744073709551616", 0, 0, 0, 0 },
		{ "18446744073709551619", 0, 0, 0, 0 },
		{ "18446744073709551620", 0, 0, 0, 0 },
		{ "99999999999999999999999", 0, 0, 0, 0 },
		{ "-18446744073709551616", 0, 0, 0, 0 },
		{ "1.0", 0, 0, 0, 0 },
		{ "1e3", 0, 0, 0, 0 },
		{ "1E0", 0, 0, 0, 0 },
		{ "-0.0", 0, 0, 0, 0 },
		{ "\"1\"", 0, 0, 0, 0 },
		{ "true", 0, 0, 0, 0 },
		{ "null", 0, 0, 0, 0 },
		{ "[1]", 0, 0, 0, 0 },
	};
	struct t	 t;
	size_t		 i;
	int64_t		 iv;
	uint64_t	 uv;
	int		 ri, ru;

	for (i = 0; i < NELEM(v); i++) {
		tparse(&t, v[i].s, strlen(v[i].s));
		iv = 42;
		uv = 42;
		ri = json_i64(&t.d, 0, &iv);
		ru = json_u64(&t.d, 0, &uv);
		ok(t.rc == 0 && (v[i].iok ? ri == 0 && iv == v[i].i :
		    ri == -1 && iv == 42) && (v[i].uok ? ru == 0 &&
		    uv == v[i].u : ru == -1 && uv == 42), "integers: %s",
		    v[i].s);
		tfree(&t);
	}
	TP(&t, "[5]");
	ok(json_i64(&t.d, 1, &iv) == 0 && iv == 5 &&
	    json_i64(&t.d, 2, &iv) == -1 && json_i64(&t.d, -1, &iv) == -1 &&
	    json_u64(&t.d, 2, &uv) == -1, "integer accessors check indices");
	tfree(&t);
}

static void
test_type_names(void)
{
	ok(strcmp(json_type_name(JSON_NULL), "null") == 0 &&
	    strcmp(json_type_name(JSON_TRUE), "boolean") == 0 &&
	    strcmp(json_type_name(JSON_FALSE), "boolean") == 0 &&
	    strcmp(json_type_name(JSON_NUMBER), "number") == 0 &&
	    strcmp(json_type_name(JSON_STRING), "string") == 0 &&
	    strcmp(json_type_name(JSON_ARRAY), "sequence") == 0 &&
	    strcmp(json_type_name(JSON_OBJECT), "map") == 0,
	    "json_type_name uses serde's words");
	ok(json_type_name((enum json_type)99) != NULL, "json_type_name of "
	    "junk is not NULL");
}

static int
buf_is(const struct buf *b, const char *s, size_t n)
{
	return !b->oom && buf_used(b) == n && memcmp(buf_data(b), s, n) == 0;
}
#define BUF_IS(b, s)	buf_is(b, s, sizeof(s) - 1)

static void
test_writer(void)
{
	static const char want[] = "{\"a\":-9223372036854775808,\"b\":"
	    "[18446744073709551615,true,false,null,\"x\\\"y\",[],{},0,-1,"
	    "9223372036854775807],\"c\":{\"r\":1},\"d\":\"Zm9vYmFy\","
	    "\"e\\n\":\"a\\u0000b\",\"f\":null,\"g\":\"\"}";
	struct t	 t;
	struct buf	 b;
	struct jw	 w;
	char		*s;
	size_t		 n;
	int64_t		 iv;
	uint64_t	 uv;
	int		 i;

	memset(&b, 0, sizeof(b));
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_i64(&w, INT64_MIN);
	jw_key(&w, "b");
	jw_arr(&w);
	jw_u64(&w, UINT64_MAX);
	jw_bool(&w, 1);
	jw_bool(&w, 0);
	jw_null(&w);
	jw_cstr(&w, "x\"y");
	jw_arr(&w);
	jw_arr_end(&w);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_i64(&w, 0);
	jw_i64(&w, -1);
	jw_i64(&w, INT64_MAX);
	jw_arr_end(&w);
	jw_key(&w, "c");
	jw_raw(&w, "{\"r\":1}", 7);
	jw_key(&w, "d");
	jw_b64(&w, "foobar", 6);
	jw_key(&w, "e\n");
	jw_str(&w, "a\0b", 3);
	jw_key(&w, "f");
	jw_cstr(&w, NULL);
	jw_key(&w, "g");
	jw_str(&w, "", 0);
	jw_obj_end(&w);
	ok(BUF_IS(&b, want), "writer output: %.*s", (int)buf_used(&b),
	    buf_data(&b));
	ok(w.depth == 0, "writer depth back to 0");

	tparse(&t, buf_data(&b), buf_used(&b));
	ok(t.rc == 0 && check_tree(&t.d), "writer output parses back");
	ok(json_i64(&t.d, json_get(&t.d, 0, "a"), &iv) == 0 && iv == INT64_MIN,
	    "round trip: INT64_MIN");
	ok(json_u64(&t.d, json_at(&t.d, json_get(&t.d, 0, "b"), 0), &uv) ==
	    0 && uv == UINT64_MAX, "round trip: UINT64_MAX");
	s = json_str_dup(&t.d, json_get(&t.d, 0, "e\n"), &n);
	ok(s != NULL && n == 3 && memcmp(s, "a\0b", 3) == 0,
	    "round trip: key with escape, value with NUL");
	free(s);
	ok(json_str_eq(&t.d, json_get(&t.d, 0, "d"), "Zm9vYmFy"),
	    "round trip: base64");
	tfree(&t);

	/* Top-level scalars and arrays of scalars. */
	buf_reset(&b);
	jw_init(&w, &b);
	jw_i64(&w, -42);
	ok(BUF_IS(&b, "-42"), "top-level scalar");
	buf_reset(&b);
	jw_init(&w, &b);
	jw_arr(&w);
	for (i = 0; i < 3; i++)
		jw_u64(&w, (uint64_t)i * 10);
	jw_arr_end(&w);
	ok(BUF_IS(&b, "[0,10,20]"), "commas between elements");

	/* JW_MAXDEPTH open containers are fine, one more poisons the buf. */
	buf_reset(&b);
	jw_init(&w, &b);
	for (i = 0; i < JW_MAXDEPTH; i++)
		jw_arr(&w);
	jw_null(&w);
	for (i = 0; i < JW_MAXDEPTH; i++)
		jw_arr_end(&w);
	ok(!b.oom && buf_used(&b) == 4 + 2 * JW_MAXDEPTH &&
	    buf_data(&b)[JW_MAXDEPTH] == 'n', "writer nests %d deep",
	    JW_MAXDEPTH);
	buf_reset(&b);
	jw_init(&w, &b);
	for (i = 0; i < JW_MAXDEPTH + 1; i++)
		jw_obj(&w);
	ok(b.oom, "writer deeper than JW_MAXDEPTH sets oom");
	for (i = 0; i < JW_MAXDEPTH + 5; i++)
		jw_obj_end(&w);
	jw_null(&w);
	ok(b.oom && w.depth == 0, "and it stays set; depth stays sane");

	/* Sticky errors: nothing is appended once oom is set. */
	buf_reset(&b);
	buf_adds(&b, "x");
	b.oom = 1;
	jw_init(&w, &b);
	jw_arr(&w);
	jw_b64(&w, "abc", 3);
	jw_cstr(&w, "s");
	jw_i64(&w, 1);
	jw_arr_end(&w);
	ok(b.len == 1, "nothing appended to an oom buf");
	buf_free(&b);
}

static void
test_b64(void)
{
	static const struct {
		const char	*in, *out;
	} v[] = {
		{ "", "\"\"" },
		{ "f", "\"Zg==\"" },
		{ "fo", "\"Zm8=\"" },
		{ "foo", "\"Zm9v\"" },
		{ "foob", "\"Zm9vYg==\"" },
		{ "fooba", "\"Zm9vYmE=\"" },
		{ "foobar", "\"Zm9vYmFy\"" },
		{ "\xff\xfe\x00\x80", "\"//4AgA==\"" },
	};
	struct buf	 b;
	struct jw	 w;
	char		 big[1000], want[1400];
	size_t		 i, n;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < NELEM(v); i++) {
		buf_reset(&b);
		jw_init(&w, &b);
		n = i == NELEM(v) - 1 ? 4 : strlen(v[i].in);
		jw_b64(&w, v[i].in, n);
		ok(buf_is(&b, v[i].out, strlen(v[i].out)), "jw_b64 %s",
		    v[i].out);
	}
	buf_reset(&b);
	jw_init(&w, &b);
	jw_b64(&w, NULL, 0);
	ok(BUF_IS(&b, "\"\""), "jw_b64 of nothing");

	/* A consumed prefix forces buf_reserve to compact or grow. */
	buf_reset(&b);
	buf_add(&b, "0123456789", 10);
	buf_consume(&b, 7);
	memset(big, 0xaa, sizeof(big));
	jw_init(&w, &b);
	jw_arr(&w);
	jw_b64(&w, big, sizeof(big));
	jw_b64(&w, big, 2);
	jw_arr_end(&w);
	n = (size_t)snprintf(want, sizeof(want), "789[\"");
	for (i = 0; i < 333; i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "qqqq");
	n += (size_t)snprintf(want + n, sizeof(want) - n,
	    "qg==\",\"qqo=\"]");
	ok(buf_is(&b, want, n), "jw_b64 into a buf with a consumed prefix");
	buf_free(&b);
}

static void
test_quote(void)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*out;
	} v[] = {
		{ "", 0, "\"\"" },
		{ "abc", 3, "\"abc\"" },
		{ "\"\\/", 3, "\"\\\"\\\\/\"" },
		{ "\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"" },
		{ "\x00\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\x7f\"" },
		{ "\x0b\x1b", 2, "\"\\u000b\\u001b\"" },
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
		    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "\xff", 1, "\"\xef\xbf\xbd\"" },
		{ "a\x80" "b", 3, "\"a\xef\xbf\xbd" "b\"" },
		{ "\xc0\x80", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xed\xa0\x80", 3,
		    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
		{ "\xe2\x82", 2, "\"\xef\xbf\xbd\"" },
		{ "\xe2\x82" "a", 3, "\"\xef\xbf\xbd" "a\"" },
		{ "\xf0\x9f\x98", 3, "\"\xef\xbf\xbd\"" },
		{ "\xf0\x9f\x98\n", 4, "\"\xef\xbf\xbd\\n\"" },
		{ "\xf4\x90\x80\x80", 4, "\"\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd\xef\xbf\xbd\"" },
		/* The Unicode standard's example (3.9, U+FFFD substitution). */
		{ "\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", 13,
		    "\"a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd"
		    "c\xef\xbf\xbd\xef\xbf\xbd" "d\"" },
	};
	struct buf	 b;
	size_t		 i;

	memset(&b, 0, sizeof(b));
	for (i = 0; i < NELEM(v); i++) {
		buf_reset(&b);
		jw_quote(&b, v[i].in, v[i].n);
		ok(buf_is(&b, v[i].out, strlen(v[i].out)), "json_quote %s",
		    show(v[i].in, v[i].n));
	}
	buf_free(&b);
}

/* Quote random bytes, parse back: always valid; identical when UTF-8. */
static void
test_quote_roundtrip(void)
{
	static const unsigned char pick[] = { 0, 1, 0x1f, '"', '\\', '/',
	    'a', 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xa9, 0xe0, 0xa0, 0xed, 0x9f,
	    0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xff, '\n' };
	struct buf	 b;
	struct t	 t;
	unsigned char	 in[12];
	char		*s;
	size_t		 n, i, len;
	int		 k, bad = 0, valid = 0;

	memset(&b, 0, sizeof(b));
	for (k = 0; k < 30000; k++) {
		n = rnd() % sizeof(in);
		for (i = 0; i < n; i++)
			in[i] = pick[rnd() % sizeof(pick)];
		buf_reset(&b);
		jw_quote(&b, (char *)in, n);
		tparse(&t, buf_data(&b), buf_used(&b));
		s = t.rc == 0 ? json_str_dup(&t.d, 0, &len) : NULL;
		if (s == NULL || !ref_utf8((unsigned char *)s, len) ||
		    (ref_utf8(in, n) && (len != n || memcmp(s, in, n) != 0)))
			bad++;
		valid += ref_utf8(in, n);
		free(s);
		tfree(&t);
	}
	ok(bad == 0, "30000 random byte strings quote and parse back "
	    "(%d were valid UTF-8, %d wrong)", valid, bad);
	buf_free(&b);
}

/*
 * The parser skips plain string bytes eight at a time: one byte of each
 * kind at every position of strings 1..40 bytes long, so that it falls
 * in every lane of a word, at the start, the middle and the tail.
 */
static void
test_word_lanes(void)
{
	static const char	*kinds[] = { "\x01", "\x1f", " ", "\x7f",
	    "\\n", "\xc3\xa9", "\x80", "\"" };
	struct t		 t;
	char			 s[64];
	size_t			 len, i, k, n, kl;
	int			 bad = 0, want_ok;

	for (k = 0; k < NELEM(kinds); k++) {
		kl = strlen(kinds[k]);
		for (len = 1; len <= 40; len++)
			for (i = 0; i < len; i++) {
				n = 0;
				s[n++] = '"';
				memset(s + n, 'a', i);
				n += i;
				memcpy(s + n, kinds[k], kl);
				n += kl;
				memset(s + n, 'b', len - i - 1);
				n += len - i - 1;
				s[n++] = '"';
				tparse(&t, s, n);
				want_ok = k >= 2 && k <= 5;
				if (want_ok ? t.rc != 0 ||
				    t.d.tok[0].end != n ||
				    t.d.tok[0].esc != (k == 4) :
				    t.rc != -1 || (k < 2 &&
				    (t.d.err_off != 1 + i ||
				    t.d.err != JSON_ERR_SYNTAX))) {
					diag("%s", show(s, n));
					bad++;
				}
				tfree(&t);
			}
	}
	ok(bad == 0, "a control, space, DEL, escape, UTF-8, bad byte or quote "
	    "in every lane of 1..40-byte strings");
}

int
main(void)
{
	test_accept();
	test_reject(reject_msg, NELEM(reject_msg));
	test_reject(reject, NELEM(reject));
	test_positions();
	test_escapes_exhaustive();
	test_utf8_exhaustive();
	test_numbers_exhaustive();
	test_truncation();
	test_mutations();
	test_depth();
	test_too_large();
	test_tree();
	test_strings();
	test_word_lanes();
	test_integers();
	test_type_names();
	test_writer();
	test_b64();
	test_quote();
	test_quote_roundtrip();
	return done_testing();
}
