/*
 * httpc.c: http/request (protocol.md §7.22): the executor's HTTP client.
 *
 * The params are checked in the reference's order and words (method,
 * URL, scheme, headers), the request is written as the reference's
 * client writes it (the caller's fields in order, names in lower case,
 * then accept: and host: unless given, then content-length: with a
 * body), and one exchange (hreq.c) runs on the loop.  Redirects are
 * followed (at most LIM_HTTPC_REDIRECTS; 301, 302, 303 turn into GET
 * without a body, 307 and 308 keep both; credentials are not carried to
 * another origin) unless redirectPolicy is "stop".  The answer is
 * {status, headers, bodyBase64}; with streamResponse the body comes as
 * http/request/bodyDelta notifications (at most LIM_HTTPC_DELTA each),
 * and a client that does not read stops the socket being read.
 *
 * https:// is refused by name: this server has no TLS.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/jw.h"
#include "base/lim.h"
#include "base/loop.h"
#include "httpc/hreq.h"
#include "httpc/httpc.h"
#include "httpc/hurl.h"
#include "net/http.h"

struct hcall {
	struct hcall		*next;
	struct rpc_conn		*rc;
	struct rpc_pending	*pending;	/* NULL once answered */
	struct hreq		*h;
	struct hurl		 url;		/* the current one */
	char			*method;
	struct buf		 fields;	/* the caller's, "name: v\r\n" */
	struct buf		 body;
	int			 has_body;
	int			 stop;		/* redirectPolicy "stop" */
	int			 stream;
	char			*rid;		/* requestId of a stream */
	int			 nredir;
	uint64_t		 timer;
	int			 status;
	struct buf		 headers;	/* the answer's, as JSON */
	struct buf		 resp;		/* a body not streamed */
	uint64_t		 seq;
	int			 got_head;
	int			 paused;
};

/* Per connection: its requests in progress. */
struct hcalls {
	struct hcall	*head;
	size_t		 n;
};

static const struct hreq_ops	 ops;

static void
hcall_free(struct hcall *c)
{
	struct hcalls	*cs;
	struct hcall	**cp;

	if (c->rc != NULL && (cs = rpc_conn_state(c->rc, &httpc_module)) !=
	    NULL)
		for (cp = &cs->head; *cp != NULL; cp = &(*cp)->next)
			if (*cp == c) {
				*cp = c->next;
				cs->n--;
				break;
			}
	hreq_free(c->h);
	if (c->timer != 0)
		loop_timer_del(c->timer);
	hurl_free(&c->url);
	free(c->method);
	free(c->rid);
	buf_free(&c->fields);
	buf_free(&c->body);
	buf_free(&c->headers);
	buf_free(&c->resp);
	free(c);
}

/*
 * The reference's words for a failure before or after the answer's head
 * (why: our own reason, said only where the reference has none).
 */
static void
fail(struct hcall *c, const char *why)
{
	struct buf	 m = { 0 }, u = { 0 };

	hurl_str(&c->url, &u);
	if (c->got_head && why == NULL)
		buf_addf(&m, "failed to read http/request response body: "
		    "error decoding response body");
	else if (c->got_head)
		buf_addf(&m, "failed to read http/request response body: %s",
		    why);
	else
		buf_addf(&m, "http/request failed: error sending request for "
		    "url (%.*s)", (int)buf_used(&u), buf_data(&u));
	buf_addc(&m, '\0');
	rpc_pending_error(c->pending, RPC_INTERNAL, m.oom ? "out of memory" :
	    buf_data(&m));
	c->pending = NULL;
	buf_free(&m);
	buf_free(&u);
}

/* One bodyDelta notification. */
static void
delta(struct hcall *c, const char *p, size_t n, int done, const char *err)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "requestId");
	jw_cstr(&w, c->rid);
	jw_key(&w, "seq");
	jw_u64(&w, ++c->seq);
	jw_key(&w, "deltaBase64");
	jw_b64(&w, p, n);
	jw_key(&w, "done");
	jw_bool(&w, done);
	jw_key(&w, "error");
	if (err != NULL)
		jw_cstr(&w, err);
	else
		jw_null(&w);
	jw_obj_end(&w);
	rpc_notify(c->rc, "http/request/bodyDelta", &b);
}

