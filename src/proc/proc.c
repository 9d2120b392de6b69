/*
 * proc.c: the processes of each session, and the process methods.
 *
 * A process is spawned by spawn.c and then lives in the loop: its output
 * descriptors are read in chunks that become process/output events, its
 * stdin is written from a queue as the child accepts it, and the loop
 * reaps it and says so (loop_child_add).
 * Every event takes the process's next seq: output chunks, exited (once
 * reaped) and closed (once reaped and every output descriptor reached
 * EOF, so a grandchild holding stdout delays it).  Output is retained
 * (the last LIM_PROC_RETAIN_BYTES) for process/read; events are sent to
 * the connection the session is attached to, if any.
 *
 * A long poll (process/read with waitMs) is parked with rpc_defer() and
 * answered from the loop when an event arrives or its timer fires, so it
 * never holds up other requests.
 *
 * Flow control: when the attached connection's outbound queue passes
 * LIM_OUTQ_HIGH, the session's output descriptors leave the loop (the
 * pipes fill and push back on the children) until the queue drains.  A
 * detached session keeps reading; retention bounds its memory.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/jw.h"
#include "base/lim.h"
#include "base/loop.h"
#include "proc/guard.h"
#include "proc/outlog.h"
#include "proc/proc.h"
#include "proc/pstart.h"
#include "proc/spawn.h"
#include "proc/wids.h"
#include "proc/wq.h"
#include "rpc/sess.h"
#include "sandbox/sandbox.h"

#define ST_STDOUT	0
#define ST_STDERR	1
#define ST_PTY		2

static const char *const stream_name[] = { "stdout", "stderr", "pty" };

struct waiter {
	struct waiter		*next;
	struct proc		*p;
	struct rpc_pending	*pend;
	uint64_t		 after;
	uint64_t		 max;
	int			 has_max;
	uint64_t		 timer;
};

struct psess;

struct proc {
	struct proc	*next;
	struct psess	*ps;
	char		*id;
	size_t		 idlen;
	pid_t		 pid;
	int		 tty;
	int		 fd[2];		/* stdout (or the terminal), stderr */
	int		 has_stdin;	/* tty or pipeStdin */
	int		 killed;	/* process/terminate sent SIGKILL */
	int		 reaped;
	int		 code;		/* exitCode, once reaped */
	int		 closed;
	uint64_t	 next_seq;
	uint64_t	 exit_seq;
	struct outlog	 out;		/* retained output */
	struct wq	 in;		/* stdin, if any */
	struct wids	 wids;		/* recent writeIds */
	struct waiter	*waiters;
	uint64_t	 expire;	/* retention timer, once closed */
	struct sandbox_run *sandbox;	/* until it exits, or NULL */
	int		 sandboxed;	/* started with a `sandbox` */
	int		 denied;	/* sandboxDenied, once reaped */
};

struct psess {
	struct psess	*next;
	struct sess	*s;
	struct proc	*procs;
	size_t		 n;
	int		 throttled;
};

static struct psess	*sessions;
static size_t		 nprocs;
static uint64_t		 retention = LIM_SESSION_TTL_MS;

static void	on_out(int, short, void *);
static void	wake(struct proc *);
static void	answer(struct waiter *);

void
proc_set_retention(uint64_t ms)
{
	retention = ms;
}

static struct psess *
psess_of(struct sess *s, int create)
{
	struct psess	*ps = sess_procs(s);

	if (ps == NULL && create && (ps = calloc(1, sizeof(*ps))) != NULL) {
		ps->s = s;
		ps->next = sessions;
		sessions = ps;
		sess_set_procs(s, ps);
	}
	return ps;
}

static struct proc *
find(struct psess *ps, const char *id, size_t len)
{
	struct proc	*p;

	for (p = ps != NULL ? ps->procs : NULL; p != NULL; p = p->next)
		if (p->idlen == len && memcmp(p->id, id, len) == 0)
			return p;
	return NULL;
}

