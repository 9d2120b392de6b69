/*
 * loop.h: the one poll() loop.
 *
 * Descriptors with callbacks, one-shot millisecond timers, and signals
 * delivered through a self-pipe so that handlers run in the loop, never
 * in signal context.  There is a single loop per process.
 */
#ifndef LOOP_H
#define LOOP_H

#include <poll.h>
#include <stdint.h>

typedef void	 loop_fd_fn(int fd, short revents, void *arg);
typedef void	 loop_timer_fn(void *arg);
typedef void	 loop_sig_fn(int signo);

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

/* Monotonic clock, milliseconds. */
uint64_t loop_now(void);

void	 loop_run(void);
void	 loop_stop(void);

#endif
