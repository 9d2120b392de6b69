/*
 * buf.c: growable byte buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* Make room for n more bytes; compacts the consumed prefix first. */
int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need, cap;
	char	*p;

	if (b->oom)
		return -1;
	if (b->off > 0 && b->off == b->len)
		b->off = b->len = 0;
	if (n <= b->cap - b->len)
		return 0;
	if (b->off > 0 && n <= b->cap - (b->len - b->off)) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		return 0;
	}
	if (n > SIZE_MAX - b->len)
		goto fail;
	need = b->len + n;
	cap = b->cap ? b->cap : 256;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		goto fail;
	b->p = p;
	b->cap = cap;
	return 0;
fail:
	b->oom = 1;
	return -1;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n) == -1)
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n + 1) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Drop n bytes from the front. */
void
buf_prepend(struct buf *b, const void *v, size_t n)
{
	size_t	 used;

	if (b->oom || n == 0)
		return;
	if (n <= b->off) {
		b->off -= n;
		memcpy(b->p + b->off, v, n);
		return;
	}
	if (buf_reserve(b, n) == -1)
		return;
	used = b->len - b->off;
	memmove(b->p + n, b->p + b->off, used);
	memcpy(b->p, v, n);
	b->off = 0;
	b->len = used + n;
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len - b->off)
		b->off = b->len = 0;
	else
		b->off += n;
}

void
buf_reset(struct buf *b)
{
	b->off = b->len = 0;
	b->oom = 0;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->off = b->len = b->cap = 0;
	b->oom = 0;
}
