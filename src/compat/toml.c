/*
 * toml.c: a TOML 1.0 reader for environmentConfig/read (the writer is
 * tomlout.c).
 *
 * The tree keeps insertion order.  Dotted keys and [headers] create
 * tables; [[headers]] arrays of tables.  Date-times are kept as text
 * (only the separator and a "z" are normalised, as toml_datetime prints
 * them).  Errors carry "LINE:COL: message"; the wording is ours, not the
 * toml crate's.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/toml.h"
#include "compat/tomlint.h"

struct tp {
	const char	*p, *s, *e;
	struct buf	*err;
	int		 failed;
};

struct tval *
toml_new(enum ttype t)
{
	struct tval	*v = calloc(1, sizeof(*v));

	if (v != NULL)
		v->type = t;
	return v;
}

void
toml_free(struct tval *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v->type == T_ARR && i < v->n; i++)
		toml_free(v->a[i]);
	for (i = 0; v->type == T_TAB && i < v->n; i++) {
		free(v->kv[i].key);
		toml_free(v->kv[i].val);
	}
	free(v->a);
	free(v->kv);
	free(v->s);
	free(v);
}

struct tval *
toml_get(const struct tval *t, const char *k, size_t n)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->kv[i].klen == n && memcmp(t->kv[i].key, k, n) == 0)
			return t->kv[i].val;
	return NULL;
}

static int
grow(void **p, size_t *cap, size_t n, size_t size)
{
	void	*q;

	if (n < *cap)
		return 0;
	if ((q = reallocarray(*p, *cap ? *cap * 2 : 8, size)) == NULL)
		return -1;
	*p = q;
	*cap = *cap ? *cap * 2 : 8;
	return 0;
}

int
toml_put(struct tval *t, const char *k, size_t n, struct tval *v)
{
	char	*key;

	if (grow((void **)&t->kv, &t->cap, t->n, sizeof(*t->kv)) == -1 ||
	    (key = malloc(n + 1)) == NULL)
		return -1;
	memcpy(key, k, n);
	key[n] = '\0';
	t->kv[t->n].key = key;
	t->kv[t->n].klen = n;
	t->kv[t->n++].val = v;
	return 0;
}

static int
arr_put(struct tval *a, struct tval *v)
{
	if (grow((void **)&a->a, &a->cap, a->n, sizeof(*a->a)) == -1)
		return -1;
	a->a[a->n++] = v;
	return 0;
}

/* --- reading ------------------------------------------------------------- */

