/*
 * rpc.c: the JSON-RPC envelope, the initialize gate and dispatch.
 *
 * Path of a message: json_parse -> classify (request, notification,
 * response) -> method lookup (-32601) -> params checked against the
 * method's schema (-32602, before the gate as in the reference) -> gate
 * (-32600) -> handler.  The handler writes a result or calls rpc_fail();
 * rpc.c frames the answer.  Nothing here exits or blocks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/jw.h"
#include "base/lim.h"
#include "net/conn.h"
#include "rpc/rpc.h"
#include "rpc/schema.h"

enum init_state {
	INIT_NONE,		/* nothing yet */
	INIT_STARTED,		/* initialize answered */
	INIT_DONE		/* initialized received */
};

struct rpc_pending {
	struct rpc_pending	*next;
	struct rpc_conn		*rc;
	struct rpc_id		 id;
	void			(*cancel)(void *);
	void			*arg;
};

struct rpc_conn {
	struct conn		*conn;
	enum init_state		 init;
	struct rpc_pending	*pending;
	void			*state[RPC_MODULES_MAX]; /* by module */
	unsigned long		 serial;	/* for --verbose */
};

static int		 verbose;
static unsigned long	 serials;

struct rpc_mem {
	struct rpc_mem		*next;
	char			 data[];
};

/* The modules main.c registered, in order. */
static const struct rpc_module	*modules[RPC_MODULES_MAX];
static size_t			 nmodules;

int
rpc_init(const struct rpc_module *const *mods)
{
	for (nmodules = 0; mods[nmodules] != NULL; nmodules++) {
		if (nmodules == RPC_MODULES_MAX)
			return -1;
		modules[nmodules] = mods[nmodules];
	}
	return 0;
}

static void *
conn_open(struct conn *c)
{
	struct rpc_conn	*rc;

	if ((rc = calloc(1, sizeof(*rc))) == NULL)
		return NULL;
	rc->conn = c;
	rc->serial = ++serials;
	return rc;
}

/* The peer will send nothing more but still reads (stdio EOF). */
static void
conn_eof(void *arg)
{
	struct rpc_conn	*rc = arg;
	size_t		 i;

	for (i = 0; i < nmodules; i++)
		if (modules[i]->eof != NULL)
			modules[i]->eof(rc);
}

void
rpc_set_verbose(int on)
{
	verbose = on;
}

/*
 * --verbose: one line per request on stderr, "[conn] method -> outcome",
 * the method's bytes outside printable ASCII shown as '?'.
 */
static void
log_call(const struct rpc_call *call, const struct json_doc *d, int method)
{
	struct buf	 raw = { 0 }, name = { 0 };
	const char	*p;
	size_t		 i;

	json_str_buf(d, method, &raw);
	for (i = 0, p = buf_data(&raw); i < buf_used(&raw); i++)
		buf_addc(&name, p[i] < 0x20 || p[i] > 0x7e ? '?' : p[i]);
	buf_free(&raw);
	if (name.oom)
		goto out;
	p = buf_data(&name);
	if (call->deferred)
		fprintf(stderr, "exec-server: [%lu] %.*s -> later\n",
		    call->rc->serial, (int)buf_used(&name), p);
	else if (call->err)
		fprintf(stderr, "exec-server: [%lu] %.*s -> error %d\n",
		    call->rc->serial, (int)buf_used(&name), p, call->err);
	else
		fprintf(stderr, "exec-server: [%lu] %.*s -> ok\n",
		    call->rc->serial, (int)buf_used(&name), p);
out:
	buf_free(&name);
}

static void
id_free(struct rpc_id *id)
{
	free(id->str);
	id->str = NULL;
}

static void
conn_gone(void *arg)
{
	struct rpc_conn		*rc = arg;
	struct rpc_pending	*p;
	size_t			 i;

	while ((p = rc->pending) != NULL) {
		rc->pending = p->next;
		if (p->cancel != NULL)
			p->cancel(p->arg);
		id_free(&p->id);
		free(p);
	}
	for (i = nmodules; i-- > 0; ) {
		if (modules[i]->gone != NULL)
			modules[i]->gone(rc);
		free(rc->state[i]);
	}
	free(rc);
}

