/*
 * steps.c: run the steps of a transcript against a server.
 *
 * Messages are matched as a set: an "expect" step waits until each of
 * its items has been matched by some message received on its connection
 * and not claimed before, whatever the order of arrival, and leaves the
 * rest for later steps.  "$process" items look at the per-process
 * records kept by session.c.  Whatever is still unclaimed when a
 * connection ends, or at the end, fails the transcript.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"
#include "links.h"
#include "match.h"
#include "net/ws.h"
#include "prepare.h"
#include "record.h"
#include "run.h"
#include "session.h"
#include "show.h"
#include "steps.h"
#include "stream.h"
#include "tok.h"
#include "transcript.h"
#include "vars.h"

#define MAXITEMS	256

/* ------------------------------------------------------------ sending */

static int
do_send(struct run *r, const struct json_doc *d, const char *key)
{
	struct cxn	*c = run_conn(r, d);
	struct buf	 b = { 0 };
	char		 err[256];
	int		 k = json_get(d, 0, key), f, rc = -1;
	int64_t		 op = WS_OP_TEXT, rsv = 0;
	int64_t		 deadline = run_deadline(r, d);

	if (c == NULL)
		return -1;
	if (strcmp(key, "send") == 0) {
		if (vars_subst_json(&b, &r->vars, d, k, err,
		    sizeof(err)) == -1) {
			run_fail(r, 0, "%s", err);
			goto out;
		}
	} else if (strcmp(key, "sendFrame") == 0) {
		if (run_payload(r, d, json_get(d, k, "payload"), &b) == -1)
			goto out;
	} else if (run_payload(r, d, k, &b) == -1)
		goto out;
	if (b.oom) {
		run_fail(r, 0, "out of memory");
		goto out;
	}
	if (strcmp(key, "sendFrame") == 0) {
		if (wsc_kind(c->w) != WSC_WS) {
			run_fail(r, 0, "sendFrame needs a WebSocket");
			goto out;
		}
		tok_int(d, json_get(d, k, "opcode"), &op);
		tok_int(d, json_get(d, k, "rsv"), &rsv);
		f = json_get(d, k, "fin");
		rc = wsc_send_frame(c->w, (int)op, f < 0 || tok_bool(d, f),
		    (int)rsv, json_get(d, k, "mask") < 0 ||
		    tok_bool(d, json_get(d, k, "mask")), buf_data(&b),
		    buf_used(&b), deadline);
	} else if (strcmp(key, "sendBytes") == 0)
		rc = wsc_send_raw(c->w, buf_data(&b), buf_used(&b), deadline);
	else
		rc = wsc_send(c->w, buf_data(&b), buf_used(&b),
		    tok_bool(d, json_get(d, 0, "binary")), deadline);
	if (rc == -1 && tok_bool(d, json_get(d, 0, "mayFail")))
		rc = 0;
	else if (rc == -1)
		run_fail(r, 0, "send on %s failed: %s", c->name,
		    wsc_error(c->w));
out:
	buf_free(&b);
	return rc;
}

/* ---------------------------------------------------------- expecting */

struct item {
	int		 tok;
	int		 isproc;
	int		 done;
	size_t		 seq;		/* arrival of the matched message */
};

static const char *
stream_key(int s)
{
	return stream_names[s];
}

static void
show_proc(struct buf *b, struct proc *p)
{
	int	 s;

	if (p == NULL) {
		buf_adds(b, "nothing received");
		return;
	}
	for (s = 0; s < 3; s++)
		if (buf_used(&p->out[s]) > 0) {
			buf_addf(b, "%s=", stream_names[s]);
			show_text(b, buf_data(&p->out[s]),
			    buf_used(&p->out[s]), 200);
			buf_addc(b, ' ');
		}
	if (p->exited)
		buf_addf(b, "exited(code %lld, seq %lld) ",
		    (long long)p->exit_code, (long long)p->exit_seq);
	if (p->closed)
		buf_addf(b, "closed(seq %lld) ", (long long)p->closed_seq);
	buf_addf(b, "[%lld notifications]", (long long)p->nseen);
}

/*
 * A $http item: {"$http":REQUESTID, "body":M, "error":M}: waits for the
 * stream's done, then its body (all deltas, decoded, in seq order from
 * 1) must match body, and its error the error matcher (absent or null:
 * none).  1 satisfied, 0 not yet, -1 can no longer be (why set).
 */