/* Answer the call with -32603 and these words (a stream: its end). */
static void __attribute__((format(printf, 2, 3)))
fail_msg(struct hcall *c, const char *fmt, ...)
{
	char	 m[1024];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	if (c->pending != NULL)
		rpc_pending_error(c->pending, RPC_INTERNAL, m);
	else if (c->stream)
		delta(c, "", 0, 1, m);
	c->pending = NULL;
}

/* The result {status, headers, bodyBase64}. */
static void
answer(struct hcall *c, const char *p, size_t n)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "status");
	jw_u64(&w, (uint64_t)c->status);
	jw_key(&w, "headers");
	jw_raw(&w, buf_data(&c->headers), buf_used(&c->headers));
	jw_key(&w, "bodyBase64");
	jw_b64(&w, p, n);
	jw_obj_end(&w);
	rpc_pending_result(c->pending, &b);
	c->pending = NULL;
}

static void
timed_out(void *arg)
{
	struct hcall	*c = arg;

	c->timer = 0;
	hreq_free(c->h);
	c->h = NULL;
	if (c->pending != NULL)
		fail(c, NULL);
	else
		delta(c, "", 0, 1, "error decoding response body");
	hcall_free(c);
}

/* Did the caller give a field of this name (lower case)? */
static int
has_field(const struct hcall *c, const char *name)
{
	const char	*p = buf_data(&c->fields), *e, *nl;
	size_t		 len = strlen(name);

	if (p == NULL)
		return 0;
	for (e = p + buf_used(&c->fields); p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if ((size_t)(nl - p) > len && p[len] == ':' &&
		    memcmp(p, name, len) == 0)
			return 1;
	}
	return 0;
}

/* Write the request for c->method and c->url into req. */
static void
build(const struct hcall *c, struct buf *req)
{
	const char	*f = buf_data(&c->fields);
	size_t		 n = buf_used(&c->fields);
	char		*enc;

	buf_addf(req, "%s %s HTTP/1.1\r\n", c->method, c->url.target);
	if (n > 0)
		buf_add(req, f, n);
	/* What the caller did not give, as the reference's client adds it. */
	if (c->url.userinfo != NULL && !has_field(c, "authorization") &&
	    (enc = malloc(b64_enc_len(strlen(c->url.userinfo)) + 1)) != NULL) {
		b64_encode(enc, c->url.userinfo, strlen(c->url.userinfo));
		buf_adds(req, "authorization: Basic ");
		buf_add(req, enc, b64_enc_len(strlen(c->url.userinfo)));
		buf_adds(req, "\r\n");
		free(enc);
	}
	if (!has_field(c, "accept"))
		buf_adds(req, "accept: */*\r\n");
	if (!has_field(c, "host")) {
		buf_adds(req, "host: ");
		hurl_hostport(&c->url, req);
		buf_adds(req, "\r\n");
	}
	if (c->has_body)
		buf_addf(req, "content-length: %zu\r\n", buf_used(&c->body));
	buf_adds(req, "\r\n");
	if (buf_used(&c->body) > 0)
		buf_add(req, buf_data(&c->body), buf_used(&c->body));
}

static int
send_req(struct hcall *c, struct buf *err)
{
	struct buf	 req = { 0 };

	build(c, &req);
	if (req.oom) {
		buf_adds(err, "out of memory");
		return -1;
	}
	c->h = hreq_start(&c->url, &req, strcmp(c->method, "HEAD") == 0, &ops,
	    c, err);
	buf_free(&req);
	return c->h == NULL ? -1 : 0;
}

/* Drop the caller's field named (name, n) from c->fields. */
static void
drop_field(struct hcall *c, const char *name)
{
	struct buf	 out = { 0 };
	const char	*p = buf_data(&c->fields), *e, *nl;
	size_t		 len = strlen(name);

	if (p == NULL)
		return;
	for (e = p + buf_used(&c->fields); p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (!((size_t)(nl - p) > len && p[len] == ':' &&
		    strncasecmp(p, name, len) == 0))
			buf_add(&out, p, (size_t)(nl - p) + 1);
	}
	buf_free(&c->fields);
	c->fields = out;
}

/*
 * Follow a redirect to (loc, n), the current exchange freed: 0 on the
 * way, or -1 with the failure said (the call answered).
 */