static size_t
module_index(const struct rpc_module *m)
{
	size_t	 i;

	for (i = 0; i < nmodules; i++)
		if (modules[i] == m)
			return i;
	abort();	/* a module main.c did not register: a bug */
}

void *
rpc_conn_state(const struct rpc_conn *rc, const struct rpc_module *m)
{
	return rc->state[module_index(m)];
}

void *
rpc_call_state(struct rpc_call *call, const struct rpc_module *m,
    size_t size)
{
	struct rpc_conn	*rc = call->rc;
	size_t		 i = module_index(m);

	if (rc->state[i] == NULL &&
	    (rc->state[i] = calloc(1, size)) == NULL)
		rpc_fail(call, RPC_INTERNAL, "out of memory");
	return rc->state[i];
}

int
rpc_conn_congested(const struct rpc_conn *rc)
{
	return conn_pending(rc->conn) > LIM_OUTQ_HIGH;
}

int
rpc_conn_initialized(const struct rpc_conn *rc)
{
	return rc->init != INIT_NONE;
}

void
rpc_conn_set_initialized(struct rpc_conn *rc)
{
	rc->init = INIT_STARTED;
}

int
rpc_conn_is_stdio(const struct rpc_conn *rc)
{
	return conn_kind(rc->conn) == CONN_STDIO;
}

/* --- output ------------------------------------------------------------ */

void
rpc_put_id(struct jw *w, const struct rpc_id *id)
{
	if (id->isstr)
		jw_str(w, id->str, id->len);
	else
		jw_i64(w, id->num);
}

/* {"error":{"code":C,"message":M},"id":ID}, the reference's key order. */
void
rpc_send_error(struct rpc_conn *rc, const struct rpc_id *id, int code,
    const char *msg)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_key(&w, "code");
	jw_i64(&w, code);
	jw_key(&w, "message");
	jw_cstr(&w, msg);
	jw_obj_end(&w);
	jw_key(&w, "id");
	rpc_put_id(&w, id);
	jw_obj_end(&w);
	conn_send(rc->conn, &b);
}

void
rpc_result_begin(struct buf *msg, const struct rpc_id *id)
{
	struct jw	 w;

	buf_adds(msg, "{\"id\":");
	jw_init(&w, msg);
	rpc_put_id(&w, id);
	buf_adds(msg, ",\"result\":");
}

int
rpc_result_send(struct rpc_conn *rc, struct buf *msg)
{
	buf_addc(msg, '}');
	if (msg->oom) {
		buf_free(msg);
		return -1;
	}
	conn_send(rc->conn, msg);
	return 0;
}

static void
send_result(struct rpc_conn *rc, const struct rpc_id *id, struct buf *res)
{
	struct buf	 pre = { 0 };

	/* The envelope goes around the result where it is: no copy. */
	rpc_result_begin(&pre, id);
	if (pre.oom)
		res->oom = 1;
	buf_prepend(res, buf_data(&pre), buf_used(&pre));
	buf_addc(res, '}');
	buf_free(&pre);
	conn_send(rc->conn, res);	/* out of memory: it closes */
}

void
rpc_notify(struct rpc_conn *rc, const char *method, struct buf *params)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "method");
	jw_cstr(&w, method);
	jw_key(&w, "params");
	jw_raw(&w, buf_data(params), buf_used(params));
	jw_obj_end(&w);
	if (params->oom)
		b.oom = 1;
	buf_free(params);
	conn_send(rc->conn, &b);
}

/* A message we could not decode: -32600 with id -1 (protocol.md §4.2). */
static void
parse_error(struct rpc_conn *rc, const char *detail)
{
	static const struct rpc_id	 none = { 0, -1, NULL, 0 };
	struct buf			 m = { 0 };

	if (conn_kind(rc->conn) == CONN_STDIO)
		buf_adds(&m, "failed to parse JSON-RPC message from "
		    "exec-server stdio: ");
	else
		buf_addf(&m, "failed to parse websocket JSON-RPC message "
		    "from exec-server websocket %s: ", conn_peer(rc->conn));
	buf_adds(&m, detail);
	buf_addc(&m, '\0');
	rpc_send_error(rc, &none, RPC_INVALID_REQUEST,
	    m.oom ? "out of memory" : buf_data(&m));
	buf_free(&m);
}

static void
conn_oversized(void *arg)
{
	parse_error(arg, "message too large");
}