static void
fail(struct tp *tp, const char *msg)
{
	const char	*q;
	unsigned	 line = 1, col = 1;

	if (tp->failed)
		return;
	tp->failed = 1;
	for (q = tp->s; q < tp->p && q < tp->e; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	buf_addf(tp->err, "%u:%u: %s", line, col, msg);
}

static int
at(const struct tp *tp, const char *s)
{
	size_t	 n = strlen(s);

	return (size_t)(tp->e - tp->p) >= n && memcmp(tp->p, s, n) == 0;
}

static void
skip_ws(struct tp *tp)
{
	while (tp->p < tp->e && (*tp->p == ' ' || *tp->p == '\t'))
		tp->p++;
}

/* Whitespace, newlines and comments. */
static void
skip_all(struct tp *tp)
{
	for (;;) {
		skip_ws(tp);
		if (tp->p < tp->e && *tp->p == '#')
			while (tp->p < tp->e && *tp->p != '\n')
				tp->p++;
		if (tp->p < tp->e && (*tp->p == '\n' || at(tp, "\r\n")))
			tp->p += *tp->p == '\n' ? 1 : 2;
		else
			return;
	}
}

/* After a value or header: only a comment may follow on the line. */
static void
end_line(struct tp *tp)
{
	skip_ws(tp);
	if (tp->p < tp->e && *tp->p == '#')
		while (tp->p < tp->e && *tp->p != '\n')
			tp->p++;
	if (tp->p < tp->e && *tp->p == '\n')
		tp->p++;
	else if (at(tp, "\r\n"))
		tp->p += 2;
	else if (tp->p < tp->e)
		fail(tp, "expected newline, `#`");
}

static void
put_utf8(struct buf *b, unsigned long c)
{
	if (c < 0x80)
		buf_addc(b, (char)c);
	else if (c < 0x800) {
		buf_addc(b, (char)(0xc0 | c >> 6));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (char)(0xe0 | c >> 12));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | c >> 18));
		buf_addc(b, (char)(0x80 | (c >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	}
}

/* A string of any of the four kinds; out gets its value. */
static int
read_string(struct tp *tp, struct buf *out)
{
	int		 lit = *tp->p == '\'', multi;
	char		 q = *tp->p, hex[9];
	unsigned long	 c;
	size_t		 k, n;

	multi = at(tp, lit ? "'''" : "\"\"\"");
	tp->p += multi ? 3 : 1;
	if (multi && tp->p < tp->e && *tp->p == '\n')
		tp->p++;
	else if (multi && at(tp, "\r\n"))
		tp->p += 2;
	for (;;) {
		if (tp->p >= tp->e) {
			fail(tp, "invalid string, expected `\"`");
			return -1;
		}
		if (*tp->p == q && (!multi || at(tp, lit ? "'''" : "\"\"\""))) {
			if (multi) {
				/* Up to two quotes may end the content. */
				for (n = 3; n < 5 && tp->p + n < tp->e &&
				    tp->p[n] == q; n++)
					;
				buf_add(out, tp->p, n - 3);
				tp->p += n;
			} else
				tp->p++;
			return 0;
		}
		if (*tp->p == '\n' && !multi) {
			fail(tp, "invalid basic string");
			return -1;
		}
		if (*tp->p != '\\' || lit) {
			buf_addc(out, *tp->p++);
			continue;
		}
		tp->p++;
		if (tp->p >= tp->e)
			continue;
		switch (*tp->p) {
		case 'b': buf_addc(out, '\b'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 'e': buf_addc(out, 0x1b); break;
		case '"': buf_addc(out, '"'); break;
		case '\\': buf_addc(out, '\\'); break;
		case 'u':
		case 'U':
			n = *tp->p == 'u' ? 4 : 8;
			if ((size_t)(tp->e - tp->p) <= n) {
				fail(tp, "invalid unicode escape");
				return -1;
			}
			memcpy(hex, tp->p + 1, n);
			hex[n] = '\0';
			for (k = 0; k < n; k++)
				if (strchr("0123456789abcdefABCDEF", hex[k]) ==
				    NULL || hex[k] == '\0')
					break;
			c = strtoul(hex, NULL, 16);
			if (k < n || c > 0x10ffff || (c >= 0xd800 &&
			    c <= 0xdfff)) {
				fail(tp, "invalid unicode escape");
				return -1;
			}
			put_utf8(out, c);
			tp->p += n;
			break;
		case ' ':
		case '\t':
		case '\r':
		case '\n':
			/* Line-ending backslash: trim to the next text. */
			if (multi) {
				while (tp->p < tp->e && strchr(" \t\r\n",
				    *tp->p) != NULL)
					tp->p++;
				continue;
			}
			/* FALLTHROUGH */
		default:
			fail(tp, "invalid escape sequence");
			return -1;
		}
		tp->p++;
	}
}

int
toml_bare_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A dotted key; each segment appended to keys, NUL-separated. */
static int
read_key(struct tp *tp, struct buf *keys, size_t *nseg)
{
	size_t	 start;

	*nseg = 0;
	for (;;) {
		skip_ws(tp);
		if (tp->p < tp->e && (*tp->p == '"' || *tp->p == '\'')) {
			if (read_string(tp, keys) == -1)
				return -1;
		} else {
			start = (size_t)(tp->p - tp->s);
			while (tp->p < tp->e && toml_bare_char(*tp->p))
				tp->p++;
			if ((size_t)(tp->p - tp->s) == start) {
				fail(tp, "invalid key");
				return -1;
			}
			buf_add(keys, tp->s + start, (size_t)(tp->p - tp->s) -
			    start);
		}
		buf_addc(keys, '\0');
		(*nseg)++;
		skip_ws(tp);
		if (tp->p >= tp->e || *tp->p != '.')
			return 0;
		tp->p++;
	}
}

static struct tval	*read_value(struct tp *, int);

static int
digits_ok(const char *s, size_t n, const char *set)
{
	size_t	 i;

	if (n == 0 || s[0] == '_' || s[n - 1] == '_')
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] == '_' && s[i + 1] == '_') ||
		    (s[i] != '_' && strchr(set, s[i]) == NULL))
			return 0;
	return 1;
}

