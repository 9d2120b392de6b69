/*
 * proc.h: the processes of a session and the process methods:
 * process/start, read, write, signal, terminate (protocol.md §7.5-§7.10).
 *
 * A session owns its processes; sess.c tells this module when the
 * session is destroyed, attached, detached, or when its connection's
 * outbound queue has drained.
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>

#include "rpc/rpc.h"

struct sess;

extern const struct rpc_method proc_methods[];

/* Kill every process group of the session and forget its processes. */
void	 proc_sess_destroy(struct sess *);
/* A connection took the session (initialize, resume). */
void	 proc_sess_attached(struct sess *);
/* The session lost its connection: keep reading, retain, do not send. */
void	 proc_sess_detached(struct sess *);
/* The connection's queue drained below LIM_OUTQ_LOW: read output again. */
void	 proc_sess_drained(struct sess *);
/* How long a closed process stays readable (ms); follows --session-ttl. */
void	 proc_set_retention(uint64_t);

#endif
