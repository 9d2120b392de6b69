/*
 * fsbox.c: an fs/ call under a sandbox that confines files, done in a
 * short-lived child confined as a sandboxed process is (sandbox/), its
 * answer read back through the loop.
 *
 * fs_admit() calls fsbox_admit() first thing.  When the call's sandbox
 * needs it, the server prepares the confinement (sandbox_fs_prepare(),
 * before fork, as for a process), defers the call and forks.  The child
 * applies the confinement and returns to the method's handler, which
 * goes on exactly as it would in the server, under the kernel's rules;
 * file jobs run to their end at once (fsjob.c asks fsbox_child()).  The
 * handler's answer does not go to the connection: rpc.c gives it to
 * child_answer() (rpc_call.answer), which writes it to a pipe and exits.
 * The server reads the pipe from the loop, and answers the call as soon
 * as a whole answer is in (its length comes first): the child's work is
 * done, and what remains, its exit and the teardown of its namespaces,
 * is no business of the client's.  A child that ends without one is
 * answered -32603 with how it ended.  The box, and with it the run's
 * placeholders, lives until the child is reaped (loop_child_add).
 *
 * A path the policy does not let the child see (outside every readable
 * root, when reads are restricted) answers NotFound, as the reference's
 * helper, whose root holds only the readable roots, does (fsbox_hidden).
 */
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/lim.h"
#include "base/loop.h"
#include "compat/oserr.h"
#include "fs/fsbox.h"
#include "sandbox/sandbox.h"

/* One call in a child, from the server's side. */
struct box {
	struct box		*next;		/* of its connection */
	struct rpc_conn		*rc;		/* NULL once it is gone */
	struct rpc_pending	*pending;	/* NULL once answered */
	struct sandbox_run	*run;		/* held until the child ends */
	pid_t			 pid;
	int			 fd;		/* the answer, read end */
	struct buf		 in;
	int			 oom;
};

/* rpc.c's per-connection state of this module: the calls in children. */
struct boxes {
	struct box	*head;
};

/* In the child: the policy of the call, and where the answer goes. */
static const struct sandbox_run	*child_run;
static int			 child_fd = -1;

int
fsbox_child(void)
{
	return child_fd != -1;
}

int
fsbox_hidden(const char *path)
{
	return child_run != NULL && !sandbox_run_visible(child_run, path);
}

static void
put_all(int fd, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0) {
		if ((w = write(fd, s, n)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		s += w;
		n -= (size_t)w;
	}
}

/*
 * The child's answer: a head, then the result value (kind 'R') or the
 * error message (kind 'E').  Then it is done.
 */
struct head {
	char		 kind;
	int32_t		 code;
	uint64_t	 len;
};

static void __attribute__((noreturn))
child_answer(struct rpc_call *call)
{
	struct head	 h;
	const char	*p;

	memset(&h, 0, sizeof(h));
	if (call->err) {
		h.kind = 'E';
		h.code = call->err;
		p = call->errmsg != NULL ? call->errmsg : "";
		h.len = strlen(p);
	} else if (!call->res.oom) {
		h.kind = 'R';
		p = buf_data(&call->res);
		h.len = buf_used(&call->res);
	} else
		_exit(1);
	put_all(child_fd, &h, sizeof(h));
	put_all(child_fd, p, h.len);
	_exit(0);
}

static void
box_free(struct box *b)
{
	struct boxes	*bs;
	struct box	**bp;

	if (b->rc != NULL &&
	    (bs = rpc_conn_state(b->rc, &fsbox_module)) != NULL)
		for (bp = &bs->head; *bp != NULL; bp = &(*bp)->next)
			if (*bp == b) {
				*bp = b->next;
				break;
			}
	if (b->fd != -1) {
		loop_fd_del(b->fd);
		close(b->fd);
	}
	sandbox_run_free(b->run);
	buf_free(&b->in);
	free(b);
}

/* The connection went away: the child goes too. */
static void
box_cancel(void *arg)
{
	struct box	*b = arg;

	(void)kill(b->pid, SIGKILL);
	loop_child_del(b->pid);
	box_free(b);
}

static void	box_answer(struct box *, const int *status);

/* Take what the child has written so far; answer at its end. */
static void
box_read(struct box *b)
{
	ssize_t	 n;

	while (b->fd != -1) {
		if (buf_reserve(&b->in, 65536) == -1) {
			b->oom = 1;
			buf_reset(&b->in);
			continue;
		}
		n = read(b->fd, b->in.p + b->in.len, 65536);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n > 0) {
			b->in.len += (size_t)n;
			if (b->pending != NULL)
				box_answer(b, NULL);
			continue;
		}
		loop_fd_del(b->fd);
		close(b->fd);
		b->fd = -1;
	}
}

static void
box_io(int fd, short revents, void *arg)
{
	(void)fd;
	(void)revents;
	box_read(arg);
}

/*
 * Answer the call from what the child wrote; status: how it ended, or
 * NULL when it has not yet (then a broken answer waits for it).
 */