static int
http_item(struct run *r, struct cxn *c, const struct json_doc *d, int it,
    struct buf *why)
{
	struct mctx	 m = { .vars = &r->vars };
	struct buf	 key = { 0 };
	struct proc	*p;
	char		*rid = tok_dup(d, json_get(d, it, "$http"));
	size_t		 mark = r->vars.n;
	int		 k;

	if (rid == NULL) {
		buf_adds(why, "$http needs a requestId");
		return -1;
	}
	buf_adds(&key, "http:");
	buf_adds(&key, rid);
	buf_addc(&key, '\0');
	free(rid);
	p = key.oom ? NULL : session_proc_find(c, buf_data(&key));
	buf_free(&key);
	if (r->record != NULL)
		return p != NULL && p->closed && p->claimed < p->count;
	if (p != NULL && p->bad[0] != '\0') {
		buf_addf(why, "bodyDelta order: %s", p->bad);
		return -1;
	}
	if (p == NULL || !p->closed || p->claimed == p->count)
		return 0;
	if ((k = json_get(d, it, "body")) >= 0 && !match_bytes(&m, d, k,
	    buf_data(&p->out[0]), buf_used(&p->out[0]), "body"))
		goto no;
	k = json_get(d, it, "error");
	if (k < 0 || d->tok[k].type == JSON_NULL) {
		if (p->exited) {
			snprintf(m.why, sizeof(m.why), "the stream ended with "
			    "an error: %.*s", (int)buf_used(&p->out[1]),
			    buf_data(&p->out[1]));
			goto no;
		}
	} else if (!p->exited || !match_bytes(&m, d, k, buf_data(&p->out[1]),
	    buf_used(&p->out[1]), "error"))
		goto no;
	p->claimed = p->count;
	return 1;
no:
	vars_rollback(&r->vars, mark);
	buf_addf(why, "%s (%zu bytes in %lld deltas)", m.why,
	    buf_used(&p->out[0]), (long long)p->nseen);
	return -1;
}

/*
 * A $process item: 1 satisfied, 0 not yet, -1 can no longer be (why
 * set).
 */
static int
proc_item(struct run *r, struct cxn *c, const struct json_doc *d, int it,
    struct buf *why)
{
	struct mctx	 m = { .vars = &r->vars };
	struct proc	*p;
	char		*id = tok_dup(d, json_get(d, it, "$process"));
	int		 want_closed, s, k;
	int64_t		 after = 0, i;
	size_t		 mark = r->vars.n;
	static struct proc empty;

	if (id == NULL) {
		buf_adds(why, "$process needs a process id");
		return -1;
	}
	p = session_proc_find(c, id);
	free(id);
	k = json_get(d, it, "closed");
	want_closed = k < 0 || tok_bool(d, k);
	if (r->record != NULL)		/* only a condition to wait for */
		return want_closed ? p != NULL && p->closed &&
		    p->claimed < p->count : p != NULL && p->count > p->claimed;
	tok_int(d, json_get(d, it, "afterSeq"), &after);
	if (p != NULL && p->bad[0] != '\0') {
		buf_addf(why, "notification order: %s", p->bad);
		return -1;
	}
	if (want_closed && (p == NULL || !p->closed))
		return 0;
	/* A record an earlier item took whole: wait for the id's reuse. */
	if (p != NULL && p->closed && p->claimed == p->count)
		return 0;
	if (p == NULL)
		p = &empty;
	for (s = 0; s < 3; s++) {
		k = json_get(d, it, stream_key(s));
		if (k < 0 ? buf_used(&p->out[s]) == 0 : match_bytes(&m, d, k,
		    buf_data(&p->out[s]), buf_used(&p->out[s]),
		    stream_names[s]))
			continue;
		if (k < 0)
			snprintf(m.why, sizeof(m.why), "unexpected %s output",
			    stream_names[s]);
		goto no;
	}
	k = json_get(d, it, "exitCode");
	if (k < 0 && want_closed) {
		buf_adds(why, "a $process item waiting for closed needs "
		    "exitCode");
		return -1;
	}
	if (k >= 0 && !p->exited) {
		snprintf(m.why, sizeof(m.why), "not exited yet");
		goto no;
	}
	if (k >= 0 && !match_i64(&m, d, k, p->exit_code)) {
		snprintf(m.why, sizeof(m.why), "exit code %lld",
		    (long long)p->exit_code);
		goto no;
	}
	if (want_closed) {
		for (i = after + 1; i <= p->closed_seq; i++)
			if ((size_t)i >= p->seencap ||
			    !(p->seen[i / 8] & (1 << (i % 8))))
				break;
		if (i <= p->closed_seq || p->nseen != p->closed_seq - after) {
			buf_addf(why, "seqs are not %lld..%lld without gaps "
			    "(%lld notifications, seq %lld missing)",
			    (long long)after + 1, (long long)p->closed_seq,
			    (long long)p->nseen, (long long)i);
			return -1;
		}
	}
	for (s = 0; s < 2; s++) {
		const char	*key = s == 0 ? "exitedSeq" : "closedSeq";
		int64_t		 v = s == 0 ? p->exit_seq : p->closed_seq;

		if ((k = json_get(d, it, key)) < 0)
			continue;
		if (!match_i64(&m, d, k, v)) {
			snprintf(m.why, sizeof(m.why), "%s is %lld", key,
			    (long long)v);
			goto no;
		}
	}
	if (p != &empty)
		p->claimed = p->count;
	return 1;
no:
	vars_rollback(&r->vars, mark);
	if (want_closed) {
		buf_addf(why, "%s: ", m.why);
		show_proc(why, p);
		return -1;
	}
	return 0;
}

