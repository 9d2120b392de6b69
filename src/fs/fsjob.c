/*
 * fsjob.c: the per-connection queue of filesystem jobs (fsjob.h).
 *
 * A deferred job owns its call's request id and builds the whole response
 * in place: "{"id":ID,"result":", then what its steps append, then "}".
 * A 700 MB fs/readFile answer is never copied.  Only the head job of a
 * connection runs: one step per loop round from a 0 ms timer (25 ms while
 * the connection's outbound queue is over LIM_OUTQ_HIGH, so that a slow
 * peer drains what it was sent first).  When it finishes it is answered
 * and the next one starts.  Connections do not wait for each other: each
 * has its own head job, and a loop round gives every one of them a step.
 *
 * A job that changes files outlives its connection: when the connection
 * ends, its copies and removals move, in order, to one queue of orphans
 * that goes on the same way, unanswered, so that the tree is not left
 * half done (the reference's blocking tasks also run to their end).
 * Reads and walks are simply dropped.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/lim.h"
#include "base/loop.h"
#include "compat/oserr.h"
#include "fs/fs.h"
#include "fs/fsbox.h"
#include "fs/fsjob.h"

struct fs_job {
	struct fs_job	*next;
	struct rpc_conn	*rc;		/* NULL: an orphan */
	struct rpc_id	 id;		/* taken from the call when deferred */
	int		 flags;		/* FSJOB_* */
	uint64_t	 timer;
	fsjob_step_fn	*step;
	fsjob_free_fn	*fr;
	void		*arg;
	struct buf	 msg;		/* the response being built */
	int		 code;		/* set by fsjob_fail() */
	char		*why;
	int		 left;		/* entries left in this slice */
	uint64_t	 until;		/* its end, microseconds */
};

/* rpc.c's per-connection state of this module. */
struct queue {
	struct fs_job	*jobs;		/* in call order */
};

static void	tick(void *);

static struct fs_job	*orphans;	/* jobs whose connection ended */

static uint64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* One slice of j's work. */
static int
slice(struct fs_job *j, struct buf *res)
{
	j->left = LIM_FS_JOB_ENTRIES;
	j->until = now_us() + LIM_FS_JOB_MS * 1000;
	return j->step(j, j->arg, res);
}

int
fsjob_more(struct fs_job *j)
{
	if (j->left <= 0 || (j->left < LIM_FS_JOB_ENTRIES &&
	    now_us() >= j->until))
		return 0;
	j->left--;
	return 1;
}

static void
job_free(struct fs_job *j)
{
	if (j->timer)
		loop_timer_del(j->timer);
	if (j->fr != NULL)
		j->fr(j->arg);
	free(j->id.str);
	buf_free(&j->msg);
	free(j->why);
	free(j);
}

void
fsjob_fail(struct fs_job *j, int code, const char *msg)
{
	if (j->code != 0)
		return;
	j->code = code;
	j->why = strdup(msg);
}

void
fsjob_fail_errno(struct fs_job *j, int e)
{
	struct buf	 m = { 0 };

	oserr_fmt(&m, e);
	buf_addc(&m, '\0');
	fsjob_fail(j, fs_errcode(e), m.oom ? "out of memory" : buf_data(&m));
	buf_free(&m);
}

/* Send the answer of a deferred job. */
static void
answer(struct fs_job *j)
{
	if (j->code == 0) {
		if (rpc_result_send(j->rc, &j->msg) == 0)
			return;
		j->code = RPC_INTERNAL;
	}
	rpc_send_error(j->rc, &j->id, j->code,
	    j->why != NULL ? j->why : "out of memory");
}

/* The queue j is in: its connection's, or the orphans. */
static struct fs_job **
queue_of(struct fs_job *j)
{
	struct queue	*q;

	if (j->rc == NULL)
		return &orphans;
	q = rpc_conn_state(j->rc, &fsjob_module);
	return &q->jobs;
}

/*
 * One step of j, the head of queue q; 1 when it finished (answered,
 * unless an orphan, and freed).
 */
static int
advance(struct fs_job **q, struct fs_job *j)
{
	if (slice(j, &j->msg) == FSJOB_MORE && j->code == 0)
		return 0;
	*q = j->next;
	if (j->rc != NULL)
		answer(j);
	job_free(j);
	return 1;
}

