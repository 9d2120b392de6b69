/*
 * xc.c: exec-client's connection to the server.  Requests go out with
 * xc_begin and xc_send; answers are kept by id until xc_await takes
 * them; the process notifications of the command being run (c->pid)
 * are handled as they arrive: output copied to our stdout and stderr,
 * exited and closed noted in the client.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "client/wsc.h"
#include "client/xc.h"
#include "compat/uri.h"

#define CALL_MS		60000		/* how long a request may take */

static void	(*die_hook)(void);

void
xc_atdie(void (*fn)(void))
{
	die_hook = fn;
}

void
xc_die(const char *fmt, ...)
{
	va_list	 ap;

	if (die_hook != NULL)
		die_hook();
	fputs("exec-client: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_TOOL);
}

/* ----------------------------------------------------------- messages */

void
xc_send(struct client *c, struct buf *b)
{
	if (b->oom)
		xc_die("out of memory");
	if (wsc_send(c->w, buf_data(b), buf_used(b), 0, wsc_now() + CALL_MS)
	    == -1)
		xc_die("send: %s", wsc_error(c->w));
}

/* Start a request: {"id":N,"method":M,"params":...}.  Returns N. */
int64_t
xc_begin(struct client *c, struct jw *j, struct buf *b, const char *method,
    int64_t id)
{
	buf_reset(b);
	jw_init(j, b);
	jw_obj(j);
	jw_key(j, "id");
	jw_i64(j, id);
	jw_key(j, "method");
	jw_cstr(j, method);
	jw_key(j, "params");
	(void)c;
	return id;
}

void
xc_write_out(struct client *c, int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0 && !c->sigpipe) {
		w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w == -1 && errno == EPIPE)
			c->sigpipe = 1;
		else if (w == -1 && errno != EINTR && errno != EAGAIN)
			xc_die("write: %s", strerror(errno));
	}
}

static void
on_output(struct client *c, const struct json_doc *d, int params)
{
	int		 t = json_get(d, params, "chunk");
	char		*s, *dec;
	size_t		 n;
	long long	 dn;
	struct b64_err	 be;

	if ((s = json_str_dup(d, t, &n)) == NULL)
		return;
	dec = malloc(b64_dec_max(n) + 1);
	dn = dec != NULL ? b64_decode(dec, s, n, &be) : -1;
	if (dn > 0)
		xc_write_out(c, json_str_eq(d, json_get(d, params, "stream"),
		    "stderr") ? 2 : 1, dec, (size_t)dn);
	free(dec);
	free(s);
}

/* One message from the server. */
static void
dispatch(struct client *c, const char *text, size_t len)
{
	struct json_doc	 d;
	struct reply	*r;
	int		 id, m, params, st;
	int64_t		 v;

	memset(&d, 0, sizeof(d));
	if (json_parse(&d, text, len) == -1 || d.tok[0].type != JSON_OBJECT)
		goto out;
	id = json_get(&d, 0, "id");
	m = json_get(&d, 0, "method");
	params = json_get(&d, 0, "params");
	if (id < 0 && m >= 0) {
		if (!json_str_eq(&d, json_get(&d, params, "processId"), c->pid))
			goto out;
		if (json_str_eq(&d, m, "process/output"))
			on_output(c, &d, params);
		else if (json_str_eq(&d, m, "process/exited")) {
			c->exited = 1;
			if (json_i64(&d, json_get(&d, params, "exitCode"),
			    &c->exit_code) == -1)
				c->exit_code = 1;
		} else if (json_str_eq(&d, m, "process/closed"))
			c->closed = 1;
		goto out;
	}
	if (id < 0 || json_i64(&d, id, &v) == -1)
		goto out;
	if (v == WRITE_BASE - 1)	/* process/signal, process/terminate */
		goto out;
	if (v >= WRITE_BASE) {
		c->writes--;
		st = json_get(&d, json_get(&d, 0, "result"), "status");
		if (st < 0 || !json_str_eq(&d, st, "accepted"))
			/* stdinClosed, unknownProcess: stop sending. */
			c->stdin_open = 0;
		goto out;
	}
	r = reallocarray(c->replies, c->nreplies + 1, sizeof(*r));
	if (r == NULL)
		xc_die("out of memory");
	c->replies = r;
	r = &c->replies[c->nreplies++];
	r->id = v;
	r->len = len;
	if ((r->text = malloc(len + 1)) == NULL)
		xc_die("out of memory");
	memcpy(r->text, text, len);
	r->text[len] = '\0';
out:
	json_doc_free(&d);
}

/* Take whatever is ready (deadline 0) or wait until the deadline. */
void
xc_pump(struct client *c, int64_t deadline)
{
	struct wsc_event	 ev;

	for (;;) {
		switch (wsc_recv(c->w, &ev, deadline)) {
		case WSC_EV_MESSAGE:
			dispatch(c, ev.data, ev.len);
			deadline = 0;
			break;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			break;
		case WSC_EV_TIMEOUT:
			return;
		case WSC_EV_CLOSE:
			xc_die("the server closed the connection (code %d%s%s)",
			    ev.code, ev.reason[0] ? ": " : "", ev.reason);
		case WSC_EV_EOF:
			xc_die("the server closed the connection");
		default:
			xc_die("connection: %s", wsc_error(c->w));
		}
	}
}

/*
 * Wait for the answer to request id: returns its text (the caller frees
 * it) with *doc parsed and *res the "result" token; an error answer
 * ends the program with its message.
 */
char *
xc_await(struct client *c, int64_t id, const char *what, struct json_doc *doc,
    int *res)
{
	int64_t		 deadline = wsc_now() + CALL_MS, code = 0;
	size_t		 i;
	char		*text, *msg;
	int		 e;

	for (;;) {
		for (i = 0; i < c->nreplies; i++)
			if (c->replies[i].id == id)
				break;
		if (i < c->nreplies)
			break;
		if (wsc_now() >= deadline)
			xc_die("%s: no answer from the server", what);
		xc_pump(c, deadline);
	}
	text = c->replies[i].text;
	c->replies[i] = c->replies[--c->nreplies];
	memset(doc, 0, sizeof(*doc));
	if (json_parse(doc, text, strlen(text)) == -1)
		xc_die("%s: bad answer", what);
	if ((e = json_get(doc, 0, "error")) >= 0) {
		json_i64(doc, json_get(doc, e, "code"), &code);
		msg = json_str_dup(doc, json_get(doc, e, "message"), NULL);
		xc_die("%s: %s (error %lld)", what, msg != NULL ? msg : "?",
		    (long long)code);
	}
	*res = json_get(doc, 0, "result");
	return text;
}

/* An absolute remote path as a file:// URI. */
void
xc_remote_uri(struct jw *j, const char *path)
{
	if (path[0] != '/')
		xc_die("%s: remote paths must be absolute", path);
	uri_put(j, path);
}