static int
redirect(struct hcall *c, int status, const char *loc, size_t n)
{
	static const char *const secret[] = { "authorization", "cookie",
	    "proxy-authorization", "www-authenticate", NULL };
	struct hurl	 next;
	struct buf	 err = { 0 }, u = { 0 };
	size_t		 i;

	hreq_free(c->h);
	c->h = NULL;
	hurl_str(&c->url, &u);
	buf_addc(&u, '\0');
	memset(&next, 0, sizeof(next));
	if (++c->nredir > LIM_HTTPC_REDIRECTS ||
	    hurl_join(&c->url, loc, n, &next, &err) == -1 ||
	    strcmp(next.scheme, "http") != 0) {
		if (c->nredir <= LIM_HTTPC_REDIRECTS && strcmp(next.scheme,
		    "https") == 0)
			fail_msg(c, "http/request failed: a redirect to https "
			    "(from %s), and this server has no TLS",
			    buf_data(&u));
		else if (c->nredir > LIM_HTTPC_REDIRECTS)
			fail_msg(c, "http/request failed: too many redirects");
		else
			fail_msg(c, "http/request failed: error following "
			    "redirect for url (%s)", buf_data(&u));
		hurl_free(&next);
		buf_free(&err);
		buf_free(&u);
		return -1;
	}
	buf_free(&u);
	if (!hurl_same_origin(&c->url, &next))
		for (i = 0; secret[i] != NULL; i++)
			drop_field(c, secret[i]);
	if ((status == 301 || status == 302 || status == 303) &&
	    strcmp(c->method, "HEAD") != 0 && (status == 303 ||
	    strcmp(c->method, "GET") != 0)) {
		free(c->method);
		c->method = strdup("GET");
		c->has_body = 0;
		buf_reset(&c->body);
		drop_field(c, "content-type");
		drop_field(c, "content-length");
	}
	hurl_free(&c->url);
	c->url = next;
	if (c->method == NULL || send_req(c, &err) == -1) {
		fail_msg(c, "http/request failed: %.*s", (int)buf_used(&err),
		    buf_data(&err));
		buf_free(&err);
		return -1;
	}
	return 0;
}

static int
on_head(void *arg, int status, const struct hreq_field *f, size_t nf)
{
	struct hcall	*c = arg;
	struct jw	 w;
	size_t		 i, j, k;
	const char	*loc = NULL;
	size_t		 loclen = 0;

	for (i = 0; i < nf; i++)
		if (f[i].nlen == 8 && memcmp(f[i].name, "location", 8) == 0) {
			loc = f[i].value;
			loclen = f[i].vlen;
		}
	if (!c->stop && loc != NULL && (status == 301 || status == 302 ||
	    status == 303 || status == 307 || status == 308)) {
		if (redirect(c, status, loc, loclen) == -1)
			hcall_free(c);
		return 1;
	}
	c->status = status;
	c->got_head = 1;
	/*
	 * As the reference's header map gives them: names in the order of
	 * their first field, each name's values together, in order; only
	 * values of visible ASCII.
	 */
	jw_init(&w, &c->headers);
	jw_arr(&w);
	for (i = 0; i < nf; i++) {
		for (j = 0; j < i && !(f[j].nlen == f[i].nlen &&
		    memcmp(f[j].name, f[i].name, f[i].nlen) == 0); j++)
			;
		if (j < i)
			continue;		/* given with its first */
		for (j = i; j < nf; j++) {
			if (f[j].nlen != f[i].nlen ||
			    memcmp(f[j].name, f[i].name, f[i].nlen) != 0)
				continue;
			for (k = 0; k < f[j].vlen &&
			    ((unsigned char)f[j].value[k] >= 0x20 ||
			    f[j].value[k] == '\t') &&
			    (unsigned char)f[j].value[k] < 0x7f; k++)
				;
			if (k < f[j].vlen)
				continue;
			jw_obj(&w);
			jw_key(&w, "name");
			jw_str(&w, f[j].name, f[j].nlen);
			jw_key(&w, "value");
			jw_str(&w, f[j].value, f[j].vlen);
			jw_obj_end(&w);
		}
	}
	jw_arr_end(&w);
	if (c->stream)
		answer(c, "", 0);
	return 0;
}

