/*
 * run.c: the state of one transcript's run, and what every kind of step
 * needs from it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"
#include "run.h"
#include "session.h"
#include "tok.h"
#include "transcript.h"
#include "vars.h"

void
run_fail(struct run *r, size_t line, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line == 0)
		line = (size_t)r->cur_line;
	if (r->failed && r->record == NULL)
		return;
	if (!r->failed) {
		r->failed = 1;
		r->fail_line = line;
	}
	buf_addf(&r->diag, "# line %zu: %s\n", line, msg);
}

int64_t
run_deadline(struct run *r, const struct json_doc *d)
{
	int64_t	 ms;

	if (tok_int(d, json_get(d, 0, "timeoutMs"), &ms) == -1) {
		ms = r->default_timeout;
		if (r->t->timeout_ms > ms)
			ms = r->t->timeout_ms;
	}
	return wsc_now() + (int64_t)((double)ms * r->timeout_mult);
}

struct cxn *
run_conn(struct run *r, const struct json_doc *d)
{
	struct cxn	*c;
	char		*name = tok_dup(d, json_get(d, 0, "conn"));
	const char	*n = name != NULL ? name : "c1";

	c = session_find(r->conns, n);
	if (c == NULL || c->w == NULL)
		run_fail(r, 0, "connection %s is not open", n);
	free(name);
	return c;
}

void
run_unlink(struct run *r, struct cxn *c)
{
	struct cxn	**pp;

	for (pp = &r->conns; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	session_free_conn(c);
}

/* Bytes given as a string (placeholders allowed), $bytes or $repeat. */
int
run_payload(struct run *r, const struct json_doc *d, int t, struct buf *b)
{
	char		 err[256];
	char		*s;
	size_t		 n;
	int64_t		 count, i;
	int		 k;

	if (t < 0)
		return 0;
	if (d->tok[t].type == JSON_STRING) {
		if (vars_subst_str(b, &r->vars, d, t, err, sizeof(err)) == -1) {
			run_fail(r, 0, "%s", err);
			return -1;
		}
		return 0;
	}
	if ((k = json_get(d, t, "$bytes")) >= 0) {
		if (tok_b64(d, k, b) == 0)
			return 0;
	} else if ((k = json_get(d, t, "$repeat")) >= 0 &&
	    tok_int(d, json_get(d, t, "count"), &count) == 0 &&
	    (s = json_str_dup(d, k, &n)) != NULL) {
		for (i = 0; i < count; i++)
			buf_add(b, s, n);
		free(s);
		return 0;
	}
	run_fail(r, 0, "bad payload");
	return -1;
}

void
run_leftovers(struct run *r, struct cxn *c)
{
	struct buf	 why = { 0 };

	if (session_leftovers(c, &why) > 0) {
		run_fail(r, 0, "unexpected traffic on %s", c->name);
		buf_add(&r->diag, buf_data(&why), buf_used(&why));
	}
	buf_free(&why);
}
