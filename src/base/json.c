/*
 * json.c: strict RFC 8259 JSON parser (the writer is jw.c).
 *
 * The parser makes one pass over (p, len) with an explicit stack of open
 * containers (no recursion), producing a flat token array.  Its error
 * messages and positions follow serde_json's from_slice() into a Value:
 * the same words, and the same line/column convention (the column is the
 * 1-based column of the offending byte, or the line's length at EOF).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/lim.h"
#include "base/utf8.h"

/* serde_json's ErrorCode texts. */
#define E_EOF_LIST	"EOF while parsing a list"
#define E_EOF_OBJECT	"EOF while parsing an object"
#define E_EOF_STRING	"EOF while parsing a string"
#define E_EOF_VALUE	"EOF while parsing a value"
#define E_COLON		"expected `:`"
#define E_LIST_COMMA	"expected `,` or `]`"
#define E_OBJ_COMMA	"expected `,` or `}`"
#define E_IDENT		"expected ident"
#define E_VALUE		"expected value"
#define E_ESCAPE	"invalid escape"
#define E_NUMBER	"invalid number"
#define E_CODEPOINT	"invalid unicode code point"
#define E_CONTROL	"control character (\\u0000-\\u001F) found while " \
			    "parsing a string"
#define E_KEY		"key must be a string"
#define E_SURROGATE	"lone leading surrogate in hex escape"
#define E_TRAILING_COMMA "trailing comma"
#define E_TRAILING	"trailing characters"
#define E_HEX_END	"unexpected end of hex escape"
#define E_DEPTH		"recursion limit exceeded"

#define ISDIGIT(c)	((c) >= '0' && (c) <= '9')
#define ISSPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\r')

/*
 * Record an error about the byte at offset `at` (at == len: end of input).
 * serde reports the position just past that byte, capped at len, as
 * line/column with lines split at '\n'.
 */
static int
fail(struct json_doc *d, enum json_err err, const char *msg, size_t at)
{
	size_t		 i, k, sol = 0;
	unsigned	 line = 1;

	i = at < d->len ? at + 1 : d->len;
	for (k = 0; k < i; k++)
		if (d->p[k] == '\n') {
			line++;
			sol = k + 1;
		}
	d->err = err;
	d->err_off = at;
	d->err_line = line;
	d->err_col = (unsigned)(i - sol);
	snprintf(d->err_msg, sizeof(d->err_msg), "%s at line %u column %u",
	    msg, line, d->err_col);
	return -1;
}

