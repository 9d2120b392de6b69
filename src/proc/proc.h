/*
 * proc.h: the processes of a session and the process methods:
 * process/start, read, write, signal, terminate (protocol.md §7.5-§7.10).
 *
 * A session owns its processes; sess.c tells this module when the
 * session is destroyed, attached, detached, or when its connection's
 * outbound queue has drained (proc_sess_hooks, wired by main.c).
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>

#include "rpc/rpc.h"
#include "rpc/sess.h"

/* The process/ methods. */
extern const struct rpc_module	 proc_module;
/*
 * Destroyed: kill every process group of the session, forget them.
 * Attached, detached, drained: read output again (detached: retain it,
 * send nothing).
 */
extern const struct sess_hooks	 proc_sess_hooks;
/* How long a closed process stays readable (ms); follows --session-ttl. */
void	 proc_set_retention(uint64_t);

#endif