/* Numbers, booleans and date-times: one bare token. */
static struct tval *
read_scalar(struct tp *tp)
{
	const char	*b = tp->p;
	char		 tok[128], clean[128];
	struct tval	*v = NULL;
	size_t		 n, i, k;
	int		 base = 10;

	while (tp->p < tp->e && strchr(",]}#\r\n\t", *tp->p) == NULL &&
	    !(*tp->p == ' ' && !(tp->p - b == 10 && b[4] == '-' &&
	    tp->p + 1 < tp->e && tp->p[1] >= '0' && tp->p[1] <= '9')))
		tp->p++;
	n = (size_t)(tp->p - b);
	if (n == 0 || n >= sizeof(tok)) {
		tp->p = b;
		fail(tp, "invalid string, expected `\"`, `'`");
		return NULL;
	}
	memcpy(tok, b, n);
	tok[n] = '\0';
	if (strcmp(tok, "true") == 0 || strcmp(tok, "false") == 0) {
		if ((v = toml_new(T_BOOL)) != NULL)
			v->i = tok[0] == 't';
		return v;
	}
	if (strcmp(tok + (tok[0] == '+' || tok[0] == '-'), "inf") == 0 ||
	    strcmp(tok + (tok[0] == '+' || tok[0] == '-'), "nan") == 0) {
		if ((v = toml_new(T_FLOAT)) != NULL) {
			v->f = tok[n - 1] == 'f' ? INFINITY : NAN;
			if (tok[0] == '-')
				v->f = -v->f;
		}
		return v;
	}
	/* Date-times: 1979-05-27, 07:32:00, and the combinations. */
	if ((n >= 10 && tok[4] == '-' && tok[7] == '-') ||
	    (n >= 8 && tok[2] == ':')) {
		if ((v = toml_new(T_DATE)) == NULL ||
		    (v->s = strdup(tok)) == NULL)
			goto nomem;
		v->slen = n;
		for (i = 0; i < n; i++) {
			if (i == 10 && (tok[i] == ' ' || tok[i] == 't'))
				v->s[i] = 'T';
			if (v->s[i] == 'z')
				v->s[i] = 'Z';
		}
		return v;
	}
	k = (tok[0] == '+' || tok[0] == '-') ? 1 : 0;
	if (k == 0 && n > 2 && tok[0] == '0' && strchr("xob", tok[1])) {
		base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : 2;
		if (!digits_ok(tok + 2, n - 2, base == 16 ?
		    "0123456789abcdefABCDEF" : base == 8 ? "01234567" : "01"))
			goto bad;
		k = 2;
	} else if (strpbrk(tok, ".eE") == NULL) {
		if (!digits_ok(tok + k, n - k, "0123456789") ||
		    (tok[k] == '0' && n - k > 1))
			goto bad;
	} else {
		if (!digits_ok(tok + k, n - k, "0123456789.eE+-") ||
		    tok[k] == '.' || tok[n - 1] == '.')
			goto bad;
	}
	for (i = 0, k = 0; i < n; i++)
		if (tok[i] != '_')
			clean[k++] = tok[i];
	clean[k] = '\0';
	errno = 0;
	if (base != 10 || strpbrk(clean, ".eE") == NULL) {
		if ((v = toml_new(T_INT)) == NULL)
			goto nomem;
		v->i = strtoll(base != 10 ? clean + 2 : clean, NULL, base);
	} else {
		if ((v = toml_new(T_FLOAT)) == NULL)
			goto nomem;
		v->f = strtod(clean, NULL);
	}
	if (errno == ERANGE && v->type == T_INT) {
		toml_free(v);
		fail(tp, "number too large to fit in target type");
		return NULL;
	}
	return v;
bad:
	tp->p = b;
	fail(tp, "invalid number");
	return NULL;
nomem:
	toml_free(v);
	fail(tp, "out of memory");
	return NULL;
}