/* Why did item it match nothing?  Describe the closest message. */
static void
explain(struct run *r, struct cxn *c, const struct json_doc *d, int it,
    int skipmsg, struct buf *why)
{
	struct mctx	 m = { .vars = &r->vars, .skip_message = skipmsg };
	struct rmsg	*best = NULL;
	char		 bpath[256] = "", bwhy[768] = "";
	int		 bdepth = -1;
	size_t		 i;

	for (i = 0; i < c->nmsgs; i++) {
		if (c->msgs[i]->consumed || !c->msgs[i]->ok)
			continue;
		if (match_value(&m, d, it, &c->msgs[i]->doc, 0))
			continue;
		if (m.depth > bdepth) {
			bdepth = m.depth;
			best = c->msgs[i];
			snprintf(bpath, sizeof(bpath), "%s", m.path);
			snprintf(bwhy, sizeof(bwhy), "%s", m.why);
		}
	}
	if (best == NULL) {
		buf_adds(why, "#   nothing else unclaimed was received\n");
		return;
	}
	buf_adds(why, "#   closest: ");
	show_raw(why, best->text, best->len, 600);
	buf_addf(why, "\n#   first difference at %s: %s\n", bpath, bwhy);
}

/*
 * Can item it be satisfied now?  1 yes (its message is claimed), 0 not
 * yet, -1 never (why says why).
 */
static int
try_item(struct run *r, struct cxn *c, const struct json_doc *d,
    struct item *it, struct mctx *m, struct buf *why)
{
	size_t	 j;
	int	 x;

	if (it->isproc) {
		x = json_get(d, it->tok, "$http") >= 0 ?
		    http_item(r, c, d, it->tok, why) :
		    proc_item(r, c, d, it->tok, why);
		return x == -1 && r->record != NULL ? 0 : x;
	}
	if ((x = json_get(d, it->tok, "$raw")) >= 0) {
		/* Bytes of a raw link, or a message that is not JSON. */
		if (buf_used(&c->raw) > 0 && match_bytes(m, d, x,
		    buf_data(&c->raw), buf_used(&c->raw), "$raw")) {
			buf_reset(&c->raw);
			return 1;
		}
		for (j = 0; j < c->nmsgs; j++)
			if (!c->msgs[j]->consumed && !c->msgs[j]->ok &&
			    match_bytes(m, d, x, c->msgs[j]->text,
			    c->msgs[j]->len, "$raw")) {
				c->msgs[j]->consumed = 1;
				it->seq = c->msgs[j]->seq;
				return 1;
			}
		return 0;
	}
	for (j = 0; j < c->nmsgs; j++) {
		if (c->msgs[j]->consumed || !c->msgs[j]->ok)
			continue;
		if (match_value(m, d, it->tok, &c->msgs[j]->doc, 0)) {
			/* Recording keeps the message to write it out. */
			if (r->record == NULL)
				c->msgs[j]->consumed = 1;
			it->seq = c->msgs[j]->seq;
			return 1;
		}
	}
	return 0;
}

