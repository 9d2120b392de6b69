/*
 * sess.h: sessions (protocol.md §5).
 *
 * `initialize` creates a session and attaches it to the connection; a
 * session outlives its connection by the detach TTL so that a client can
 * come back with `resumeSessionId`.  The session owns its processes
 * (proc.c); connections own nothing that survives them.
 */
#ifndef SESS_H
#define SESS_H

#include <stdint.h>

#include "rpc/rpc.h"

struct sess;

extern const struct rpc_method sess_methods[];

/* The session attached to a connection, or NULL before initialize. */
struct sess	*sess_of(struct rpc_conn *);
/* The connection a session is attached to, or NULL while detached. */
struct rpc_conn	*sess_conn(const struct sess *);
const char	*sess_id(const struct sess *);
/* Per-session state of the process module. */
void		*sess_procs(const struct sess *);
void		 sess_set_procs(struct sess *, void *);

/* Connection hooks (rpc.c). */
void	 sess_conn_gone(struct rpc_conn *);
void	 sess_conn_drained(struct rpc_conn *);

/* How long a detached session waits for its client (ms). */
void	 sess_set_ttl(uint64_t);
/* Destroy every session (server shutdown). */
void	 sess_shutdown(void);

#endif