/* --- events -------------------------------------------------------------- */

static void
put_id(struct jw *w, const struct proc *p)
{
	jw_key(w, "processId");
	jw_str(w, p->id, p->idlen);
}

/* Start the params of an event: {"processId":...,"seq":N */
static void
ev_begin(struct jw *w, struct buf *b, const struct proc *p, uint64_t seq)
{
	jw_init(w, b);
	jw_obj(w);
	put_id(w, p);
	jw_key(w, "seq");
	jw_u64(w, seq);
}

static void
throttle(struct psess *ps, int on)
{
	struct proc	*p;
	int		 i;

	if (ps->throttled == on)
		return;
	ps->throttled = on;
	for (p = ps->procs; p != NULL; p = p->next)
		for (i = 0; i < 2; i++) {
			if (p->fd[i] < 0)
				continue;
			if (on)
				loop_fd_del(p->fd[i]);
			else
				(void)loop_fd_add(p->fd[i], POLLIN, on_out, p);
		}
}

/* Send an event to the session's connection, if it has one. */
static void
emit(struct proc *p, const char *method, struct buf *params)
{
	struct rpc_conn	*rc = sess_conn(p->ps->s);

	if (rc == NULL) {
		buf_free(params);
		return;
	}
	rpc_notify(rc, method, params);
	if (rpc_conn_congested(rc))
		throttle(p->ps, 1);
}

static void
add_output(struct proc *p, int stream, const void *data, size_t len)
{
	struct buf	 b = { 0 };
	struct jw	 w;
	uint64_t	 seq = p->next_seq++;

	/* Out of memory: the chunk is sent but not retained. */
	(void)outlog_add(&p->out, seq, stream, data, len);
	ev_begin(&w, &b, p, seq);
	jw_key(&w, "stream");
	jw_cstr(&w, stream_name[stream]);
	jw_key(&w, "chunk");
	jw_b64(&w, data, len);
	jw_obj_end(&w);
	emit(p, "process/output", &b);
	wake(p);
}

static void	proc_free(struct proc *);

/* A closed process has been retained long enough: forget it. */
static void
expire(void *arg)
{
	struct proc	*p = arg;
	struct proc	**pp;

	p->expire = 0;
	for (pp = &p->ps->procs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	p->ps->n--;
	proc_free(p);
}

static void
maybe_closed(struct proc *p)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	if (p->closed || !p->reaped || p->fd[0] >= 0 || p->fd[1] >= 0)
		return;
	p->closed = 1;
	guard_del(p->pid);
	wq_close(&p->in);
	ev_begin(&w, &b, p, p->next_seq++);
	jw_obj_end(&w);
	emit(p, "process/closed", &b);
	wake(p);
	p->expire = loop_timer_add(retention, expire, p);
}

static void
eof(struct proc *p, int i)
{
	loop_fd_del(p->fd[i]);
	close(p->fd[i]);
	p->fd[i] = -1;
	maybe_closed(p);
}

