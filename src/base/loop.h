/*
 * loop.h: the one poll() loop.
 *
 * Descriptors with callbacks, one-shot millisecond timers, and signals
 * delivered through a self-pipe so that handlers run in the loop, never
 * in signal context.  There is a single loop per process.
 */
#ifndef LOOP_H
#define LOOP_H

#include <sys/types.h>

#include <poll.h>
#include <stdint.h>

typedef void	 loop_fd_fn(int fd, short revents, void *arg);
typedef void	 loop_timer_fn(void *arg);
typedef void	 loop_sig_fn(int signo);
typedef void	 loop_child_fn(pid_t pid, int status, void *arg);

int	 loop_init(void);
/* Watch fd for events (POLLIN/POLLOUT).  One registration per fd. */
int	 loop_fd_add(int fd, short events, loop_fd_fn *, void *arg);
void	 loop_fd_events(int fd, short events);
void	 loop_fd_del(int fd);

/* Call fn(arg) once, ms from now.  Returns an id > 0, or 0 on ENOMEM. */
uint64_t loop_timer_add(uint64_t ms, loop_timer_fn *, void *arg);
/* Cancel a pending timer; ids of fired or cancelled timers are ignored. */
void	 loop_timer_del(uint64_t id);

/* Run fn(signo) from the loop whenever signo arrives. */
int	 loop_signal(int signo, loop_sig_fn *);

/*
 * Call fn(pid, status, arg) from the loop once child pid has ended.  The
 * loop reaps every child (SIGCHLD): one nobody watches is reaped and
 * forgotten.  loop_child_del() stops watching (the child is still
 * reaped when it ends).  loop_child_add: 0, or -1 on ENOMEM.
 */
int	 loop_child_add(pid_t, loop_child_fn *, void *arg);
void	 loop_child_del(pid_t);

/* Monotonic clock, milliseconds. */
uint64_t loop_now(void);

/*
 * Call fn() once the loop has waited ms with no descriptor ready (timers
 * do not count), and again only after the next event: for work that is
 * only worth doing when nothing else is (returning memory).
 */
typedef void	 loop_idle_fn(void);
void	 loop_idle(int ms, loop_idle_fn *);

void	 loop_run(void);
void	 loop_stop(void);

#endif