static int
hexval(unsigned char c)
{
	if (ISDIGIT(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Value of the four hex digits at s, or -1. */
static long
hex4val(const char *s)
{
	long	 v = 0;
	int	 k, h;

	for (k = 0; k < 4; k++) {
		if ((h = hexval((unsigned char)s[k])) == -1)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* The four hex digits of a \u escape, as serde's decode_hex_escape. */
static int
hex4(struct json_doc *d, size_t *posp, long *u)
{
	if (d->len - *posp < 4)
		return fail(d, JSON_ERR_EOF, E_EOF_STRING, d->len);
	*u = hex4val(d->p + *posp);
	*posp += 4;
	if (*u == -1)
		return fail(d, JSON_ERR_SYNTAX, E_ESCAPE, *posp - 1);
	return 0;
}

/*
 * Whether the eight bytes at p are all plain string bytes: none below
 * 0x20, none at or above 0x80, no '"' and no '\\'.  The tests on the
 * word are the "has a zero byte" and "has a byte less than n" tricks,
 * exact as a yes or no for the whole word.
 */
#define ONES	0x0101010101010101ULL
#define HIGHS	0x8080808080808080ULL
static int
plain8(const unsigned char *p)
{
	uint64_t	 w, q, b;

	memcpy(&w, p, 8);
	q = w ^ (ONES * '"');
	b = w ^ (ONES * '\\');
	return ((w | ((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) |
	    ((b - ONES) & ~b)) & HIGHS) == 0;
}

/*
 * String at *posp (the opening quote).  Invalid raw UTF-8 is reported only
 * at the closing quote, as serde validates the whole string last.
 */
static int
parse_string(struct json_doc *d, size_t *posp, uint8_t *esc)
{
	const unsigned char	*p = (const unsigned char *)d->p;
	size_t			 len = d->len, pos = *posp + 1, n, bad;
	unsigned		 c;
	long			 u;
	int			 badutf8 = 0;

	for (;;) {
		while (len - pos >= 8 && plain8(p + pos))
			pos += 8;
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_STRING, len);
		c = p[pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(d, JSON_ERR_SYNTAX, E_CONTROL, pos);
		if (c >= 0x80) {
			if ((n = utf8_seq(p + pos, len - pos, &bad)) == 0) {
				badutf8 = 1;
				n = bad;
			}
			pos += n;
			continue;
		}
		pos++;
		if (c != '\\')
			continue;
		*esc = 1;
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_STRING, len);
		switch (p[pos++]) {
		case '"': case '\\': case '/': case 'b':
		case 'f': case 'n': case 'r': case 't':
			continue;
		case 'u':
			break;
		default:
			return fail(d, JSON_ERR_SYNTAX, E_ESCAPE, pos - 1);
		}
		if (hex4(d, &pos, &u) == -1)
			return -1;
		if (u >= 0xdc00 && u <= 0xdfff)
			return fail(d, JSON_ERR_SYNTAX, E_SURROGATE, pos - 1);
		if (u < 0xd800 || u > 0xdbff)
			continue;
		/* A leading surrogate: a trailing one must follow. */
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_STRING, len);
		if (p[pos] != '\\')
			return fail(d, JSON_ERR_SYNTAX, E_HEX_END, pos);
		if (++pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_STRING, len);
		if (p[pos] != 'u')
			return fail(d, JSON_ERR_SYNTAX, E_HEX_END, pos);
		pos++;
		if (hex4(d, &pos, &u) == -1)
			return -1;
		if (u < 0xdc00 || u > 0xdfff)
			return fail(d, JSON_ERR_SYNTAX, E_SURROGATE, pos - 1);
	}
	if (badutf8)
		return fail(d, JSON_ERR_SYNTAX, E_CODEPOINT, pos);
	*posp = pos + 1;
	return 0;
}

/* Number at *posp: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
parse_number(struct json_doc *d, size_t *posp, uint8_t *isint)
{
	const unsigned char	*p = (const unsigned char *)d->p;
	size_t			 len = d->len, pos = *posp;

	*isint = 1;
	if (p[pos] == '-')
		pos++;
	if (pos == len)
		return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
	if (p[pos] == '0') {
		if (++pos < len && ISDIGIT(p[pos]))
			return fail(d, JSON_ERR_SYNTAX, E_NUMBER, pos);
	} else if (ISDIGIT(p[pos])) {
		while (pos < len && ISDIGIT(p[pos]))
			pos++;
	} else
		return fail(d, JSON_ERR_SYNTAX, E_NUMBER, pos);
	if (pos < len && p[pos] == '.') {
		*isint = 0;
		if (++pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
		if (!ISDIGIT(p[pos]))
			return fail(d, JSON_ERR_SYNTAX, E_NUMBER, pos);
		while (pos < len && ISDIGIT(p[pos]))
			pos++;
	}
	if (pos < len && (p[pos] == 'e' || p[pos] == 'E')) {
		*isint = 0;
		if (++pos < len && (p[pos] == '+' || p[pos] == '-'))
			pos++;
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
		if (!ISDIGIT(p[pos]))
			return fail(d, JSON_ERR_SYNTAX, E_NUMBER, pos);
		while (pos < len && ISDIGIT(p[pos]))
			pos++;
	}
	*posp = pos;
	return 0;
}

/* true, false or null, whose first byte has been matched. */
static int
parse_ident(struct json_doc *d, size_t *posp, const char *word)
{
	size_t	 pos = *posp + 1, i;

	for (i = 1; word[i] != '\0'; i++, pos++) {
		if (pos == d->len)
			return fail(d, JSON_ERR_EOF, E_EOF_VALUE, d->len);
		if (d->p[pos] != word[i])
			return fail(d, JSON_ERR_SYNTAX, E_IDENT, pos);
	}
	*posp = pos;
	return 0;
}

/* Append a token; returns its index or -1. */
static int
push(struct json_doc *d, enum json_type type, size_t start)
{
	struct json_tok	*t;
	size_t		 ncap;

	if (d->ntok >= INT32_MAX)
		goto nomem;
	if (d->ntok == d->cap) {
		ncap = d->cap == 0 ? 64 :
		    d->cap > INT32_MAX / 2 ? INT32_MAX : d->cap * 2;
		if (ncap > SIZE_MAX / sizeof(*t))
			goto nomem;
		if ((t = realloc(d->tok, ncap * sizeof(*t))) == NULL)
			goto nomem;
		d->tok = t;
		d->cap = (uint32_t)ncap;
	}
	t = &d->tok[d->ntok];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->start = (uint32_t)start;
	t->next = d->ntok + 1;
	return (int)d->ntok++;
nomem:
	d->err = JSON_ERR_NOMEM;
	snprintf(d->err_msg, sizeof(d->err_msg), "out of memory");
	return -1;
}

static size_t
skip_ws(const struct json_doc *d, size_t pos)
{
	while (pos < d->len && ISSPACE(d->p[pos]))
		pos++;
	return pos;
}

/* One scalar value at pos (not EOF, not a container). */
static int
parse_scalar(struct json_doc *d, size_t *posp)
{
	struct json_tok	*t;
	size_t		 pos = *posp;
	uint8_t		 flag = 0;
	int		 i, c = (unsigned char)d->p[pos];

	if (c == '"') {
		if ((i = push(d, JSON_STRING, pos)) == -1 ||
		    parse_string(d, &pos, &flag) == -1)
			return -1;
		d->tok[i].esc = flag;
	} else if (c == '-' || ISDIGIT(c)) {
		if ((i = push(d, JSON_NUMBER, pos)) == -1 ||
		    parse_number(d, &pos, &flag) == -1)
			return -1;
		d->tok[i].isint = flag;
	} else if (c == 't' || c == 'f' || c == 'n') {
		if ((i = push(d, c == 't' ? JSON_TRUE : c == 'f' ? JSON_FALSE :
		    JSON_NULL, pos)) == -1 || parse_ident(d, &pos,
		    c == 't' ? "true" : c == 'f' ? "false" : "null") == -1)
			return -1;
	} else
		return fail(d, JSON_ERR_SYNTAX, E_VALUE, pos);
	t = &d->tok[i];
	t->end = (uint32_t)pos;
	*posp = pos;
	return 0;
}

/*
 * The grammar as a small state machine; `stack` holds the token indices of
 * the open containers.  Each error check mirrors serde's Deserializer
 * (deserialize_any, SeqAccess, MapAccess, end) so that the first error
 * found and its position are the ones serde reports.
 */
static int	key_seen(struct json_doc *, uint32_t, uint32_t);
static int	dup_key(struct json_doc *, uint32_t, size_t);

static int
parse(struct json_doc *d)
{
	uint32_t	 stack[LIM_JSON_DEPTH];
	struct json_tok	*t;
	size_t		 pos = 0, len = d->len;
	int		 depth = 0, i;
	char		 c;

value:
	if ((pos = skip_ws(d, pos)) == len)
		return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
	c = d->p[pos];
	if (c != '[' && c != '{') {
		if (parse_scalar(d, &pos) == -1)
			return -1;
		goto after;
	}
	/* serde's limit of 128 leaves room for 127 open containers. */
	if (depth + 1 >= LIM_JSON_DEPTH)
		return fail(d, JSON_ERR_DEPTH, E_DEPTH, pos);
	if ((i = push(d, c == '[' ? JSON_ARRAY : JSON_OBJECT, pos)) == -1)
		return -1;
	stack[depth++] = (uint32_t)i;
	pos = skip_ws(d, pos + 1);
	if (c == '[') {
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_LIST, len);
		if (d->p[pos] == ']')
			goto close;
		d->tok[i].size++;
		goto value;
	}
	if (pos == len)
		return fail(d, JSON_ERR_EOF, E_EOF_OBJECT, len);
	if (d->p[pos] == '}')
		goto close;
	goto key;

after:
	pos = skip_ws(d, pos);
	if (depth == 0) {
		if (pos != len)
			return fail(d, JSON_ERR_SYNTAX, E_TRAILING, pos);
		return 0;
	}
	t = &d->tok[stack[depth - 1]];
	if (t->type == JSON_ARRAY) {
		if (pos == len)
			return fail(d, JSON_ERR_EOF, E_EOF_LIST, len);
		if (d->p[pos] == ']')
			goto close;
		if (d->p[pos] != ',')
			return fail(d, JSON_ERR_SYNTAX, E_LIST_COMMA, pos);
		if ((pos = skip_ws(d, pos + 1)) == len)
			return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
		if (d->p[pos] == ']')
			return fail(d, JSON_ERR_SYNTAX, E_TRAILING_COMMA, pos);
		t->size++;
		goto value;
	}
	if (pos == len)
		return fail(d, JSON_ERR_EOF, E_EOF_OBJECT, len);
	if (d->p[pos] == '}')
		goto close;
	if (d->p[pos] != ',')
		return fail(d, JSON_ERR_SYNTAX, E_OBJ_COMMA, pos);
	if ((pos = skip_ws(d, pos + 1)) == len)
		return fail(d, JSON_ERR_EOF, E_EOF_VALUE, len);
	if (d->p[pos] == '}')
		return fail(d, JSON_ERR_SYNTAX, E_TRAILING_COMMA, pos);

key:	/* pos is at a non-blank byte in an object. */
	if (d->p[pos] != '"')
		return fail(d, JSON_ERR_SYNTAX, E_KEY, pos);
	d->tok[stack[depth - 1]].size++;
	if (parse_scalar(d, &pos) == -1)
		return -1;
	switch (key_seen(d, stack[depth - 1], d->ntok - 1)) {
	case -1:
		d->err = JSON_ERR_NOMEM;
		snprintf(d->err_msg, sizeof(d->err_msg), "out of memory");
		return -1;
	case 1:
		return dup_key(d, d->ntok - 1, pos - 1);
	}
	if ((pos = skip_ws(d, pos)) == len)
		return fail(d, JSON_ERR_EOF, E_EOF_OBJECT, len);
	if (d->p[pos] != ':')
		return fail(d, JSON_ERR_SYNTAX, E_COLON, pos);
	pos++;
	goto value;

close:	/* pos is at the closing bracket of the innermost container. */
	t = &d->tok[stack[--depth]];
	t->end = (uint32_t)(pos + 1);
	t->next = d->ntok;
	pos++;
	goto after;
}

int
json_parse(struct json_doc *d, const char *p, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->p = p;
	d->len = len;
	if (len > UINT32_MAX - 1) {
		d->err = JSON_ERR_SYNTAX;
		snprintf(d->err_msg, sizeof(d->err_msg), "input too large");
		return -1;
	}
	return parse(d);
}

void
json_doc_free(struct json_doc *d)
{
	free(d->tok);
	free(d->keys);
	d->tok = NULL;
	d->keys = NULL;
	d->ntok = d->cap = 0;
	d->nkeys = d->keycap = 0;
}

static const struct json_tok *
tok(const struct json_doc *d, int t, enum json_type type)
{
	if (t < 0 || (uint32_t)t >= d->ntok || d->tok[t].type != type)
		return NULL;
	return &d->tok[t];
}

int
json_get(const struct json_doc *d, int obj, const char *key)
{
	const struct json_tok	*o;
	uint32_t		 i, k;
	int			 found = -1;

	if ((o = tok(d, obj, JSON_OBJECT)) == NULL)
		return -1;
	for (i = (uint32_t)obj + 1, k = 0; k < o->size; k++) {
		if (json_str_eq(d, (int)i, key))
			found = (int)i + 1;
		i = d->tok[i + 1].next;
	}
	return found;
}

int
json_at(const struct json_doc *d, int arr, uint32_t n)
{
	const struct json_tok	*a;
	uint32_t		 i, k;

	if ((a = tok(d, arr, JSON_ARRAY)) == NULL || n >= a->size)
		return -1;
	for (i = (uint32_t)arr + 1, k = 0; k < n; k++)
		i = d->tok[i].next;
	return (int)i;
}

static size_t
utf8_put(uint32_t cp, char u[4])
{
	size_t	 n, k;

	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	for (k = n - 1; k > 0; k--, cp >>= 6)
		u[k] = (char)(0x80 | (cp & 0x3f));
	u[0] = (char)((0xff00 >> n & 0xff) | cp);	/* 0xc0, 0xe0, 0xf0 */
	return n;
}

/*
 * Decode the unit of a string body at s[*i] into u, returning its length
 * (1 to 4 bytes).  The parser has validated the body, so every escape is
 * complete and every leading surrogate has its trailing one.
 */
static size_t
unit(const char *s, size_t *i, char u[4])
{
	static const char	 from[] = "bfnrt", to[] = "\b\f\n\r\t";
	const char		*q;
	uint32_t		 cp;
	char			 c;

	if (s[*i] != '\\') {
		u[0] = s[(*i)++];
		return 1;
	}
	c = s[*i + 1];
	*i += 2;
	if (c != 'u') {
		/* \b \f \n \r \t, or one of " \ / standing for itself. */
		q = memchr(from, c, sizeof(from) - 1);
		u[0] = q != NULL ? to[q - from] : c;
		return 1;
	}
	cp = (uint32_t)hex4val(s + *i);
	*i += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) +
		    ((uint32_t)hex4val(s + *i + 2) - 0xdc00);
		*i += 6;
	}
	return utf8_put(cp, u);
}

/* Body (between the quotes) of string token t, or NULL. */
static const char *
body(const struct json_doc *d, int t, size_t *n)
{
	const struct json_tok	*s;

	if ((s = tok(d, t, JSON_STRING)) == NULL)
		return NULL;
	*n = s->end - s->start - 2;
	return d->p + s->start + 1;
}

/* FNV-1a of a key's decoded bytes, mixed with its object's index. */
static uint64_t
key_hash(const struct json_doc *d, uint32_t obj, uint32_t t)
{
	const char	*b;
	uint64_t	 h = 0xcbf29ce484222325ULL ^ obj;
	size_t		 n = 0, i = 0, m, j;
	char		 u[4];

	b = body(d, (int)t, &n);
	while (i < n) {
		m = unit(b, &i, u);
		for (j = 0; j < m; j++)
			h = (h ^ (unsigned char)u[j]) * 0x100000001b3ULL;
	}
	return h;
}

/*
 * Do string tokens a and b decode to the same bytes?  Byte by byte: a
 * unit is one raw byte or one escape, so "\u00e9" (one unit, two bytes)
 * must equal the raw two-byte é (two units).
 */
static int
key_equal(const struct json_doc *d, uint32_t a, uint32_t b)
{
	const char	*pa, *pb;
	size_t		 na = 0, nb = 0, i = 0, k = 0;
	size_t		 ma = 0, mb = 0, oa = 0, ob = 0;
	char		 ua[4], ub[4];

	pa = body(d, (int)a, &na);
	pb = body(d, (int)b, &nb);
	if (!d->tok[a].esc && !d->tok[b].esc)
		return na == nb && memcmp(pa, pb, na) == 0;
	for (;;) {
		if (oa == ma) {
			if (i == na)
				break;
			ma = unit(pa, &i, ua);
			oa = 0;
		}
		if (ob == mb) {
			if (k == nb)
				return 0;	/* b is shorter */
			mb = unit(pb, &k, ub);
			ob = 0;
		}
		if (ua[oa++] != ub[ob++])
			return 0;
	}
	return ob == mb && k == nb;
}

/*
 * Remember key token `key` of object `obj`: 1 when that object already
 * has an equal key, 0 when not, -1 on ENOMEM.  An open-addressing table
 * of (obj << 32 | key) keeps this linear in the size of the document.
 */
static int
key_seen(struct json_doc *d, uint32_t obj, uint32_t key)
{
	uint64_t	*nk, e;
	uint32_t	 i, j, ncap, mask;

	if (d->nkeys + 1 > d->keycap / 2) {
		ncap = d->keycap ? d->keycap * 2 : 64;
		if (ncap < d->keycap || (nk = calloc(ncap, sizeof(*nk))) == NULL)
			return -1;
		for (j = 0; j < d->keycap; j++) {
			if ((e = d->keys[j]) == 0)
				continue;
			i = (uint32_t)key_hash(d, (uint32_t)(e >> 32),
			    (uint32_t)e) & (ncap - 1);
			while (nk[i] != 0)
				i = (i + 1) & (ncap - 1);
			nk[i] = e;
		}
		free(d->keys);
		d->keys = nk;
		d->keycap = ncap;
	}
	mask = d->keycap - 1;
	for (i = (uint32_t)key_hash(d, obj, key) & mask; (e = d->keys[i]) != 0;
	    i = (i + 1) & mask)
		if ((uint32_t)(e >> 32) == obj && key_equal(d, (uint32_t)e, key))
			return 1;
	/* Key tokens are never token 0, so 0 marks an empty slot. */
	d->keys[i] = (uint64_t)obj << 32 | key;
	d->nkeys++;
	return 0;
}

/* "duplicate JSON object key `id`" at the key's closing quote. */
static int
dup_key(struct json_doc *d, uint32_t key, size_t at)
{
	char	 msg[96];
	size_t	 n = 0, i = 0, k = 0, m;
	char	 u[4];
	const char *b = body(d, (int)key, &n);

	k = (size_t)snprintf(msg, sizeof(msg), "duplicate JSON object key `");
	while (i < n && k + 4 < 60) {
		m = unit(b, &i, u);
		memcpy(msg + k, u, m);
		k += m;
	}
	if (i < n)
		k += (size_t)snprintf(msg + k, sizeof(msg) - k, "...");
	snprintf(msg + k, sizeof(msg) - k, "`");
	return fail(d, JSON_ERR_SYNTAX, msg, at);
}

int
json_str_eq(const struct json_doc *d, int t, const char *s)
{
	const char	*b;
	size_t		 n, i = 0, k = 0, m, j;
	char		 u[4];

	if ((b = body(d, t, &n)) == NULL)
		return 0;
	while (i < n) {
		m = unit(b, &i, u);
		for (j = 0; j < m; j++, k++)
			if (s[k] == '\0' || s[k] != u[j])
				return 0;
	}
	return s[k] == '\0';
}

/* Decode into out, which has room for n bytes; returns the length. */
static size_t
unescape(const char *b, size_t n, char *out)
{
	size_t	 i = 0, k = 0;

	while (i < n)
		k += unit(b, &i, out + k);
	return k;
}

char *
json_str_dup(const struct json_doc *d, int t, size_t *lenp)
{
	const char	*b;
	char		*s;
	size_t		 n, k;

	if ((b = body(d, t, &n)) == NULL)
		return NULL;
	/* Decoding never lengthens: "\n" is 2 bytes, "\uXXXX" at most 3. */
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	k = unescape(b, n, s);
	s[k] = '\0';
	if (lenp != NULL)
		*lenp = k;
	return s;
}

void
json_str_buf(const struct json_doc *d, int t, struct buf *buf)
{
	const char	*b;
	size_t		 n;

	/* An empty string adds nothing (and may leave buf->p NULL). */
	if ((b = body(d, t, &n)) == NULL || n == 0 ||
	    buf_reserve(buf, n) == -1)
		return;
	buf->len += unescape(b, n, buf->p + buf->len);
}

/* Magnitude and sign of integer token t; -1 when not one or > 2^64-1. */
static int
integer(const struct json_doc *d, int t, int *neg, uint64_t *m)
{
	const struct json_tok	*n;
	const char		*s, *e;
	unsigned		 dig;

	if ((n = tok(d, t, JSON_NUMBER)) == NULL || !n->isint)
		return -1;
	s = d->p + n->start;
	e = d->p + n->end;
	if ((*neg = *s == '-'))
		s++;
	for (*m = 0; s < e; s++) {
		dig = (unsigned)(*s - '0');
		if (*m > (UINT64_MAX - dig) / 10)
			return -1;
		*m = *m * 10 + dig;
	}
	return 0;
}

int
json_i64(const struct json_doc *d, int t, int64_t *v)
{
	uint64_t	 m;
	int		 neg;

	if (integer(d, t, &neg, &m) == -1 || m > (uint64_t)INT64_MAX + neg)
		return -1;
	/* m - 1 keeps -2^63 representable on the way. */
	*v = neg && m > 0 ? -(int64_t)(m - 1) - 1 : (int64_t)m;
	return 0;
}

int
json_u64(const struct json_doc *d, int t, uint64_t *v)
{
	uint64_t	 m;
	int		 neg;

	if (integer(d, t, &neg, &m) == -1 || neg)
		return -1;
	*v = m;
	return 0;
}

const char *
json_type_name(enum json_type type)
{
	static const char	*names[] = { "null", "boolean", "boolean",
	    "number", "string", "sequence", "map" };

	if ((unsigned)type >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[type];
}