/* Read up to `max` chunks from output i; stops early when throttled. */
static void
read_out(struct proc *p, int i, int max)
{
	unsigned char	 buf[LIM_PROC_CHUNK];
	ssize_t		 n;

	while (max-- > 0 && p->fd[i] >= 0 && !p->ps->throttled) {
		n = read(p->fd[i], buf, sizeof(buf));
		if (n > 0) {
			add_output(p, p->tty ? ST_PTY : i, buf, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		/* 0, or EIO from a terminal whose last slave closed. */
		eof(p, i);
	}
}

static void
on_out(int fd, short revents, void *arg)
{
	struct proc	*p = arg;

	(void)revents;
	read_out(p, fd == p->fd[0] ? 0 : 1, LIM_PROC_READS);
}

/* --- reaping ------------------------------------------------------------- */

/*
 * sandboxDenied, the reference's guess (sandboxing/src/denial.rs): a
 * non-zero exit whose retained output (stdout and pty, stderr, or all of
 * it) mentions a denial; else exit 159 (SIGSYS) is one, 2, 126 and 127
 * are not.
 */
static int
denied(const struct proc *p)
{
	static const char *const words[] = { "operation not permitted",
	    "permission denied", "read-only file system", "seccomp",
	    "sandbox", "landlock", "failed to write file", NULL };
	static const unsigned masks[] = { 1U << 0 | 1U << 2, 1U << 1, 7 };
	size_t	 i;

	if (p->code == 0)
		return 0;
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		if (outlog_grep(&p->out, masks[i], words) == 1)
			return 1;
	return p->code == 159;
}

static void
exited(struct proc *p, int status)
{
	struct buf	 b = { 0 };
	struct jw	 w;
	int		 i;

	/* What the child wrote before it died comes before its exit. */
	for (i = 0; i < 2; i++)
		read_out(p, i, 8 * LIM_PROC_READS);
	p->reaped = 1;
	sandbox_run_free(p->sandbox);
	p->sandbox = NULL;
	if (WIFEXITED(status))
		p->code = WEXITSTATUS(status);
	else		/* the reference: 128+signal, but 1 on a terminal */
		p->code = p->tty ? 1 : 128 + WTERMSIG(status);
	p->denied = p->sandboxed && denied(p);
	p->exit_seq = p->next_seq++;
	ev_begin(&w, &b, p, p->exit_seq);
	jw_key(&w, "exitCode");
	jw_i64(&w, p->code);
	jw_key(&w, "sandboxDenied");
	jw_bool(&w, p->denied);
	jw_obj_end(&w);
	emit(p, "process/exited", &b);
	wake(p);
	maybe_closed(p);
}

/* The loop reaped the process (loop_child_add). */
static void
child_ended(pid_t pid, int status, void *arg)
{
	(void)pid;
	exited(arg, status);
}

/* --- lifetime ------------------------------------------------------------ */

/* Free a process now; its group is killed unless it is known to be gone. */
static void
proc_free(struct proc *p)
{
	struct waiter	*w;
	int		 k;

	if (!p->reaped || !p->closed) {
		(void)kill(-p->pid, SIGKILL);
		guard_del(p->pid);
	}
	if (!p->reaped)
		loop_child_del(p->pid);
	while ((w = p->waiters) != NULL)
		answer(w);
	for (k = 0; k < 2; k++)
		if (p->fd[k] >= 0) {
			loop_fd_del(p->fd[k]);
			close(p->fd[k]);
		}
	wq_close(&p->in);
	if (p->expire)
		loop_timer_del(p->expire);
	outlog_free(&p->out);
	wids_free(&p->wids);
	sandbox_run_free(p->sandbox);
	free(p->id);
	free(p);
	nprocs--;
}

/* The session is destroyed: kill every process group, forget them. */
static void
sess_destroyed(struct sess *s)
{
	struct psess	*ps = psess_of(s, 0), **pp;
	struct proc	*p;

	if (ps == NULL)
		return;
	while ((p = ps->procs) != NULL) {
		ps->procs = p->next;
		proc_free(p);
	}
	for (pp = &sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == ps) {
			*pp = ps->next;
			break;
		}
	sess_set_procs(s, NULL);
	free(ps);
}

/*
 * The session was attached or detached, or its connection's queue
 * drained: read output again (a detached session keeps reading and
 * retains, it sends nothing).
 */
static void
sess_resume(struct sess *s)
{
	struct psess	*ps = psess_of(s, 0);

	if (ps != NULL)
		throttle(ps, 0);
}

const struct sess_hooks proc_sess_hooks = {
	sess_destroyed, sess_resume, sess_resume, sess_resume
};

/* --- process/read -------------------------------------------------------- */

/* Is there something new after `after`: output, the exit, the close? */
static int
ready(const struct proc *p, uint64_t after)
{
	return p->closed || (p->reaped && p->exit_seq > after) ||
	    outlog_last(&p->out) > after;
}

static void
read_result(struct jw *w, const struct proc *p, uint64_t after, int has_max,
    uint64_t max)
{
	uint64_t	 last;
	size_t		 n;

	jw_obj(w);
	jw_key(w, "chunks");
	n = outlog_write(&p->out, w, after, has_max, max, &last);
	/* protocol.md §7.7: it depends on whether maxBytes was sent. */
	jw_key(w, "nextSeq");
	jw_u64(w, has_max && n > 0 ? last + 1 : p->next_seq);
	jw_key(w, "exited");
	jw_bool(w, p->reaped);
	jw_key(w, "exitCode");
	if (p->reaped)
		jw_i64(w, p->code);
	else
		jw_null(w);
	jw_key(w, "closed");
	jw_bool(w, p->closed);
	jw_key(w, "failure");
	jw_null(w);
	jw_key(w, "sandboxDenied");
	jw_bool(w, p->denied);
	jw_obj_end(w);
}

static void
unpark(struct waiter *w)
{
	struct waiter	**wp;

	for (wp = &w->p->waiters; *wp != NULL; wp = &(*wp)->next)
		if (*wp == w) {
			*wp = w->next;
			break;
		}
	if (w->timer)
		loop_timer_del(w->timer);
}

/* Answer a parked read with the process's state now. */
static void
answer(struct waiter *w)
{
	struct buf	 b = { 0 };
	struct jw	 jw;

	unpark(w);
	jw_init(&jw, &b);
	read_result(&jw, w->p, w->after, w->has_max, w->max);
	rpc_pending_result(w->pend, &b);
	free(w);
}

static void
wake(struct proc *p)
{
	struct waiter	*w, *next;

	for (w = p->waiters; w != NULL; w = next) {
		next = w->next;
		if (ready(p, w->after))
			answer(w);
	}
}

static void
waiter_timeout(void *arg)
{
	struct waiter	*w = arg;

	w->timer = 0;
	answer(w);
}

/* The connection went away; rpc.c frees the pending handle. */
static void
waiter_cancel(void *arg)
{
	struct waiter	*w = arg;

	unpark(w);
	free(w);
}

/* --- methods ------------------------------------------------------------- */

/* The process named by the processId param, in the caller's session. */
static struct proc *
lookup(struct rpc_call *call, const char **idp, size_t *lenp)
{
	struct sess	*s = sess_of(call->rc);

	if ((*idp = rpc_str(call, rpc_arg(call, "processId"), lenp)) == NULL)
		return NULL;
	return s != NULL ? find(psess_of(s, 0), *idp, *lenp) : NULL;
}

static void
m_start(struct rpc_call *call)
{
	struct pstart		 ps;
	struct spawn_req	 req;
	struct spawn_res	 res;
	struct psess		*pss;
	struct proc		*p;
	struct sandbox_run	*run = NULL;
	struct sess		*s = sess_of(call->rc);
	struct buf		 msg = { 0 };

	if (pstart_parse(call, &ps) == -1)
		goto out;
	if (s == NULL || (pss = psess_of(s, 1)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if (find(pss, ps.id, ps.idlen) != NULL) {
		rpc_fail(call, RPC_INVALID_REQUEST, "process %.*s already exists",
		    (int)ps.idlen, ps.id);
		goto out;
	}
	if (pss->n >= LIM_PROC_PER_SESSION || nprocs >= LIM_PROC_TOTAL) {
		rpc_fail(call, RPC_INVALID_REQUEST, "too many processes: a "
		    "session holds at most %d and the server %d, running or "
		    "retained", LIM_PROC_PER_SESSION, LIM_PROC_TOTAL);
		goto out;
	}
	if (pstart_env(call, &ps) == -1 ||
	    sandbox_proc_prepare(call, ps.sandbox, buf_data(&ps.cwd), ps.envp,
	    &run) == -1)
		goto out;
	memset(&req, 0, sizeof(req));
	req.argv = ps.argv;
	req.arg0 = ps.arg0;
	req.envp = ps.envp;
	req.cwd = buf_data(&ps.cwd);
	req.tty = ps.tty;
	req.pipe_stdin = ps.pipe_stdin;
	req.confine = run != NULL ? &run->confine : NULL;
	if (spawn_start(&req, &res, &msg) == -1) {
		rpc_fail(call, RPC_INTERNAL, "%.*s", (int)buf_used(&msg),
		    buf_data(&msg));
		goto out;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->id = malloc(ps.idlen + 1)) == NULL ||
	    loop_child_add(res.pid, child_ended, p) == -1) {
		if (p != NULL)
			free(p->id);
		free(p);
		(void)kill(-res.pid, SIGKILL);
		close(res.out);
		if (res.err >= 0)
			close(res.err);
		if (res.in >= 0)
			close(res.in);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	sandbox_run_spawned(run);
	p->sandbox = run;
	p->sandboxed = ps.sandbox >= 0;
	run = NULL;
	memcpy(p->id, ps.id, ps.idlen);
	p->id[ps.idlen] = '\0';
	p->idlen = ps.idlen;
	p->ps = pss;
	p->pid = res.pid;
	p->tty = ps.tty;
	p->fd[0] = res.out;
	p->fd[1] = res.err;
	wq_init(&p->in, res.in, ps.tty);
	p->has_stdin = ps.tty || ps.pipe_stdin;
	p->next_seq = 1;
	p->out.max_bytes = LIM_PROC_RETAIN_BYTES;
	p->out.max_chunks = LIM_PROC_RETAIN_CHUNKS;
	p->out.streams = stream_name;
	p->wids.max = LIM_PROC_WRITE_IDS;
	guard_add(res.pid);
	p->next = pss->procs;
	pss->procs = p;
	pss->n++;
	nprocs++;
	if (!pss->throttled) {
		(void)loop_fd_add(p->fd[0], POLLIN, on_out, p);
		if (p->fd[1] >= 0)
			(void)loop_fd_add(p->fd[1], POLLIN, on_out, p);
	}
	jw_obj(&call->w);
	put_id(&call->w, p);
	jw_key(&call->w, "sandboxType");
	jw_cstr(&call->w, ps.sandbox_type);
	jw_obj_end(&call->w);
out:
	sandbox_run_free(run);
	pstart_free(&ps);
	buf_free(&msg);
}

static void
m_read(struct rpc_call *call)
{
	struct proc	*p;
	struct waiter	*w;
	const char	*id;
	size_t		 len;
	uint64_t	 after, max, wait;
	int		 has_max;

	if ((p = lookup(call, &id, &len)) == NULL) {
		if (id == NULL)
			rpc_fail(call, RPC_INTERNAL, "out of memory");
		else
			rpc_fail(call, RPC_INVALID_REQUEST,
			    "unknown process id %.*s", (int)len, id);
		return;
	}
	after = rpc_u64(call, call->params, "afterSeq", 0);
	has_max = rpc_arg(call, "maxBytes") >= 0;
	max = rpc_u64(call, call->params, "maxBytes", 0);
	wait = rpc_u64(call, call->params, "waitMs", 0);
	if (wait == 0 || ready(p, after) || (w = calloc(1, sizeof(*w))) == NULL)
		goto now;
	w->p = p;
	w->after = after;
	w->max = max;
	w->has_max = has_max;
	if ((w->pend = rpc_defer(call, waiter_cancel, w)) == NULL) {
		free(w);
		goto now;
	}
	w->next = p->waiters;
	p->waiters = w;
	if ((w->timer = loop_timer_add(wait < LIM_PROC_WAIT_MS ? wait :
	    LIM_PROC_WAIT_MS, waiter_timeout, w)) == 0)
		answer(w);
	return;
now:
	read_result(&call->w, p, after, has_max, max);
}

static void
m_write(struct rpc_call *call)
{
	struct b64_err	 e;
	struct proc	*p;
	const char	*id, *chunk, *wid, *status = "accepted";
	char		*data = NULL, msg[128];
	size_t		 len, idlen, widlen;
	long long	 n;

	if ((chunk = rpc_str(call, rpc_arg(call, "chunk"), &len)) == NULL ||
	    (data = malloc(b64_dec_max(len) + 1)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if ((n = b64_decode(data, chunk, len, &e)) < 0) {
		b64_strerror(&e, msg, sizeof(msg));
		rpc_fail(call, RPC_INVALID_PARAMS, "%s", msg);
		goto out;
	}
	if ((wid = rpc_str(call, rpc_arg(call, "writeId"), &widlen)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if (widlen == 0) {
		rpc_fail(call, RPC_INVALID_PARAMS, "writeId must not be empty");
		goto out;
	}
	if ((p = lookup(call, &id, &idlen)) == NULL)
		status = "unknownProcess";
	else if (!p->has_stdin)
		status = "stdinClosed";
	else if (!wids_seen(&p->wids, wid, widlen)) {
		if (p->killed) {
			rpc_fail(call, RPC_INTERNAL,
			    "failed to write to process stdin");
			goto out;
		}
		if (wq_pending(&p->in) + (size_t)n > LIM_PROC_STDIN_QUEUE) {
			rpc_fail(call, RPC_INTERNAL, "process stdin queue is "
			    "full (%d bytes)", LIM_PROC_STDIN_QUEUE);
			goto out;
		}
		if (wq_write(&p->in, data, (size_t)n) == -1 ||
		    wids_add(&p->wids, wid, widlen) == -1) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			goto out;
		}
	}
	jw_obj(&call->w);
	jw_key(&call->w, "status");
	jw_cstr(&call->w, status);
	jw_obj_end(&call->w);
out:
	free(data);
}

static void
m_signal(struct rpc_call *call)
{
	struct proc	*p;
	const char	*id;
	size_t		 len;

	/* "interrupt" is the only signal; unknown ids are not an error. */
	if ((p = lookup(call, &id, &len)) != NULL && !(p->reaped && p->closed))
		(void)kill(-p->pid, SIGINT);
	jw_obj(&call->w);
	jw_obj_end(&call->w);
}

static void
m_terminate(struct rpc_call *call)
{
	struct proc	*p;
	const char	*id;
	size_t		 len;
	int		 running = 0;

	if ((p = lookup(call, &id, &len)) != NULL && !p->reaped) {
		(void)kill(-p->pid, SIGKILL);
		p->killed = 1;
		running = 1;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "running");
	jw_bool(&call->w, running);
	jw_obj_end(&call->w);
}

static const struct schema_param read_p[] = {
	{ "processId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "afterSeq", P_U64, P_NULL, NULL, NULL, NULL },
	{ "maxBytes", P_U64, P_NULL, NULL, NULL, NULL },
	{ "waitMs", P_U64, P_NULL, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param write_p[] = {
	{ "processId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "chunk", P_B64, P_REQ, NULL, NULL, NULL },
	{ "writeId", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const char *const signal_v[] = { "interrupt", NULL };

static const struct schema_param signal_p[] = {
	{ "processId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "signal", P_ENUM, P_REQ, NULL, NULL, signal_v },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param terminate_p[] = {
	{ "processId", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct rpc_method methods[] = {
	{ "process/start", "exec", "WireExecParams", pstart_params, m_start },
	{ "process/read", "exec", "ReadParams", read_p, m_read },
	{ "process/write", "exec", "WriteParams", write_p, m_write },
	{ "process/signal", "exec", "SignalParams", signal_p, m_signal },
	{ "process/terminate", "exec", "TerminateParams", terminate_p,
	    m_terminate },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module proc_module = { methods, NULL, NULL, NULL };
