/*
 * fsjob.h: filesystem work done in slices, one per loop round (fsjob.c).
 *
 * A method whose work can be large (fs/readFile of a big file, fs/copy,
 * fs/remove, fs/walk) hands it to fsjob_run() as a step function and its
 * state.  Each step does a bounded amount of work (the LIM_FS_SLICE and
 * LIM_FS_JOB_* limits, see fsjob_more()) and says whether it has
 * finished.  The first step runs inside the call, so work that fits one
 * slice is answered at once, as any call; the rest runs from a 0 ms
 * timer, one step per loop round, and the call is answered (deferred)
 * when the last step is done.
 *
 * The jobs of a connection run one at a time, in the order of their
 * calls.  A later call of the same connection must see the files as if
 * every earlier call had finished: one that changes files first finishes
 * every pending job (fsjob_drain), one that reads first finishes the
 * pending jobs if one of them changes files (fsjob_admit).  When the
 * connection ends, a read or walk just stops, and a copy or removal goes
 * on to its end, unanswered.
 */
#ifndef FSJOB_H
#define FSJOB_H

#include <stddef.h>

#include "base/buf.h"

#include "rpc/rpc.h"

struct fs_job;

/* What a step returns. */
#define FSJOB_MORE	0	/* call again next round */
#define FSJOB_DONE	1	/* finished: result in res, or fsjob_fail() */

/*
 * One slice of the work on arg.  On FSJOB_DONE the result value has been
 * appended to res, or fsjob_fail() was called.  A step may also append a
 * partial result to res and return FSJOB_MORE (res then keeps it).
 */
typedef int	 fsjob_step_fn(struct fs_job *, void *arg, struct buf *res);
/* Free arg: after the last step, or when the job is dropped unfinished. */
typedef void	 fsjob_free_fn(void *arg);

/* fsjob_run() flags. */
#define FSJOB_CHANGES	0x1	/* it changes files (fs/copy, fs/remove) */
#define FSJOB_LATER	0x2	/* no first step inside the call */

/*
 * Do the call's work with step; arg is owned by the job from here on,
 * freed with fr in every case (also when this fails: rpc_fail() then).
 * hint: the expected size of the result, reserved up front.  When jobs
 * of the connection are pending, the first step waits for them too.
 */
void	 fsjob_run(struct rpc_call *, int flags, fsjob_step_fn *step,
	    fsjob_free_fn *fr, void *arg, size_t hint);
/*
 * For a step, before each entry of work: 1 while the slice has room for
 * it (LIM_FS_JOB_ENTRIES entries, LIM_FS_JOB_MS milliseconds; the first
 * entry always has), 0 when the step should return FSJOB_MORE.
 */
int	 fsjob_more(struct fs_job *);
/* For a step: the call fails with code and msg (copied). */
void	 fsjob_fail(struct fs_job *, int code, const char *msg);
/* ... with errno e, worded as fs_fail_errno() words it. */
void	 fsjob_fail_errno(struct fs_job *, int e);

/*
 * Every fs/ method that is not a job itself starts here: fs_admit(), then
 * if a pending job of the connection changes files, every pending job is
 * finished first, so that the call sees their effect.  0, or -1 after
 * rpc_fail().  (Jobs call fs_admit() alone: fsjob_run() queues them.)
 */
int	 fsjob_admit(struct rpc_call *);
/* Finish every pending job of the connection now. */
void	 fsjob_drain(struct rpc_conn *);

/*
 * The connection hooks (no methods): eof finishes the pending jobs; gone
 * drops its reads and walks, and lets its copies and removals go on
 * unanswered, after those of connections gone before.
 */
extern const struct rpc_module fsjob_module;

#endif