static void
on_data(void *arg, const char *p, size_t n)
{
	struct hcall	*c = arg;
	size_t		 k;

	if (!c->stream) {
		if (buf_used(&c->resp) + n > LIM_HTTPC_BODY) {
			hreq_free(c->h);
			c->h = NULL;
			fail(c, "a body over 64 MiB (stream it: "
			    "streamResponse)");	/* ours alone */
			hcall_free(c);
			return;
		}
		buf_add(&c->resp, p, n);
		return;
	}
	for (; n > 0; p += k, n -= k) {
		k = n < LIM_HTTPC_DELTA ? n : LIM_HTTPC_DELTA;
		delta(c, p, k, 0, NULL);
	}
	if (rpc_conn_congested(c->rc) && !c->paused) {
		c->paused = 1;
		hreq_pause(c->h, 1);
	}
}

static void
on_done(void *arg, const char *why)
{
	struct hcall	*c = arg;

	hreq_free(c->h);	/* from its callback: freed after it */
	c->h = NULL;
	if (c->stream && c->pending == NULL)
		delta(c, "", 0, 1, why != NULL ? "error decoding response body" :
		    NULL);
	else if (why != NULL)
		fail(c, NULL);
	else if (c->resp.oom)
		fail(c, "out of memory");
	else
		answer(c, buf_data(&c->resp), buf_used(&c->resp));
	hcall_free(c);
}

static const struct hreq_ops ops = { on_head, on_data, on_done };

/* --- the method ----------------------------------------------------------- */

static const char *const policy_v[] = { "follow", "stop", NULL };

