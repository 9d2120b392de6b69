/*
 * record.c: record mode.  An expect step of the scenario is written out
 * as what arrived: messages verbatim, process notifications as $process
 * records, the scratch directory as ${WORK}.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "base/utf8.h"
#include "client/wsc.h"
#include "record.h"
#include "run.h"
#include "session.h"
#include "stream.h"
#include "tok.h"

/* Append text with the scratch directory written as ${WORK}. */
static void
add_work(struct buf *b, const char *work, const char *p, size_t n)
{
	size_t		 wl = strlen(work);
	const char	*hit;

	while (n > 0 && (hit = memmem(p, n, work, wl)) != NULL) {
		buf_add(b, p, (size_t)(hit - p));
		buf_adds(b, "${WORK}");
		n -= (size_t)(hit - p) + wl;
		p = hit + wl;
	}
	buf_add(b, p, n);
}

static void
record_bytes(struct buf *b, const char *work, const char *p, size_t n)
{
	struct buf	 t = { 0 };
	char		*enc;

	if (utf8_valid(p, n) && memchr(p, '\0', n) == NULL) {
		add_work(&t, work, p, n);
		jw_quote(b, buf_data(&t), buf_used(&t));
		buf_free(&t);
		return;
	}
	if ((enc = malloc(b64_enc_len(n) + 1)) == NULL)
		return;
	b64_encode(enc, p, n);
	buf_adds(b, "{\"$bytes\":\"");
	buf_add(b, enc, b64_enc_len(n));
	buf_adds(b, "\"}");
	free(enc);
}

/* Write what arrived as the expect step, in place of the scenario's. */
void
record_expect(struct run *r, struct cxn *c, const struct json_doc *d)
{
	struct buf	*b = r->record;
	struct proc	*p;
	int64_t		 quiet = 300, until;
	size_t		 j, before;
	uint32_t	 i;
	int		 n = 0, s, k;

	tok_int(d, json_get(d, 0, "quietMs"), &quiet);
	do {
		before = c->nmsgs;
		until = wsc_now() + quiet;
		while (wsc_now() < until)
			session_pump(r->conns, until);
	} while (c->nmsgs != before);
	buf_adds(b, "{\"expect\":[");
	for (j = 0; j < c->nmsgs; j++) {
		if (c->msgs[j]->consumed == 0) {
			c->msgs[j]->consumed = 1;
			if (n++ > 0)
				buf_addc(b, ',');
			add_work(b, r->work, c->msgs[j]->text,
			    c->msgs[j]->len);
		}
	}
	for (p = c->procs; p != NULL; p = p->next) {
		if (p->count == p->claimed)
			continue;
		p->claimed = p->count;
		if (n++ > 0)
			buf_addc(b, ',');
		buf_adds(b, "{\"$process\":");
		jw_quote(b, p->id, strlen(p->id));
		for (s = 0; s < 3; s++)
			if (buf_used(&p->out[s]) > 0) {
				buf_addf(b, ",\"%s\":", stream_names[s]);
				record_bytes(b, r->work, buf_data(&p->out[s]),
				    buf_used(&p->out[s]));
			}
		if (p->exited)
			buf_addf(b, ",\"exitCode\":%lld",
			    (long long)p->exit_code);
		buf_addf(b, ",\"closed\":%s}", p->closed ? "true" : "false");
	}
	buf_addc(b, ']');
	/* Keep the step's other members. */
	for (k = 1, i = 0; i < d->tok[0].size; i++, k = d->tok[k + 1].next) {
		if (json_str_eq(d, k, "expect"))
			continue;
		buf_addc(b, ',');
		buf_add(b, d->p + d->tok[k].start, d->tok[k + 1].end -
		    d->tok[k].start);
	}
	buf_adds(b, "}\n");
}