/* Set keys (n NUL-separated segments) to v inside t, dotted style. */
static int
assign(struct tp *tp, struct tval *t, const char *keys, size_t n,
    struct tval *v)
{
	struct tval	*sub;
	size_t		 i, len;

	for (i = 0; i + 1 < n; i++, keys += len + 1) {
		len = strlen(keys);
		if ((sub = toml_get(t, keys, len)) == NULL) {
			if ((sub = toml_new(T_TAB)) == NULL ||
			    toml_put(t, keys, len, sub) == -1) {
				toml_free(sub);
				goto nomem;
			}
		} else if (sub->type != T_TAB || sub->frozen ||
		    sub->defined == 2) {
			fail(tp, "duplicate key");
			return -1;
		}
		t = sub;
	}
	len = strlen(keys);
	if (toml_get(t, keys, len) != NULL) {
		fail(tp, "duplicate key");
		return -1;
	}
	if (toml_put(t, keys, len, v) == -1)
		goto nomem;
	return 0;
nomem:
	fail(tp, "out of memory");
	return -1;
}

static struct tval *
read_inline(struct tp *tp, int depth)
{
	struct tval	*t = toml_new(T_TAB), *v;
	struct buf	 keys = { 0 };
	size_t		 n;

	tp->p++;
	if (t == NULL)
		goto nomem;
	t->defined = 1;
	skip_ws(tp);
	if (tp->p < tp->e && *tp->p == '}') {
		tp->p++;
		t->frozen = 1;
		return t;
	}
	for (;;) {
		buf_reset(&keys);
		if (read_key(tp, &keys, &n) == -1)
			goto bad;
		if (tp->p >= tp->e || *tp->p != '=') {
			fail(tp, "expected `=`");
			goto bad;
		}
		tp->p++;
		skip_ws(tp);
		if ((v = read_value(tp, depth + 1)) == NULL)
			goto bad;
		if (assign(tp, t, buf_data(&keys), n, v) == -1) {
			toml_free(v);
			goto bad;
		}
		skip_ws(tp);
		if (tp->p < tp->e && *tp->p == ',') {
			tp->p++;
			continue;
		}
		if (tp->p < tp->e && *tp->p == '}') {
			tp->p++;
			break;
		}
		fail(tp, "expected `,`, `}`");
		goto bad;
	}
	t->frozen = 1;
	buf_free(&keys);
	return t;
nomem:
	fail(tp, "out of memory");
bad:
	buf_free(&keys);
	toml_free(t);
	return NULL;
}

static struct tval *
read_array(struct tp *tp, int depth)
{
	struct tval	*a = toml_new(T_ARR), *v;

	tp->p++;
	if (a == NULL) {
		fail(tp, "out of memory");
		return NULL;
	}
	a->frozen = 1;
	for (;;) {
		skip_all(tp);
		if (tp->p < tp->e && *tp->p == ']') {
			tp->p++;
			return a;
		}
		if ((v = read_value(tp, depth + 1)) == NULL)
			break;
		if (arr_put(a, v) == -1) {
			toml_free(v);
			fail(tp, "out of memory");
			break;
		}
		skip_all(tp);
		if (tp->p < tp->e && *tp->p == ',') {
			tp->p++;
			continue;
		}
		if (tp->p < tp->e && *tp->p == ']') {
			tp->p++;
			return a;
		}
		fail(tp, "expected `]`");
		break;
	}
	toml_free(a);
	return NULL;
}