static int
do_expect(struct run *r, const struct json_doc *d)
{
	struct cxn	*c = run_conn(r, d);
	struct item	 items[MAXITEMS];
	struct mctx	 m = { .vars = &r->vars };
	struct buf	 why = { 0 };
	int		 list = json_get(d, 0, "expect"), progress, left, x;
	int64_t		 deadline = run_deadline(r, d);
	uint32_t	 n, i;
	size_t		 last;
	char		 how[300];

	if (c == NULL)
		return -1;
	if (list < 0 || d->tok[list].type != JSON_ARRAY ||
	    d->tok[list].size > MAXITEMS) {
		run_fail(r, 0, "expect takes an array of at most %d items",
		    MAXITEMS);
		return -1;
	}
	m.skip_message = !tok_bool(d, json_get(d, 0, "exactMessage"));
	n = d->tok[list].size;
	for (i = 0; i < n; i++) {
		items[i].tok = json_at(d, list, i);
		items[i].isproc = json_get(d, items[i].tok, "$process") >= 0 ||
		    json_get(d, items[i].tok, "$http") >= 0;
		items[i].done = 0;
	}
	for (;;) {
		do {
			progress = 0;
			for (i = 0; i < n; i++) {
				if (items[i].done)
					continue;
				buf_reset(&why);
				x = try_item(r, c, d, &items[i], &m, &why);
				if (x == -1) {
					buf_addc(&why, '\0');
					run_fail(r, 0, "$process item %u: %s",
					    i + 1, buf_data(&why));
					goto out;
				}
				if (x == 1)
					items[i].done = progress = 1;
			}
		} while (progress);
		for (left = 0, i = 0; i < n; i++)
			left += !items[i].done;
		if (left == 0)
			break;
		if (c->ended || wsc_now() >= deadline) {
			if (r->record != NULL)
				break;
			session_describe_end(c, how, sizeof(how));
			for (i = 0; i < n && items[i].done; i++)
				;
			buf_reset(&why);
			if (items[i].isproc && json_get(d, items[i].tok,
			    "$http") >= 0) {
				buf_adds(&why, "the stream of $http is not "
				    "done");
			} else if (items[i].isproc) {
				char	*pid = tok_dup(d, json_get(d,
				    items[i].tok, "$process"));

				proc_item(r, c, d, items[i].tok, &why);
				buf_adds(&why, " (have: ");
				show_proc(&why, pid != NULL ?
				    session_proc_find(c, pid) : NULL);
				buf_adds(&why, ")");
				free(pid);
			}
			buf_addc(&why, '\0');
			run_fail(r, 0, "%s waiting on %s (%s) for item %u of "
			    "%u%s%s", c->ended ? "connection ended" :
			    "timed out", c->name, how, i + 1, n,
			    items[i].isproc ? ": " : "",
			    items[i].isproc ? buf_data(&why) : "");
			buf_reset(&why);
			buf_adds(&why, "#   expected: ");
			show_json(&why, d, items[i].tok, 500);
			buf_addc(&why, '\n');
			if (!items[i].isproc)
				explain(r, c, d, items[i].tok, m.skip_message,
				    &why);
			buf_add(&r->diag, buf_data(&why), buf_used(&why));
			goto out;
		}
		session_pump(r->conns, deadline);
	}
	if (tok_bool(d, json_get(d, 0, "ordered")))
		for (last = 0, i = 0; i < n; i++) {
			if (items[i].isproc)
				continue;
			if (items[i].seq < last) {
				run_fail(r, 0, "item %u arrived before an "
				    "earlier item (ordered)", i + 1);
				goto out;
			}
			last = items[i].seq;
		}
	if (r->record != NULL)
		record_expect(r, c, d);
	buf_free(&why);
	return 0;
out:
	buf_free(&why);
	return -1;
}

