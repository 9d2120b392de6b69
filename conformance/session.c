/*
 * session.c: the runner's connections and what arrived on them.
 *
 * Every message received is kept, in arrival order.  process/output,
 * process/exited and process/closed notifications are also folded into
 * one record per (connection, processId): output per stream, decoded
 * and concatenated, and the sequence numbers seen, which are checked as
 * they arrive (each seq once, each stream's chunks in order, closed last
 * and after exited).  http/request/bodyDelta notifications are folded
 * the same way, per requestId, under the id "http:<requestId>": the body
 * in out[0], seqs that must run 1, 2, ... in order, done as closed, an
 * error as exited with its text in out[1].  Expectations then look at
 * the records, not at the individual chunks.  When a process id is reused after its record was
 * closed and fully expected, a new record starts.
 */
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"
#include "session.h"
#include "show.h"
#include "stream.h"
#include "tok.h"

struct cxn *
session_find(struct cxn *list, const char *name)
{
	for (; list != NULL; list = list->next)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

struct cxn *
session_add(struct cxn **list, const char *name, struct wsc *w)
{
	struct cxn	*c, **pp;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->w = w;
	for (pp = list; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = c;
	return c;
}

static void
proc_free(struct proc *p)
{
	int	 s;

	for (s = 0; s < 3; s++)
		buf_free(&p->out[s]);
	free(p->seen);
	free(p->id);
	free(p);
}

void
session_free_conn(struct cxn *c)
{
	struct proc	*p, *np;
	size_t		 i;

	if (c->w != NULL)
		wsc_close(c->w, 2000);
	for (i = 0; i < c->nmsgs; i++) {
		json_doc_free(&c->msgs[i]->doc);
		free(c->msgs[i]->text);
		free(c->msgs[i]);
	}
	free(c->msgs);
	buf_free(&c->raw);
	for (p = c->procs; p != NULL; p = np) {
		np = p->next;
		proc_free(p);
	}
	free(c);
}

struct proc *
session_proc_find(struct cxn *c, const char *id)
{
	struct proc	*p;

	for (p = c->procs; p != NULL; p = p->next)
		if (strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

static struct proc *
proc_get(struct cxn *c, const char *id)
{
	struct proc	*p;

	if ((p = session_proc_find(c, id)) != NULL) {
		if (p->closed && p->claimed == p->count) {
			/* A finished record: the id was reused. */
			char	*keep = p->id;
			struct proc *next = p->next;
			int	 s;

			for (s = 0; s < 3; s++)
				buf_free(&p->out[s]);
			free(p->seen);
			memset(p, 0, sizeof(*p));
			p->id = keep;
			p->next = next;
		}
		return p;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->id = strdup(id)) == NULL) {
		free(p);
		return NULL;
	}
	p->next = c->procs;
	c->procs = p;
	return p;
}

static void	 violation(struct proc *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
violation(struct proc *p, const char *fmt, ...)
{
	va_list	 ap;

	if (p->bad[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(p->bad, sizeof(p->bad), fmt, ap);
	va_end(ap);
}

/* Mark seq seen; 0 when it was already. */
static int
seq_mark(struct proc *p, int64_t seq)
{
	size_t	 bit = (size_t)seq, ncap;
	uint8_t	*n;

	if (bit >= p->seencap) {
		ncap = p->seencap ? p->seencap : 1024;
		while (ncap <= bit)
			ncap *= 2;
		if ((n = realloc(p->seen, ncap / 8)) == NULL)
			return 1;
		memset(n + p->seencap / 8, 0, (ncap - p->seencap) / 8);
		p->seen = n;
		p->seencap = ncap;
	}
	if (p->seen[bit / 8] & (1 << (bit % 8)))
		return 0;
	p->seen[bit / 8] |= (uint8_t)(1 << (bit % 8));
	return 1;
}

/* Fold a process notification into its record. */
static void
route(struct cxn *c, struct rmsg *m, int kind)
{
	const struct json_doc	*d = &m->doc;
	int			 params, k, s;
	char			*id, *chunk, *dec;
	struct proc		*p;
	int64_t			 seq;
	size_t			 n;
	long long		 dn;
	struct b64_err		 be;

	params = json_get(d, 0, "params");
	if ((id = tok_dup(d, tok_key(d, params, "processId"))) == NULL)
		return;
	p = proc_get(c, id);
	free(id);
	if (p == NULL)
		return;
	m->consumed = 2;
	p->count++;
	if (tok_int(d, tok_key(d, params, "seq"), &seq) == -1 || seq < 1 ||
	    seq > 100000000) {
		violation(p, "a notification without a valid seq");
		return;
	}
	if (p->closed)
		violation(p, "seq %lld arrived after process/closed (seq %lld)",
		    (long long)seq, (long long)p->closed_seq);
	if (!seq_mark(p, seq))
		violation(p, "seq %lld arrived twice", (long long)seq);
	p->nseen++;
	if (kind == 0) {
		k = tok_key(d, params, "stream");
		for (s = 0; s < 3; s++)
			if (tok_is_str(d, k, stream_names[s]))
				break;
		if (s == 3) {
			violation(p, "seq %lld: unknown stream",
			    (long long)seq);
			return;
		}
		if (seq <= p->last[s])
			violation(p, "output seq %lld after seq %lld of the "
			    "same stream", (long long)seq,
			    (long long)p->last[s]);
		p->last[s] = seq;
		chunk = tok_dup(d, tok_key(d, params, "chunk"));
		n = chunk != NULL ? strlen(chunk) : 0;
		dec = chunk != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
		dn = dec != NULL ? b64_decode(dec, chunk, n, &be) : -1;
		if (dn >= 0)
			buf_add(&p->out[s], dec, (size_t)dn);
		else
			violation(p, "seq %lld: chunk is not base64",
			    (long long)seq);
		free(chunk);
		free(dec);
	} else if (kind == 1) {
		if (p->exited)
			violation(p, "process/exited twice (seq %lld and "
			    "%lld)", (long long)p->exit_seq, (long long)seq);
		p->exited = 1;
		p->exit_seq = seq;
		if (tok_int(d, tok_key(d, params, "exitCode"),
		    &p->exit_code) == -1)
			p->exit_code = -1;
	} else {
		if (!p->exited)
			violation(p, "process/closed (seq %lld) before "
			    "process/exited", (long long)seq);
		if (seq < p->maxseq)
			violation(p, "process/closed has seq %lld, below seq "
			    "%lld", (long long)seq, (long long)p->maxseq);
		p->closed = 1;
		p->closed_seq = seq;
	}
	if (seq > p->maxseq)
		p->maxseq = seq;
}

/* Fold an http/request/bodyDelta notification into its record. */
static void
route_http(struct cxn *c, struct rmsg *m)
{
	const struct json_doc	*d = &m->doc;
	struct buf		 key = { 0 };
	struct proc		*p;
	char			*rid, *delta, *dec, *err;
	int			 params, k;
	int64_t			 seq;
	size_t			 n;
	long long		 dn;
	struct b64_err		 be;

	params = json_get(d, 0, "params");
	if ((rid = tok_dup(d, tok_key(d, params, "requestId"))) == NULL)
		return;
	buf_adds(&key, "http:");
	buf_adds(&key, rid);
	buf_addc(&key, '\0');
	free(rid);
	p = key.oom ? NULL : proc_get(c, buf_data(&key));
	buf_free(&key);
	if (p == NULL)
		return;
	m->consumed = 2;
	p->count++;
	if (tok_int(d, tok_key(d, params, "seq"), &seq) == -1 || seq < 1 ||
	    seq > 100000000) {
		violation(p, "a bodyDelta without a valid seq");
		return;
	}
	if (p->closed)
		violation(p, "seq %lld arrived after done (seq %lld)",
		    (long long)seq, (long long)p->closed_seq);
	if (seq != p->maxseq + 1)
		violation(p, "seq %lld after seq %lld", (long long)seq,
		    (long long)p->maxseq);
	(void)seq_mark(p, seq);
	p->nseen++;
	p->maxseq = seq;
	delta = tok_dup(d, tok_key(d, params, "deltaBase64"));
	n = delta != NULL ? strlen(delta) : 0;
	dec = delta != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
	dn = dec != NULL ? b64_decode(dec, delta, n, &be) : -1;
	if (dn >= 0)
		buf_add(&p->out[0], dec, (size_t)dn);
	else
		violation(p, "seq %lld: deltaBase64 is not base64",
		    (long long)seq);
	free(delta);
	free(dec);
	if (tok_bool(d, tok_key(d, params, "done"))) {
		p->closed = 1;
		p->closed_seq = seq;
		k = tok_key(d, params, "error");
		if (k >= 0 && d->tok[k].type == JSON_STRING &&
		    (err = tok_dup(d, k)) != NULL) {
			p->exited = 1;
			buf_adds(&p->out[1], err);
			free(err);
		}
	}
}

static void
store(struct cxn *c, const char *data, size_t len, int binary)
{
	struct rmsg	*m, **nm;
	int		 meth;

	if (c->nmsgs == c->capmsgs) {
		nm = reallocarray(c->msgs, c->capmsgs ? c->capmsgs * 2 : 64,
		    sizeof(*nm));
		if (nm == NULL)
			return;
		c->msgs = nm;
		c->capmsgs = c->capmsgs ? c->capmsgs * 2 : 64;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->text = malloc(len + 1)) == NULL) {
		free(m);
		return;
	}
	memcpy(m->text, data, len);
	m->text[len] = '\0';
	m->len = len;
	m->binary = binary;
	m->seq = c->nmsgs;
	m->ok = json_parse(&m->doc, m->text, len) == 0 &&
	    m->doc.tok[0].type == JSON_OBJECT;
	c->msgs[c->nmsgs++] = m;
	if (!m->ok || json_get(&m->doc, 0, "id") >= 0)
		return;
	meth = json_get(&m->doc, 0, "method");
	if (tok_is_str(&m->doc, meth, "process/output"))
		route(c, m, 0);
	else if (tok_is_str(&m->doc, meth, "process/exited"))
		route(c, m, 1);
	else if (tok_is_str(&m->doc, meth, "process/closed"))
		route(c, m, 2);
	else if (tok_is_str(&m->doc, meth, "http/request/bodyDelta"))
		route_http(c, m);
}

/* Take every event that is ready on c.  Returns how many there were. */
static int
drain(struct cxn *c)
{
	struct wsc_event	 ev;
	int			 n = 0;

	while (!c->ended && c->w != NULL) {
		switch (wsc_recv(c->w, &ev, 0)) {
		case WSC_EV_TIMEOUT:
			return n;
		case WSC_EV_MESSAGE:
			store(c, ev.data, ev.len, ev.binary);
			break;
		case WSC_EV_DATA:
			buf_add(&c->raw, ev.data, ev.len);
			break;
		case WSC_EV_PING:
			c->pings++;
			break;
		case WSC_EV_PONG:
			break;
		case WSC_EV_CLOSE:
			c->ended = 1;
			c->end_close = 1;
			c->end_code = ev.code;
			snprintf(c->error, sizeof(c->error), "%s",
			    ev.reason);
			break;
		case WSC_EV_EOF:
			c->ended = 1;
			break;
		case WSC_EV_ERROR:
			c->ended = 1;
			snprintf(c->error, sizeof(c->error), "%s",
			    wsc_error(c->w));
			break;
		}
		n++;
	}
	return n;
}

int
session_pump(struct cxn *list, int64_t deadline)
{
	struct pollfd	 pfd[64];
	struct cxn	*c;
	nfds_t		 n;
	int		 got = 0, to;
	int64_t		 d;

	for (;;) {
		for (c = list; c != NULL; c = c->next)
			got += drain(c);
		if (got > 0)
			return 1;
		n = 0;
		for (c = list; c != NULL && n < 64; c = c->next)
			if (!c->ended && c->w != NULL) {
				pfd[n].fd = wsc_fd(c->w);
				pfd[n].events = POLLIN;
				n++;
			}
		d = deadline - wsc_now();
		if (d <= 0)
			return 0;
		to = d > 1000 ? 1000 : (int)d;
		if (n == 0)
			poll(NULL, 0, to);
		else
			poll(pfd, n, to);
	}
}

int
session_leftovers(struct cxn *c, struct buf *why)
{
	struct proc	*p;
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < c->nmsgs; i++) {
		if (c->msgs[i]->consumed)
			continue;
		if (n++ < 3) {
			buf_addf(why, "# unexpected message on %s: ", c->name);
			show_raw(why, c->msgs[i]->text, c->msgs[i]->len, 600);
			buf_addc(why, '\n');
		}
	}
	if (n > 3)
		buf_addf(why, "# ... and %d more unexpected messages on %s\n",
		    n - 3, c->name);
	if (buf_used(&c->raw) > 0) {
		buf_addf(why, "# unexpected bytes on %s: ", c->name);
		show_text(why, buf_data(&c->raw), buf_used(&c->raw), 300);
		buf_addc(why, '\n');
		n++;
	}
	for (p = c->procs; p != NULL; p = p->next) {
		if (p->bad[0] != '\0') {
			buf_addf(why, "# process \"%s\" on %s: %s\n", p->id,
			    c->name, p->bad);
			n++;
		}
		if (p->count > p->claimed) {
			buf_addf(why, "# %zu notification(s) of process \"%s\" "
			    "on %s that no expectation covers (state: ",
			    p->count - p->claimed, p->id, c->name);
			if (p->closed)
				buf_adds(why, "closed");
			else if (p->exited)
				buf_adds(why, "exited");
			else
				buf_adds(why, "running");
			buf_adds(why, ")\n");
			n++;
		}
	}
	return n;
}

void
session_describe_end(struct cxn *c, char *s, size_t n)
{
	if (!c->ended)
		snprintf(s, n, "still open");
	else if (c->end_close)
		snprintf(s, n, "Close frame %d \"%s\"", c->end_code, c->error);
	else
		snprintf(s, n, "closed without a Close frame%s%s",
		    c->error[0] ? ": " : "", c->error);
}