static struct tval *
read_value(struct tp *tp, int depth)
{
	struct buf	 s = { 0 };
	struct tval	*v;

	if (depth > 64) {
		fail(tp, "too deeply nested");
		return NULL;
	}
	if (tp->p >= tp->e) {
		fail(tp, "invalid string, expected `\"`, `'`");
		return NULL;
	}
	if (*tp->p == '[')
		return read_array(tp, depth);
	if (*tp->p == '{')
		return read_inline(tp, depth);
	if (*tp->p != '"' && *tp->p != '\'')
		return read_scalar(tp);
	if (read_string(tp, &s) == -1 || (v = toml_new(T_STR)) == NULL) {
		buf_free(&s);
		return NULL;
	}
	v->slen = buf_used(&s);
	buf_addc(&s, '\0');
	if (s.oom) {
		toml_free(v);
		fail(tp, "out of memory");
		return NULL;
	}
	v->s = s.p;
	return v;
}

/* [a.b] or [[a.b]]: the table that following keys go into. */
static struct tval *
read_header(struct tp *tp, struct tval *root)
{
	struct buf	 keys = { 0 };
	struct tval	*t = root, *sub, *last;
	const char	*k, *start = tp->p;
	size_t		 n, i, len;
	int		 aot = at(tp, "[[");

	tp->p += aot ? 2 : 1;
	if (read_key(tp, &keys, &n) == -1)
		goto bad;
	if (!at(tp, aot ? "]]" : "]")) {
		fail(tp, aot ? "expected `]]`" : "expected `]`");
		goto bad;
	}
	tp->p += aot ? 2 : 1;
	end_line(tp);
	for (i = 0, k = buf_data(&keys); i < n; i++, k += len + 1) {
		len = strlen(k);
		sub = toml_get(t, k, len);
		if (i + 1 == n && aot) {
			if (sub == NULL) {
				if ((sub = toml_new(T_ARR)) == NULL ||
				    toml_put(t, k, len, sub) == -1)
					goto nomem;
				sub->aot = 1;
			} else if (sub->type != T_ARR || !sub->aot) {
				tp->p = start;
				fail(tp, "duplicate key");
				goto bad;
			}
			if ((last = toml_new(T_TAB)) == NULL ||
			    arr_put(sub, last) == -1)
				goto nomem;
			last->defined = 1;
			t = last;
			break;
		}
		if (sub == NULL) {
			if ((sub = toml_new(T_TAB)) == NULL ||
			    toml_put(t, k, len, sub) == -1)
				goto nomem;
		} else if (sub->type == T_ARR && sub->aot && i + 1 < n)
			sub = sub->a[sub->n - 1];
		else if (sub->type != T_TAB || sub->frozen ||
		    (i + 1 == n && sub->defined)) {
			tp->p = start;
			fail(tp, "duplicate key");
			goto bad;
		}
		t = sub;
		if (i + 1 == n)
			t->defined = 1;
	}
	buf_free(&keys);
	return t;
nomem:
	fail(tp, "out of memory");
bad:
	buf_free(&keys);
	return NULL;
}

struct tval *
toml_parse(const char *p, size_t len, struct buf *err)
{
	struct tp	 tp = { p, p, p + len, err, 0 };
	struct tval	*root, *cur, *v;
	struct buf	 keys = { 0 };
	size_t		 n;

	if ((root = toml_new(T_TAB)) == NULL) {
		buf_adds(err, "out of memory");
		return NULL;
	}
	cur = root;
	for (;;) {
		skip_all(&tp);
		if (tp.p >= tp.e)
			break;
		if (*tp.p == '[') {
			if ((cur = read_header(&tp, root)) == NULL)
				goto bad;
			continue;
		}
		buf_reset(&keys);
		if (read_key(&tp, &keys, &n) == -1)
			goto bad;
		if (tp.p >= tp.e || *tp.p != '=') {
			fail(&tp, "expected `.`, `=`");
			goto bad;
		}
		tp.p++;
		skip_ws(&tp);
		if ((v = read_value(&tp, 0)) == NULL)
			goto bad;
		if (assign(&tp, cur, buf_data(&keys), n, v) == -1) {
			toml_free(v);
			goto bad;
		}
		end_line(&tp);
		if (tp.failed)
			goto bad;
	}
	buf_free(&keys);
	return root;
bad:
	buf_free(&keys);
	toml_free(root);
	return NULL;
}

