/*
 * guard.h: a guard process that kills the server's process groups when
 * the server dies, however it dies (guard.c).
 */
#ifndef GUARD_H
#define GUARD_H

#include <sys/types.h>

/* Fork the guard (startup, before the loop).  0, or -1 with errno. */
int	 guard_start(void);
/* A process group started / ended (its leader reaped, its output done). */
void	 guard_add(pid_t pgid);
void	 guard_del(pid_t pgid);

#endif