static void
conn_drained(void *arg)
{
	struct rpc_conn	*rc = arg;
	size_t		 i;

	for (i = 0; i < nmodules; i++)
		if (modules[i]->drained != NULL)
			modules[i]->drained(rc);
}

/* --- handler helpers ----------------------------------------------------- */

void
rpc_fail(struct rpc_call *call, int code, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	if (call->err)
		return;
	call->err = code;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	call->errmsg = s;
}

int
rpc_get(const struct rpc_call *call, int obj, const char *name)
{
	int	 t;

	if (obj < 0 || (t = json_get(call->doc, obj, name)) < 0)
		return -1;
	return call->doc->tok[t].type == JSON_NULL ? -1 : t;
}

int
rpc_arg(const struct rpc_call *call, const char *name)
{
	return rpc_get(call, call->params, name);
}

const char *
rpc_str(struct rpc_call *call, int tok, size_t *lenp)
{
	struct rpc_mem	*m;
	char		*s;
	size_t		 n;

	if ((s = json_str_dup(call->doc, tok, &n)) == NULL)
		return NULL;
	if ((m = malloc(sizeof(*m) + n + 1)) == NULL) {
		free(s);
		return NULL;
	}
	memcpy(m->data, s, n + 1);
	free(s);
	m->next = call->mem;
	call->mem = m;
	if (lenp != NULL)
		*lenp = n;
	return m->data;
}

int
rpc_bool(const struct rpc_call *call, int obj, const char *name, int def)
{
	int	 t = rpc_get(call, obj, name);

	return t < 0 ? def : call->doc->tok[t].type == JSON_TRUE;
}

uint64_t
rpc_u64(const struct rpc_call *call, int obj, const char *name, uint64_t def)
{
	uint64_t	 v;
	int		 t = rpc_get(call, obj, name);

	if (t < 0 || json_u64(call->doc, t, &v) == -1)
		return def;
	return v;
}

struct rpc_pending *
rpc_defer(struct rpc_call *call, void (*cancel)(void *), void *arg)
{
	struct rpc_pending	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->rc = call->rc;
	p->id = call->id;
	call->id.str = NULL;
	p->cancel = cancel;
	p->arg = arg;
	p->next = call->rc->pending;
	call->rc->pending = p;
	call->deferred = 1;
	return p;
}