static int
do_absent(struct run *r, const struct json_doc *d)
{
	struct cxn	*c = run_conn(r, d);
	struct mctx	 m = { .vars = &r->vars };
	int		 list = json_get(d, 0, "absent"), any;
	int64_t		 ms = 500, deadline;
	size_t		 start, j, mark;
	uint32_t	 i;

	if (c == NULL)
		return -1;
	tok_int(d, json_get(d, 0, "forMs"), &ms);
	deadline = wsc_now() + (int64_t)((double)ms * r->timeout_mult);
	any = tok_is_str(d, list, "any");
	if (!any && (list < 0 || d->tok[list].type != JSON_ARRAY)) {
		run_fail(r, 0, "absent takes an array or \"any\"");
		return -1;
	}
	start = c->nmsgs;
	while (session_pump(r->conns, deadline))
		;
	for (j = 0; j < c->nmsgs; j++) {
		struct rmsg	*msg = c->msgs[j];

		if (msg->consumed == 1 || (msg->consumed == 2 && j < start))
			continue;
		for (i = 0; any ? i < 1 : i < d->tok[list].size; i++) {
			mark = r->vars.n;
			if (any || (msg->ok && match_value(&m, d,
			    json_at(d, list, i), &msg->doc, 0))) {
				vars_rollback(&r->vars, mark);
				run_fail(r, 0, "a message that must not come "
				    "arrived on %s", c->name);
				buf_adds(&r->diag, "#   got: ");
				show_raw(&r->diag, msg->text, msg->len, 600);
				buf_addc(&r->diag, '\n');
				return -1;
			}
		}
	}
	return 0;
}

static int
do_sleep(struct run *r, const struct json_doc *d)
{
	int64_t	 ms = 0, deadline;

	tok_int(d, json_get(d, 0, "sleep"), &ms);
	deadline = wsc_now() + ms;
	while (wsc_now() < deadline)
		session_pump(r->conns, deadline);
	return 0;
}

/* ------------------------------------------------------------- driver */

static int
one_step(struct run *r, const struct json_doc *d)
{
	if (json_get(d, 0, "send") >= 0)
		return do_send(r, d, "send");
	if (json_get(d, 0, "sendRaw") >= 0)
		return do_send(r, d, "sendRaw");
	if (json_get(d, 0, "sendFrame") >= 0)
		return do_send(r, d, "sendFrame");
	if (json_get(d, 0, "sendBytes") >= 0)
		return do_send(r, d, "sendBytes");
	if (json_get(d, 0, "expect") >= 0)
		return do_expect(r, d);
	if (json_get(d, 0, "absent") >= 0)
		return do_absent(r, d);
	if (json_get(d, 0, "sleep") >= 0)
		return do_sleep(r, d);
	if (json_get(d, 0, "prepare") >= 0)
		return prepare_run(r, d, json_get(d, 0, "prepare"));
	if (json_get(d, 0, "open") >= 0)
		return links_open(r, d);
	if (json_get(d, 0, "close") >= 0)
		return links_end(r, d, 1);
	if (json_get(d, 0, "closed") >= 0)
		return links_end(r, d, 0);
	if (json_get(d, 0, "drop") >= 0)
		return links_drop(r, d);
	if (json_get(d, 0, "comment") >= 0 && d->tok[0].size == 1)
		return 0;
	run_fail(r, 0, "unknown step");
	return -1;
}

int
steps_run(struct run *r)
{
	struct cxn	*c;
	size_t		 i;
	int		 rc;

	if (r->record != NULL) {
		buf_add(r->record, r->t->lines[0].p, r->t->lines[0].len);
		buf_addc(r->record, '\n');
	}
	for (i = 1; i < r->t->nlines; i++) {
		const struct json_doc	*d = &r->t->lines[i].doc;

		r->cur_line = r->t->lines[i].lineno;
		if (r->verbose)
			fprintf(stderr, "# > %.200s\n", r->t->lines[i].p);
		rc = one_step(r, d);
		if (r->record != NULL && json_get(d, 0, "expect") < 0) {
			buf_add(r->record, r->t->lines[i].p,
			    r->t->lines[i].len);
			buf_addc(r->record, '\n');
		}
		if (rc == -1 && r->record == NULL)
			break;
	}
	r->cur_line = r->t->lines[r->t->nlines - 1].lineno;
	if (!r->failed || r->record != NULL) {
		session_pump(r->conns, 0);
		for (c = r->conns; c != NULL; c = c->next)
			run_leftovers(r, c);
	}
	while ((c = r->conns) != NULL) {
		r->conns = c->next;
		session_free_conn(c);
	}
	return r->failed ? -1 : 0;
}
