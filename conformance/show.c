/*
 * show.c: values and bytes rendered for diagnostics, cut to a length.
 */
#include <stddef.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "show.h"

void
show_json(struct buf *b, const struct json_doc *d, int t, size_t max)
{
	size_t	 n;

	if (t < 0) {
		buf_adds(b, "(absent)");
		return;
	}
	n = d->tok[t].end - d->tok[t].start;
	if (n > max) {
		buf_add(b, d->p + d->tok[t].start, max);
		buf_addf(b, "...(%zu bytes)", n);
	} else
		buf_add(b, d->p + d->tok[t].start, n);
}

void
show_raw(struct buf *b, const char *p, size_t n, size_t max)
{
	size_t	 i, m = n > max ? max : n;

	for (i = 0; i < m; i++)
		buf_addc(b, p[i] == '\n' ? ' ' : p[i]);
	if (n > max)
		buf_addf(b, "...(%zu bytes)", n);
}

void
show_text(struct buf *b, const char *p, size_t n, size_t max)
{
	jw_quote(b, p, n > max ? max : n);
	if (n > max)
		buf_addf(b, "...(%zu bytes)", n);
}
