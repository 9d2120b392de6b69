/*
 * loop.c: poll() event loop with timers and a signal self-pipe.
 *
 * Registrations live in a table indexed by fd; each poll round builds its
 * pollfd array from it.  A callback may add or remove any registration:
 * a generation number per slot keeps a stale event from reaching an fd
 * that was closed and reused during the same round.
 *
 * The loop is the only reaper of children: SIGCHLD is handled from
 * loop_init() on, every ended child is reaped there, and the watcher of
 * its pid, if any, is told (loop_child_add).  Reaping happens only in
 * the loop, so a pid cannot be reused between a fork and its watch.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/loop.h"

struct slot {
	loop_fd_fn	*fn;
	void		*arg;
	short		 events;
	uint32_t	 gen;
};

struct timer {
	uint64_t	 id;
	uint64_t	 when;
	loop_timer_fn	*fn;
	void		*arg;
};

static struct slot	*slots;
static int		 nslots;
static struct pollfd	*pfds;
static uint32_t		*pgen;
static int		 npfds;

static struct timer	*timers;
static size_t		 ntimers, captimers;
static uint64_t		 timer_seq;

struct child {
	struct child	*next;
	pid_t		 pid;
	loop_child_fn	*fn;
	void		*arg;
};

static struct child	*children;

static int		 sigpipe[2] = { -1, -1 };
static loop_sig_fn	*sigfns[65];
static volatile sig_atomic_t running;
static loop_idle_fn	*idle_fn;
static int		 idle_ms, idle_done = 1;

uint64_t
loop_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sig_catch(int signo)
{
	unsigned char	 c = (unsigned char)signo;
	int		 saved = errno;

	/* Non-blocking: if the pipe is full a wakeup is already pending. */
	(void)!write(sigpipe[1], &c, 1);
	errno = saved;
}

static void
sig_drain(int fd, short revents, void *arg)
{
	unsigned char	 c[64];
	ssize_t		 n, i;

	(void)revents;
	(void)arg;
	while ((n = read(fd, c, sizeof(c))) > 0)
		for (i = 0; i < n; i++)
			if (c[i] < 65 && sigfns[c[i]] != NULL)
				sigfns[c[i]](c[i]);
}

/* SIGCHLD: reap every ended child, tell its watcher. */
static void
reap(int signo)
{
	struct child	**cp, *c;
	pid_t		  pid;
	int		  status;

	(void)signo;
	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		for (cp = &children; (c = *cp) != NULL; cp = &c->next)
			if (c->pid == pid)
				break;
		if (c == NULL)
			continue;
		*cp = c->next;
		c->fn(pid, status, c->arg);
		free(c);
	}
}