/* Give the head job of queue q its next round. */
static void
schedule(struct fs_job **q)
{
	struct fs_job	*j;

	while ((j = *q) != NULL && j->timer == 0) {
		if ((j->timer = loop_timer_add(0, tick, j)) != 0)
			return;
		/* No timer (out of memory): finish it now rather than never. */
		while (advance(q, j) == 0)
			;
	}
}

static void
tick(void *arg)
{
	struct fs_job	*j = arg;
	struct fs_job	**q = queue_of(j);

	j->timer = 0;
	if (j->rc != NULL && rpc_conn_congested(j->rc) &&
	    (j->timer = loop_timer_add(25, tick, j)) != 0)
		return;
	advance(q, j);
	schedule(q);
}

void
fsjob_run(struct rpc_call *call, int flags, fsjob_step_fn *step,
    fsjob_free_fn *fr, void *arg, size_t hint)
{
	struct queue	*q;
	struct fs_job	*j, **jp;
	int		 done;

	if ((q = rpc_call_state(call, &fsjob_module, sizeof(*q))) == NULL) {
		fr(arg);
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		fr(arg);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	j->rc = call->rc;
	j->flags = flags;
	j->step = step;
	j->fr = fr;
	j->arg = arg;
	/*
	 * Nothing ahead: the first slice now, answered as any call if it is
	 * the last.  A confined child (fsbox.c) has nothing else to do: all
	 * of them now.
	 */
	if (fsbox_child() || (q->jobs == NULL && !(flags & FSJOB_LATER))) {
		do
			done = slice(j, &call->res) == FSJOB_DONE ||
			    j->code != 0;
		while (!done && fsbox_child());
		if (done) {
			if (j->code != 0) {
				buf_reset(&call->res);
				rpc_fail(call, j->code, "%s", j->why != NULL ?
				    j->why : "out of memory");
			}
			job_free(j);
			return;
		}
	}
	if (buf_reserve(&j->msg, hint + buf_used(&call->res) + 64) == -1) {
		job_free(j);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	/* Deferred: take the request id, rpc.c will not answer this call. */
	j->id = call->id;
	call->id.str = NULL;
	call->deferred = 1;
	rpc_result_begin(&j->msg, &j->id);
	buf_add(&j->msg, buf_data(&call->res), buf_used(&call->res));
	buf_reset(&call->res);
	for (jp = &q->jobs; *jp != NULL; jp = &(*jp)->next)
		;
	*jp = j;
	schedule(&q->jobs);
}

void
fsjob_drain(struct rpc_conn *rc)
{
	struct queue	*q = rpc_conn_state(rc, &fsjob_module);
	struct fs_job	*j;

	while (q != NULL && (j = q->jobs) != NULL)
		while (advance(&q->jobs, j) == 0)
			;
}

int
fsjob_admit(struct rpc_call *call)
{
	struct queue	*q;
	struct fs_job	*j;

	if (fs_admit(call) == -1)
		return -1;
	q = rpc_conn_state(call->rc, &fsjob_module);
	for (j = q != NULL ? q->jobs : NULL; j != NULL; j = j->next)
		if (j->flags & FSJOB_CHANGES) {
			fsjob_drain(call->rc);
			break;
		}
	return 0;
}

/*
 * The connection is gone: its reads and walks are dropped; its copies and
 * removals go on unanswered, after those of connections gone before.
 */
static void
conn_gone(struct rpc_conn *rc)
{
	struct queue	*q = rpc_conn_state(rc, &fsjob_module);
	struct fs_job	*j, **tail;

	if (q == NULL)
		return;
	for (tail = &orphans; *tail != NULL; tail = &(*tail)->next)
		;
	while ((j = q->jobs) != NULL) {
		q->jobs = j->next;
		if (!(j->flags & FSJOB_CHANGES) || j->code != 0) {
			job_free(j);
			continue;
		}
		/* A copy or removal goes on, unanswered, after the others. */
		if (j->timer) {
			loop_timer_del(j->timer);
			j->timer = 0;
		}
		j->rc = NULL;
		j->next = NULL;
		buf_free(&j->msg);
		*tail = j;
		tail = &j->next;
	}
	schedule(&orphans);
}

/* No methods: the connection hooks of the fs/ jobs. */
const struct rpc_module fsjob_module = { NULL, fsjob_drain, NULL,
	conn_gone };
