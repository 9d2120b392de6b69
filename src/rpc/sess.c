/*
 * sess.c: session table, initialize, detach and resume.
 *
 * A session knows nothing of what it holds: the module that keeps a
 * session's processes (proc.c) hears of its life through struct
 * sess_hooks, which main.c wires.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/random.h>

#include "base/jw.h"
#include "base/lim.h"
#include "base/loop.h"
#include "rpc/envinfo.h"
#include "rpc/sess.h"

struct sess {
	struct sess	*next;
	char		 id[37];
	struct rpc_conn	*rc;		/* attached connection, or NULL */
	uint64_t	 ttl_timer;	/* while detached */
	void		*procs;		/* proc.c's state */
};

/* rpc.c's per-connection state of this module. */
struct slot {
	struct sess	*s;		/* attached, or NULL */
};

static struct sess	*sessions;
static uint64_t		 detach_ttl = LIM_SESSION_TTL_MS;
static const struct sess_hooks	 no_hooks;
static const struct sess_hooks	*hooks = &no_hooks;

void
sess_set_ttl(uint64_t ms)
{
	detach_ttl = ms;
}

void
sess_set_hooks(const struct sess_hooks *h)
{
	hooks = h;
}

struct sess *
sess_of(struct rpc_conn *rc)
{
	struct slot	*sl = rpc_conn_state(rc, &sess_module);

	return sl != NULL ? sl->s : NULL;
}

struct rpc_conn *
sess_conn(const struct sess *s)
{
	return s->rc;
}

const char *
sess_id(const struct sess *s)
{
	return s->id;
}

void *
sess_procs(const struct sess *s)
{
	return s->procs;
}

void
sess_set_procs(struct sess *s, void *p)
{
	s->procs = p;
}

/* RFC 4122 version 4 from the kernel's random source. */
static int
uuid4(char out[37])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 r[16];
	size_t			 i, k;
	ssize_t			 n;

	for (i = 0; i < sizeof(r); i += (size_t)n) {
		n = getrandom(r + i, sizeof(r) - i, 0);
		if (n == -1 && errno != EINTR)
			return -1;
		if (n == -1)
			n = 0;
	}
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	for (i = 0, k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[r[i] >> 4];
		out[k++] = hex[r[i] & 15];
	}
	out[k] = '\0';
	return 0;
}

static void
sess_destroy(struct sess *s)
{
	struct sess	**sp;

	for (sp = &sessions; *sp != NULL; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			break;
		}
	if (s->ttl_timer)
		loop_timer_del(s->ttl_timer);
	if (hooks->destroyed != NULL)
		hooks->destroyed(s);
	free(s);
}

static void
ttl_expired(void *arg)
{
	struct sess	*s = arg;

	s->ttl_timer = 0;
	sess_destroy(s);
#ifdef __GLIBC__
	/*
	 * An expired session frees what it held (retained output, queues)
	 * in one go; glibc keeps freed pages mapped unless asked: without
	 * this a long-running server's RSS stays at its high-water mark
	 * (t6001).  Not at shutdown or for stdio: the process ends.
	 */
	malloc_trim(0);
#endif
}

static void
attach(struct sess *s, struct rpc_conn *rc, struct slot *sl)
{
	if (s->ttl_timer) {
		loop_timer_del(s->ttl_timer);
		s->ttl_timer = 0;
	}
	s->rc = rc;
	sl->s = s;
	rpc_conn_set_initialized(rc);
	if (hooks->attached != NULL)
		hooks->attached(s);
}

static void
conn_gone(struct rpc_conn *rc)
{
	struct slot	*sl = rpc_conn_state(rc, &sess_module);
	struct sess	*s;

	if (sl == NULL || (s = sl->s) == NULL)
		return;
	sl->s = NULL;
	s->rc = NULL;
	if (hooks->detached != NULL)
		hooks->detached(s);
	/* stdio has no second connection to resume from. */
	if (rpc_conn_is_stdio(rc)) {
		sess_destroy(s);
		return;
	}
	if ((s->ttl_timer = loop_timer_add(detach_ttl, ttl_expired, s)) == 0)
		sess_destroy(s);
}

static void
conn_drained(struct rpc_conn *rc)
{
	struct sess	*s = sess_of(rc);

	if (s != NULL && hooks->drained != NULL)
		hooks->drained(s);
}

void
sess_shutdown(void)
{
	while (sessions != NULL)
		sess_destroy(sessions);
}

static const struct schema_param initialize_params[] = {
	{ "clientName", P_STR, P_REQ, NULL, NULL, NULL },
	{ "resumeSessionId", P_STR, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_initialize(struct rpc_call *call)
{
	struct sess	*s;
	struct slot	*sl;
	const char	*want;
	size_t		 len;
	int		 t;

	if (rpc_conn_initialized(call->rc)) {
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "initialize may only be sent once per connection");
		return;
	}
	if ((sl = rpc_call_state(call, &sess_module, sizeof(*sl))) == NULL)
		return;
	if ((t = rpc_arg(call, "resumeSessionId")) >= 0) {
		if ((want = rpc_str(call, t, &len)) == NULL) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			return;
		}
		for (s = sessions; s != NULL; s = s->next)
			if (strlen(s->id) == len && memcmp(s->id, want, len) == 0)
				break;
		if (s == NULL) {
			rpc_fail(call, RPC_INVALID_REQUEST,
			    "unknown session id %s", want);
			return;
		}
		if (s->rc != NULL) {
			rpc_fail(call, RPC_SESSION_ATTACHED, "session %s is "
			    "already attached to another connection", s->id);
			return;
		}
	} else {
		if ((s = calloc(1, sizeof(*s))) == NULL || uuid4(s->id) == -1) {
			free(s);
			rpc_fail(call, RPC_INTERNAL, "cannot create a session");
			return;
		}
		s->next = sessions;
		sessions = s;
	}
	attach(s, call->rc, sl);
	jw_obj(&call->w);
	jw_key(&call->w, "sessionId");
	jw_cstr(&call->w, s->id);
	jw_key(&call->w, "environmentInfo");
	envinfo_write(&call->w);
	jw_obj_end(&call->w);
}

static const struct rpc_method methods[] = {
	{ "initialize", NULL, "InitializeParams", initialize_params,
	    m_initialize },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module sess_module = {
	methods, NULL, conn_drained, conn_gone
};