static void
pending_unlink(struct rpc_pending *p)
{
	struct rpc_pending	**pp;

	for (pp = &p->rc->pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	id_free(&p->id);
	free(p);
}

void
rpc_pending_result(struct rpc_pending *p, struct buf *res)
{
	send_result(p->rc, &p->id, res);
	pending_unlink(p);
}

void
rpc_pending_error(struct rpc_pending *p, int code, const char *msg)
{
	rpc_send_error(p->rc, &p->id, code, msg);
	pending_unlink(p);
}

struct rpc_conn *
rpc_pending_conn(const struct rpc_pending *p)
{
	return p->rc;
}

/* --- dispatch ------------------------------------------------------------ */

static const struct rpc_method *
lookup(const struct json_doc *d, int t)
{
	const struct rpc_method	*m;
	size_t			 i;

	for (i = 0; i < nmodules; i++)
		for (m = modules[i]->methods; m != NULL && m->name != NULL;
		    m++)
			if (json_str_eq(d, t, m->name))
				return m;
	return NULL;
}

static void
call_end(struct rpc_call *call)
{
	struct rpc_mem	*m;

	while ((m = call->mem) != NULL) {
		call->mem = m->next;
		free(m);
	}
	free(call->errmsg);
	buf_free(&call->res);
	id_free(&call->id);
}

static void
request(struct rpc_conn *rc, const struct json_doc *d, int method,
    int params, struct rpc_id *id)
{
	const struct rpc_method	*m;
	struct rpc_call		 call;
	struct buf		 msg = { 0 };

	memset(&call, 0, sizeof(call));
	call.rc = rc;
	call.doc = d;
	call.params = params;
	call.id = *id;
	id->str = NULL;
	jw_init(&call.w, &call.res);

	if ((m = lookup(d, method)) == NULL) {
		buf_adds(&msg, "exec-server stub does not implement `");
		json_str_buf(d, method, &msg);
		buf_adds(&msg, "` yet");
		rpc_fail(&call, RPC_METHOD_NOT_FOUND, "%.*s",
		    (int)buf_used(&msg), buf_data(&msg));
		goto out;
	}
	if (schema_check(d, params, m->sname, m->params, &msg) == -1) {
		rpc_fail(&call, RPC_INVALID_PARAMS, "%.*s",
		    (int)buf_used(&msg), buf_data(&msg));
		goto out;
	}
	if (m->family != NULL && rc->init != INIT_DONE) {
		rpc_fail(&call, RPC_INVALID_REQUEST,
		    "client must %s before using %s methods",
		    rc->init == INIT_NONE ? "call initialize" :
		    "send initialized", m->family);
		goto out;
	}
	call.method = m;
	m->fn(&call);
out:
	if (verbose)
		log_call(&call, d, method);
	if (call.answer != NULL)
		call.answer(&call);
	if (!call.deferred) {
		if (call.err)
			rpc_send_error(rc, &call.id, call.err, call.errmsg != NULL ?
			    call.errmsg : "out of memory");
		else if (buf_used(&call.res) == 0 && !call.res.oom)
			rpc_send_error(rc, &call.id, RPC_INTERNAL,
			    "internal error: no result");
		else
			send_result(rc, &call.id, &call.res);
	}
	buf_free(&msg);
	call_end(&call);
}

/* A request id: a string, or an integer that fits i64 (§4.1). */
static int
parse_id(const struct json_doc *d, int t, struct rpc_id *id)
{
	memset(id, 0, sizeof(*id));
	if (d->tok[t].type == JSON_STRING) {
		id->isstr = 1;
		return (id->str = json_str_dup(d, t, &id->len)) ? 0 : -1;
	}
	if (d->tok[t].type == JSON_NUMBER && json_i64(d, t, &id->num) == 0)
		return 0;
	return -1;
}

static void
notification(struct rpc_conn *rc, const struct json_doc *d, int method)
{
	/*
	 * Only `initialized` is known, and only after initialize.  Anything
	 * else ends the connection, as the reference does; we say why in
	 * the Close frame (1008, policy violation).
	 */
	if (!json_str_eq(d, method, "initialized")) {
		conn_close(rc->conn, 1008, "unexpected notification");
		return;
	}
	if (rc->init == INIT_NONE) {
		conn_close(rc->conn, 1008, "initialized before initialize");
		return;
	}
	rc->init = INIT_DONE;
}

static void
conn_message(void *arg, const char *p, size_t len)
{
	struct rpc_conn	*rc = arg;
	struct json_doc	 d;
	struct rpc_id	 id;
	int		 t_id, t_method, t_params, t_err;

	memset(&d, 0, sizeof(d));
	if (json_parse(&d, p, len) == -1) {
		parse_error(rc, d.err == JSON_ERR_NOMEM ? "out of memory" :
		    d.err_msg);
		goto out;
	}
	if (d.tok[0].type != JSON_OBJECT) {
		parse_error(rc, "expected a JSON-RPC object");
		goto out;
	}
	t_id = json_get(&d, 0, "id");
	t_method = json_get(&d, 0, "method");
	t_params = json_get(&d, 0, "params");
	if (t_method >= 0) {
		if (d.tok[t_method].type != JSON_STRING) {
			parse_error(rc, "invalid type: number, expected a string");
			goto out;
		}
		if (t_id < 0) {
			notification(rc, &d, t_method);
			goto out;
		}
		if (parse_id(&d, t_id, &id) == -1) {
			parse_error(rc, "data did not match any variant of "
			    "untagged enum RequestId");
			goto out;
		}
		request(rc, &d, t_method, t_params, &id);
		id_free(&id);
		goto out;
	}
	/* No method: a response or an error from the client. */
	t_err = json_get(&d, 0, "error");
	if (json_get(&d, 0, "result") < 0 && t_err < 0) {
		parse_error(rc, "missing field `error`");
		goto out;
	}
	if (t_id < 0) {
		parse_error(rc, "missing field `id`");
		goto out;
	}
	/* We never send requests, so any response is a protocol error. */
	conn_close(rc->conn, 1008, "unexpected response");
out:
	json_doc_free(&d);
}

const struct conn_ops rpc_conn_ops = {
	conn_open, conn_message, conn_oversized, conn_eof, conn_drained,
	conn_gone
};