static void
box_answer(struct box *b, const int *status)
{
	struct buf	 res = { 0 }, msg = { 0 };
	struct head	 h;
	const char	*p = buf_data(&b->in);
	size_t		 n = buf_used(&b->in);

	memset(&h, 0, sizeof(h));
	if (n >= sizeof(h))
		memcpy(&h, p, sizeof(h));
	/* Whole, or not yet (a head that lies waits for the child's end). */
	if (b->oom || n < sizeof(h) || h.len != n - sizeof(h) ||
	    (h.kind != 'R' && h.kind != 'E')) {
		if (status == NULL)
			return;
		buf_adds(&msg, "fs sandbox child failed: ");
		if (b->oom)
			buf_adds(&msg, "out of memory");
		else if (WIFSIGNALED(*status))
			buf_addf(&msg, "killed by signal %d",
			    WTERMSIG(*status));
		else
			buf_addf(&msg, "exit status %d",
			    WEXITSTATUS(*status));
		buf_addc(&msg, '\0');
		rpc_pending_error(b->pending, RPC_INTERNAL,
		    msg.oom ? "out of memory" : buf_data(&msg));
	} else if (h.kind == 'R') {
		buf_add(&res, p + sizeof(h), h.len);
		rpc_pending_result(b->pending, &res);
	} else {
		buf_add(&msg, p + sizeof(h), h.len);
		buf_addc(&msg, '\0');
		rpc_pending_error(b->pending, h.code,
		    msg.oom ? "out of memory" : buf_data(&msg));
	}
	b->pending = NULL;
	buf_free(&msg);
	buf_free(&b->in);
}

static void
box_ended(pid_t pid, int status, void *arg)
{
	struct box	*b = arg;

	(void)pid;
	box_read(b);
	if (b->pending != NULL)
		box_answer(b, &status);
	box_free(b);
}

/* Does the method only read?  Under a policy that reads everywhere it
 * then runs here: a child would see exactly what the server sees. */
static int
reads_only(const struct rpc_call *call)
{
	static const char *const readers[] = { "fs/readFile",
	    "fs/getMetadata", "fs/readDirectory", "fs/canonicalize",
	    "fs/walk", NULL };
	size_t	 i;

	for (i = 0; call->method != NULL && readers[i] != NULL; i++)
		if (strcmp(call->method->name, readers[i]) == 0)
			return 1;
	return 0;
}

/* In the child: confined, holding nothing but the answer's pipe. */
static void
child_start(struct rpc_call *call, struct sandbox_run *run, int fd)
{
	int	 e, step;

	child_fd = fd;
	child_run = run;
	if ((e = confine_apply(&run->confine, &step)) != 0) {
		rpc_fail(call, RPC_INTERNAL, "cannot confine the fs sandbox "
		    "child (%s): %s", confine_step_name(step), oserr_str(e));
		child_answer(call);
	}
	/* Not the client's socket, not the server's stdio: only the pipe. */
	if (fd > 0 && syscall(SYS_close_range, 0U, (unsigned)fd - 1, 0) == -1)
		_exit(1);
	if (syscall(SYS_close_range, (unsigned)fd + 1, ~0U, 0) == -1)
		_exit(1);
	call->answer = child_answer;
}

int
fsbox_admit(struct rpc_call *call)
{
	struct sandbox_run	*run;
	struct box		*b;
	struct boxes		*bs;
	int			 pfd[2], e;
	pid_t			 pid;

	if (child_fd != -1)
		return 0;		/* we are the child already */
	if (sandbox_fs_prepare(call, rpc_arg(call, "sandbox"), reads_only(call),
	    &run) == -1)
		return -1;
	if (run == NULL)
		return 0;
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		sandbox_run_free(run);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return -1;
	}
	b->run = run;
	b->fd = -1;
	if (pipe2(pfd, O_CLOEXEC) == -1)
		goto fail;
	b->fd = pfd[0];
	if (fcntl(b->fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (pid = fork()) == -1) {
		e = errno;
		close(pfd[1]);
		errno = e;
		goto fail;
	}
	if (pid == 0) {
		child_start(call, run, pfd[1]);
		return 0;
	}
	close(pfd[1]);
	b->pid = pid;
	sandbox_run_spawned(run);
	if (loop_child_add(pid, box_ended, b) == -1) {
		(void)kill(pid, SIGKILL);
		errno = ENOMEM;
		goto fail;
	}
	if ((bs = rpc_call_state(call, &fsbox_module, sizeof(*bs))) == NULL) {
		box_cancel(b);
		return -1;
	}
	b->rc = call->rc;
	b->next = bs->head;
	bs->head = b;
	if (loop_fd_add(b->fd, POLLIN, box_io, b) == -1 ||
	    (b->pending = rpc_defer(call, box_cancel, b)) == NULL) {
		box_cancel(b);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return -1;
	}
	return -1;
fail:
	e = errno;
	rpc_fail(call, RPC_INTERNAL, "cannot start the fs sandbox child: %s",
	    oserr_str(e));
	box_free(b);
	return -1;
}

/*
 * The peer sends nothing more (stdio EOF): the server is about to end,
 * so wait for the children of this connection here and answer them, as
 * the pending file jobs are finished and answered.
 */
static void
conn_eof(struct rpc_conn *rc)
{
	struct boxes	*bs = rpc_conn_state(rc, &fsbox_module);
	struct box	*b;
	int		 st, fl;

	while (bs != NULL && (b = bs->head) != NULL) {
		if ((fl = fcntl(b->fd, F_GETFL)) != -1)
			(void)fcntl(b->fd, F_SETFL, fl & ~O_NONBLOCK);
		box_read(b);
		while (waitpid(b->pid, &st, 0) == -1 && errno == EINTR)
			;
		loop_child_del(b->pid);
		box_ended(b->pid, st, b);
	}
}

/*
 * The connection is gone; its unanswered calls were cancelled (their
 * children killed, box_cancel): what is left was answered and waits to
 * be reaped, on its own now.
 */
static void
conn_gone(struct rpc_conn *rc)
{
	struct boxes	*bs = rpc_conn_state(rc, &fsbox_module);
	struct box	*b;

	while (bs != NULL && (b = bs->head) != NULL) {
		bs->head = b->next;
		b->next = NULL;
		b->rc = NULL;
	}
}

/* No methods: the calls in children, finished at end of input. */
const struct rpc_module fsbox_module = { NULL, conn_eof, NULL, conn_gone };
