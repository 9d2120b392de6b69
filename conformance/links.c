/*
 * links.c: the connection steps (open, close, closed, drop).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"
#include "links.h"
#include "match.h"
#include "net/ws.h"
#include "run.h"
#include "session.h"
#include "show.h"
#include "tok.h"

/* Does the open step name an Authorization header? */
static int
has_auth(const struct json_doc *d)
{
	uint32_t	 i;
	char		*name;
	int		 k, found = 0;

	if ((k = json_get(d, 0, "headers")) < 0 ||
	    d->tok[k].type != JSON_OBJECT)
		return 0;
	for (k = k + 1, i = 0; i < d->tok[k - 1].size && !found; i++,
	    k = d->tok[k + 1].next) {
		if ((name = tok_dup(d, k)) == NULL)
			return 1;	/* out of memory: add nothing */
		found = strcasecmp(name, "authorization") == 0;
		free(name);
	}
	return found;
}

int
links_open(struct run *r, const struct json_doc *d)
{
	struct wsc_http	 http;
	struct buf	 hdr = { 0 }, url = { 0 }, body = { 0 };
	struct mctx	 m = { .vars = &r->vars };
	struct wsc	*w = NULL;
	struct cxn	*c;
	char		 err[512], *name;
	int		 h, k, v, ok = -1;
	int64_t		 deadline = run_deadline(r, d), st;
	uint32_t	 i;

	name = tok_dup(d, json_get(d, 0, "open"));
	if (name == NULL) {
		run_fail(r, 0, "open needs a connection name");
		return -1;
	}
	if ((c = session_find(r->conns, name)) != NULL) {
		if (c->w != NULL && !c->ended) {
			run_fail(r, 0, "%s is already open", name);
			goto out;
		}
		run_unlink(r, c);
	}
	h = json_get(d, 0, "expectHttp");
	if (r->transport == WSC_STDIO) {
		if (h >= 0 || json_get(d, 0, "path") >= 0 ||
		    json_get(d, 0, "headers") >= 0 ||
		    json_get(d, 0, "raw") >= 0) {
			run_fail(r, 0, "this open needs a WebSocket server");
			goto out;
		}
		w = wsc_spawn(r->stdio_cmd, r->errfd, err, sizeof(err));
	} else {
		buf_adds(&url, r->url);
		if ((k = json_get(d, 0, "path")) >= 0 && run_payload(r, d, k,
		    &url) == -1)
			goto out;
		buf_addc(&url, '\0');
		if ((k = json_get(d, 0, "headers")) >= 0)
			for (k = k + 1, i = 0; i < d->tok[k - 1].size;
			    i++, k = d->tok[k + 1].next) {
				json_str_buf(d, k, &hdr);
				buf_adds(&hdr, ": ");
				if (run_payload(r, d, k + 1, &hdr) == -1)
					goto out;
				buf_adds(&hdr, "\r\n");
			}
		/*
		 * The user's token (--token-file) where a connection is
		 * expected and the transcript names no Authorization of its
		 * own; a refusal is tested as written.
		 */
		if (r->auth != NULL && h < 0 && !has_auth(d))
			buf_adds(&hdr, r->auth);
		buf_addc(&hdr, '\0');
		if (tok_bool(d, json_get(d, 0, "raw")))
			w = wsc_connect_raw(buf_data(&url), deadline, err,
			    sizeof(err));
		else
			w = wsc_connect(buf_data(&url), buf_data(&hdr),
			    deadline, &http, err, sizeof(err));
		if (h >= 0) {
			if (w != NULL) {
				run_fail(r, 0, "expected HTTP refusal, got 101 "
				    "Switching Protocols");
				goto out;
			}
			ok = 0;
			if ((v = json_get(d, h, "status")) >= 0 &&
			    (json_i64(d, v, &st) == -1 || st != http.status)) {
				run_fail(r, 0, "expected HTTP %lld, got %d "
				    "(%s)", (long long)st, http.status, err);
				ok = -1;
			} else if ((v = json_get(d, h, "body")) >= 0 &&
			    !match_bytes(&m, d, v, buf_data(&http.body),
			    buf_used(&http.body), "body")) {
				run_fail(r, 0, "HTTP body: %s", m.why);
				ok = -1;
			}
			wsc_http_free(&http);
			goto out;
		}
		if (w == NULL && http.status != 0) {
			show_text(&body, buf_data(&http.body),
			    buf_used(&http.body), 200);
			buf_addc(&body, '\0');
			wsc_http_free(&http);
		}
	}
	if (w == NULL) {
		run_fail(r, 0, "cannot open %s: %s %s", name, err,
		    body.oom || body.p == NULL ? "" : buf_data(&body));
		goto out;
	}
	if (session_add(&r->conns, name, w) == NULL) {
		wsc_close(w, 0);
		goto out;
	}
	ok = 0;
out:
	buf_free(&hdr);
	buf_free(&url);
	buf_free(&body);
	free(name);
	return ok;
}

