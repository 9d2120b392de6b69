/*
 * jw.c: the JSON writer.  Compact output appended to a buf, commas and
 * escapes done here; an out-of-memory error is sticky in the buf, so a
 * writer checks once, at the end.  Strings that are not valid UTF-8 are
 * written with U+FFFD for each ill-formed unit, as serde would.
 */
#include <stdint.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/jw.h"
#include "base/utf8.h"

void
jw_init(struct jw *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Before any value: a comma unless it is the first or follows a key. */
static void
sep(struct jw *w)
{
	if (w->key) {
		w->key = 0;
		return;
	}
	if (w->depth > 0 && w->depth <= JW_MAXDEPTH) {
		if (!w->first[w->depth - 1])
			buf_addc(w->b, ',');
		w->first[w->depth - 1] = 0;
	}
}

/* Nesting deeper than JW_MAXDEPTH is a bug; it poisons the buf. */
static void
wopen(struct jw *w, char c)
{
	sep(w);
	buf_addc(w->b, c);
	if (w->depth >= JW_MAXDEPTH) {
		w->b->oom = 1;
		return;
	}
	w->first[w->depth++] = 1;
}

static void
wclose(struct jw *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	w->key = 0;
	buf_addc(w->b, c);
}

void
jw_obj(struct jw *w)
{
	wopen(w, '{');
}

void
jw_obj_end(struct jw *w)
{
	wclose(w, '}');
}

void
jw_arr(struct jw *w)
{
	wopen(w, '[');
}

void
jw_arr_end(struct jw *w)
{
	wclose(w, ']');
}

void
jw_key(struct jw *w, const char *k)
{
	sep(w);
	jw_quote(w->b, k, strlen(k));
	buf_addc(w->b, ':');
	w->key = 1;
}

void
jw_str(struct jw *w, const char *s, size_t n)
{
	sep(w);
	jw_quote(w->b, s, n);
}

void
jw_cstr(struct jw *w, const char *s)
{
	if (s == NULL)
		jw_null(w);
	else
		jw_str(w, s, strlen(s));
}

static void
put_u64(struct buf *b, int neg, uint64_t v)
{
	char	 tmp[21], *q = tmp + sizeof(tmp);

	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	if (neg)
		*--q = '-';
	buf_add(b, q, (size_t)(tmp + sizeof(tmp) - q));
}

void
jw_i64(struct jw *w, int64_t v)
{
	sep(w);
	put_u64(w->b, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void
jw_u64(struct jw *w, uint64_t v)
{
	sep(w);
	put_u64(w->b, 0, v);
}

void
jw_bool(struct jw *w, int v)
{
	sep(w);
	buf_adds(w->b, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	sep(w);
	buf_adds(w->b, "null");
}

void
jw_raw(struct jw *w, const char *s, size_t n)
{
	sep(w);
	buf_add(w->b, s, n);
}

void
jw_b64(struct jw *w, const void *p, size_t n)
{
	struct buf	*b = w->b;
	size_t		 elen;

	sep(w);
	if ((elen = b64_enc_len(n)) >= SIZE_MAX - 2) {
		b->oom = 1;
		return;
	}
	if (buf_reserve(b, elen + 2) == -1)
		return;
	b->p[b->len] = '"';
	b64_encode(b->p + b->len + 1, p, n);
	b->p[b->len + 1 + elen] = '"';
	b->len += elen + 2;
}

void
jw_quote(struct buf *b, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";
	const unsigned char	*p = (const unsigned char *)s;
	const char		*q;
	size_t			 i = 0, run = 0, k, bad;
	char			 e[6] = { '\\', 'u', '0', '0', 0, 0 };
	unsigned		 c;

	buf_addc(b, '"');
	while (i < n) {
		c = p[i];
		if (c >= 0x80) {
			if ((k = utf8_seq(p + i, n - i, &bad)) > 0) {
				i += k;
				continue;
			}
			buf_add(b, s + run, i - run);
			buf_add(b, "\xef\xbf\xbd", 3);		/* U+FFFD */
			run = i += bad;
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		buf_add(b, s + run, i - run);
		if ((q = memchr(from, (int)c, sizeof(from) - 1)) != NULL) {
			e[1] = to[q - from];		/* \" \\ \b \f \n \r \t */
			buf_add(b, e, 2);
			e[1] = 'u';
		} else {
			e[4] = hex[c >> 4];
			e[5] = hex[c & 0xf];
			buf_add(b, e, 6);
		}
		run = ++i;
	}
	buf_add(b, s + run, i - run);
	buf_addc(b, '"');
}