static const struct schema_param header_p[] = {
	{ "name", P_STR, P_REQ, NULL, NULL, NULL },
	{ "value", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param request_p[] = {
	{ "method", P_STR, P_REQ, NULL, NULL, NULL },
	{ "url", P_STR, P_REQ, NULL, NULL, NULL },
	{ "requestId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "headers", P_OBJARR, P_NULL, header_p, "HttpHeader", NULL },
	{ "bodyBase64", P_B64, P_NULL, NULL, NULL, NULL },
	{ "timeoutMs", P_U64, P_NULL, NULL, NULL, NULL },
	{ "redirectPolicy", P_ENUM, P_NULL, NULL, NULL, policy_v },
	{ "streamResponse", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

/* The caller's fields, checked as the reference's client checks them. */
static int
fields(struct rpc_call *call, struct hcall *c)
{
	const char	*name, *value;
	size_t		 i, k, nl, vl;
	int		 arr = rpc_arg(call, "headers"), t;

	for (i = 0; arr >= 0 && (t = json_at(call->doc, arr, (uint32_t)i)) >= 0;
	    i++) {
		name = rpc_str(call, rpc_get(call, t, "name"), &nl);
		value = rpc_str(call, rpc_get(call, t, "value"), &vl);
		for (k = 0; k < nl && http_is_tchar((unsigned char)name[k]);
		    k++)
			;
		if (nl == 0 || k < nl) {
			rpc_fail(call, RPC_INVALID_PARAMS, "http/request header "
			    "name is invalid: invalid HTTP header name");
			return -1;
		}
		for (k = 0; k < vl && (((unsigned char)value[k] >= 0x20 &&
		    value[k] != 0x7f) || value[k] == '\t'); k++)
			;
		if (k < vl) {
			rpc_fail(call, RPC_INVALID_PARAMS, "http/request header "
			    "value is invalid for %s: failed to parse header "
			    "value", name);
			return -1;
		}
		for (k = 0; k < nl; k++)
			buf_addc(&c->fields, (char)(name[k] >= 'A' &&
			    name[k] <= 'Z' ? name[k] + 32 : name[k]));
		buf_adds(&c->fields, ": ");
		buf_add(&c->fields, value, vl);
		buf_adds(&c->fields, "\r\n");
	}
	return 0;
}

static void
cancel(void *arg)
{
	struct hcall	*c = arg;

	c->pending = NULL;
	hcall_free(c);
}

static void
m_request(struct rpc_call *call)
{
	struct hcalls	*cs;
	struct hcall	*c, *o;
	struct buf	 err = { 0 };
	const char	*method, *url, *b64;
	size_t		 ml, ul, bl, i;
	long long	 n;
	struct b64_err	 be;
	int		 t;

	method = rpc_str(call, rpc_arg(call, "method"), &ml);
	for (i = 0; i < ml && http_is_tchar((unsigned char)method[i]); i++)
		;
	if (ml == 0 || i < ml) {
		rpc_fail(call, RPC_INVALID_PARAMS, "http/request method is "
		    "invalid: invalid HTTP method");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	url = rpc_str(call, rpc_arg(call, "url"), &ul);
	if (hurl_parse(url, ul, &c->url, &err) == -1) {
		rpc_fail(call, RPC_INVALID_PARAMS, "http/request url is invalid: "
		    "%.*s", (int)buf_used(&err), buf_data(&err));
		goto out;
	}
	if (strcmp(c->url.scheme, "https") == 0) {
		rpc_fail(call, RPC_INVALID_PARAMS, "http/request https URLs are "
		    "not supported by this server (it has no TLS): use http://, "
		    "for example through a local TLS proxy");
		goto out;
	}
	if (strcmp(c->url.scheme, "http") != 0) {
		rpc_fail(call, RPC_INVALID_PARAMS, "http/request only supports "
		    "http and https URLs, got %s", c->url.scheme);
		goto out;
	}
	if (fields(call, c) == -1)
		goto out;
	c->stream = rpc_bool(call, call->params, "streamResponse", 0);
	c->stop = (t = rpc_arg(call, "redirectPolicy")) >= 0 &&
	    json_str_eq(call->doc, t, "stop");
	if ((cs = rpc_call_state(call, &httpc_module, sizeof(*cs))) == NULL)
		goto out;
	if (cs->n >= LIM_HTTPC_ACTIVE) {
		rpc_fail(call, RPC_INVALID_REQUEST, "http/request: %d requests "
		    "are in progress on this connection already",
		    LIM_HTTPC_ACTIVE);
		goto out;
	}
	c->rid = strdup(rpc_str(call, rpc_arg(call, "requestId"), NULL));
	if (c->rid == NULL || (c->method = strndup(method, ml)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	for (o = cs->head; c->stream && o != NULL; o = o->next)
		if (o->stream && strcmp(o->rid, c->rid) == 0) {
			rpc_fail(call, RPC_INVALID_PARAMS, "http/request "
			    "streamResponse requestId `%s` is already active",
			    c->rid);
			goto out;
		}
	if ((t = rpc_arg(call, "bodyBase64")) >= 0) {
		b64 = rpc_str(call, t, &bl);
		if (buf_reserve(&c->body, b64_dec_max(bl)) == -1 ||
		    (n = b64_decode(c->body.p, b64, bl, &be)) < 0) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			goto out;
		}
		c->body.len = (size_t)n;
		c->has_body = 1;
	}
	if (send_req(c, &err) == -1) {
		rpc_fail(call, RPC_INTERNAL, "http/request failed: %.*s",
		    (int)buf_used(&err), buf_data(&err));
		goto out;
	}
	/* timeoutMs: absent or null, none (the 0.169.0 binary, measured). */
	if (rpc_arg(call, "timeoutMs") >= 0 && (c->timer = loop_timer_add(
	    rpc_u64(call, call->params, "timeoutMs", 0), timed_out, c)) == 0) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if ((c->pending = rpc_defer(call, cancel, c)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	c->rc = call->rc;
	c->next = cs->head;
	cs->head = c;
	cs->n++;
	buf_free(&err);
	return;
out:
	buf_free(&err);
	hcall_free(c);
}

/* The peer reads again: streams read again. */
static void
conn_drained(struct rpc_conn *rc)
{
	struct hcalls	*cs = rpc_conn_state(rc, &httpc_module);
	struct hcall	*c;

	for (c = cs != NULL ? cs->head : NULL; c != NULL; c = c->next)
		if (c->paused && c->h != NULL) {
			c->paused = 0;
			hreq_pause(c->h, 0);
		}
}

/* The connection is gone: its requests and streams end with it. */
static void
conn_gone(struct rpc_conn *rc)
{
	struct hcalls	*cs = rpc_conn_state(rc, &httpc_module);

	while (cs != NULL && cs->head != NULL)
		hcall_free(cs->head);
}

static const struct rpc_method methods[] = {
	{ "http/request", "http", "HttpRequestParams", request_p, m_request },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module httpc_module = { methods, NULL, conn_drained,
	conn_gone };