int
loop_init(void)
{
	sigset_t	 set;

	if (pipe2(sigpipe, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    loop_fd_add(sigpipe[0], POLLIN, sig_drain, NULL) == -1 ||
	    loop_signal(SIGCHLD, reap) == -1)
		return -1;
	/* Never inherit it blocked: no child would ever be reaped. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int
loop_child_add(pid_t pid, loop_child_fn *fn, void *arg)
{
	struct child	*c;

	if ((c = malloc(sizeof(*c))) == NULL)
		return -1;
	c->pid = pid;
	c->fn = fn;
	c->arg = arg;
	c->next = children;
	children = c;
	/* It may have ended already: its SIGCHLD is then in the pipe. */
	return 0;
}

void
loop_child_del(pid_t pid)
{
	struct child	**cp, *c;

	for (cp = &children; (c = *cp) != NULL; cp = &c->next)
		if (c->pid == pid) {
			*cp = c->next;
			free(c);
			return;
		}
}

int
loop_signal(int signo, loop_sig_fn *fn)
{
	struct sigaction	 sa;

	if (signo <= 0 || signo >= 65)
		return -1;
	sigfns[signo] = fn;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_catch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(signo, &sa, NULL);
}

int
loop_fd_add(int fd, short events, loop_fd_fn *fn, void *arg)
{
	struct slot	*s;
	int		 n;

	if (fd < 0)
		return -1;
	if (fd >= nslots) {
		n = nslots ? nslots : 64;
		while (n <= fd)
			n *= 2;
		if ((s = realloc(slots, (size_t)n * sizeof(*s))) == NULL)
			return -1;
		memset(s + nslots, 0, (size_t)(n - nslots) * sizeof(*s));
		slots = s;
		nslots = n;
	}
	slots[fd].fn = fn;
	slots[fd].arg = arg;
	slots[fd].events = events;
	slots[fd].gen++;
	return 0;
}

void
loop_fd_events(int fd, short events)
{
	if (fd >= 0 && fd < nslots)
		slots[fd].events = events;
}

void
loop_fd_del(int fd)
{
	if (fd >= 0 && fd < nslots) {
		slots[fd].fn = NULL;
		slots[fd].arg = NULL;
		slots[fd].gen++;
	}
}

uint64_t
loop_timer_add(uint64_t ms, loop_timer_fn *fn, void *arg)
{
	struct timer	*t;
	size_t		 n;

	if (ntimers == captimers) {
		n = captimers ? captimers * 2 : 32;
		if ((t = realloc(timers, n * sizeof(*t))) == NULL)
			return 0;
		timers = t;
		captimers = n;
	}
	t = &timers[ntimers++];
	t->id = ++timer_seq;
	t->when = loop_now() + ms;
	t->fn = fn;
	t->arg = arg;
	return t->id;
}

void
loop_timer_del(uint64_t id)
{
	size_t	 i;

	for (i = 0; i < ntimers; i++)
		if (timers[i].id == id) {
			timers[i] = timers[--ntimers];
			return;
		}
}

/* Milliseconds until the next timer, or -1 for none. */
static int
timer_wait(void)
{
	uint64_t	 now, min;
	size_t		 i;

	if (ntimers == 0)
		return -1;
	min = timers[0].when;
	for (i = 1; i < ntimers; i++)
		if (timers[i].when < min)
			min = timers[i].when;
	now = loop_now();
	if (min <= now)
		return 0;
	return min - now > 60000 ? 60000 : (int)(min - now);
}

/* Fire every due timer; those a callback adds wait for the next round. */
static void
timer_run(void)
{
	uint64_t	 now, limit;
	size_t		 i;
	loop_timer_fn	*fn;
	void		*arg;

	now = loop_now();
	limit = timer_seq;
	for (i = 0; i < ntimers; ) {
		if (timers[i].when > now || timers[i].id > limit) {
			i++;
			continue;
		}
		fn = timers[i].fn;
		arg = timers[i].arg;
		timers[i] = timers[--ntimers];
		fn(arg);
		/* The callback may have reshuffled the array: rescan. */
		i = 0;
	}
}

static int
build_pfds(void)
{
	int	 fd, n = 0;
	void	*p;

	if (npfds < nslots) {
		if ((p = realloc(pfds, (size_t)nslots * sizeof(*pfds))) == NULL)
			return -1;
		pfds = p;
		if ((p = realloc(pgen, (size_t)nslots * sizeof(*pgen))) == NULL)
			return -1;
		pgen = p;
		npfds = nslots;
	}
	for (fd = 0; fd < nslots; fd++) {
		if (slots[fd].fn == NULL)
			continue;
		pfds[n].fd = fd;
		pfds[n].events = slots[fd].events;
		pfds[n].revents = 0;
		pgen[n] = slots[fd].gen;
		n++;
	}
	return n;
}

void
loop_idle(int ms, loop_idle_fn *fn)
{
	idle_ms = ms;
	idle_fn = fn;
}

void
loop_run(void)
{
	int	 n, i, r, fd, wait, idle;

	running = 1;
	while (running) {
		if ((n = build_pfds()) == -1) {
			/* Out of memory: back off and retry. */
			poll(NULL, 0, 10);
			continue;
		}
		wait = timer_wait();
		idle = idle_fn != NULL && !idle_done &&
		    (wait == -1 || wait >= idle_ms);
		r = poll(pfds, (nfds_t)n, idle ? idle_ms : wait);
		if (r == -1 && errno != EINTR)
			poll(NULL, 0, 10);
		if (r > 0)
			idle_done = 0;
		else if (r == 0 && idle) {
			idle_done = 1;
			idle_fn();
		}
		for (i = 0; r > 0 && i < n && running; i++) {
			fd = pfds[i].fd;
			if (pfds[i].revents == 0)
				continue;
			if (slots[fd].fn == NULL || slots[fd].gen != pgen[i])
				continue;
			slots[fd].fn(fd, pfds[i].revents, slots[fd].arg);
		}
		if (running)
			timer_run();
	}
}

void
loop_stop(void)
{
	running = 0;
}