/* Does the way c ended match one of the alternatives in step d? */
static int
end_ok(struct run *r, struct cxn *c, const struct json_doc *d, int dflt)
{
	struct mctx	 m = { .vars = &r->vars };
	int		 alts = json_get(d, 0, "oneOf"), a, k;
	uint32_t	 i;

	if (alts < 0 || d->tok[alts].type != JSON_ARRAY)
		return !c->end_close || c->end_code == dflt;
	for (i = 0; i < d->tok[alts].size; i++) {
		a = json_at(d, alts, i);
		if (tok_is_str(d, a, "eof") && !c->end_close)
			return 1;
		if ((k = json_get(d, a, "close")) >= 0 && c->end_close &&
		    match_i64(&m, d, k, c->end_code))
			return 1;
	}
	return 0;
}

/* "close" (we end it gracefully) and "closed" (the server ends it). */
int
links_end(struct run *r, const struct json_doc *d, int ours)
{
	struct cxn	*c;
	char		*name, how[300];
	int64_t		 deadline = run_deadline(r, d), want;
	int		 status, ok = 0;

	name = tok_dup(d, json_get(d, 0, ours ? "close" : "closed"));
	c = name != NULL ? session_find(r->conns, name) : NULL;
	free(name);
	if (c == NULL || c->w == NULL) {
		run_fail(r, 0, "no such open connection");
		return -1;
	}
	if (ours && !c->ended) {
		if (wsc_kind(c->w) == WSC_WS)
			wsc_send_close(c->w, WS_CLOSE_NORMAL, "done", deadline);
		else
			wsc_shutdown_write(c->w);
	}
	while (!c->ended && session_pump(r->conns, deadline))
		;
	session_describe_end(c, how, sizeof(how));
	if (!c->ended) {
		run_fail(r, 0, "%s did not end: %s", c->name, how);
		ok = -1;
	} else if (!end_ok(r, c, d, WS_CLOSE_NORMAL)) {
		run_fail(r, 0, "%s ended the wrong way: %s", c->name, how);
		ok = -1;
	}
	if (wsc_kind(c->w) == WSC_STDIO &&
	    tok_int(d, json_get(d, 0, "exitStatus"), &want) == 0) {
		if (!wsc_wait(c->w, &status, deadline))
			run_fail(r, 0, "the stdio server did not exit");
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != want)
			run_fail(r, 0, "the stdio server exited with status "
			    "0x%x, not %lld", status, (long long)want);
	}
	run_leftovers(r, c);
	run_unlink(r, c);
	return ok;
}

int
links_drop(struct run *r, const struct json_doc *d)
{
	struct cxn	*c;
	char		*name = tok_dup(d, json_get(d, 0, "drop"));

	c = name != NULL ? session_find(r->conns, name) : NULL;
	free(name);
	if (c == NULL) {
		run_fail(r, 0, "no such connection");
		return -1;
	}
	session_pump(r->conns, 0);
	run_leftovers(r, c);
	if (c->w != NULL)
		wsc_close(c->w, 0);
	c->w = NULL;
	run_unlink(r, c);
	return 0;
}
