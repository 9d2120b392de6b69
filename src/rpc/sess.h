/*
 * sess.h: sessions (protocol.md §5).
 *
 * `initialize` creates a session and attaches it to the connection; a
 * session outlives its connection by the detach TTL so that a client can
 * come back with `resumeSessionId`.  The session owns its processes
 * (proc.c, through the hooks below); connections own nothing that
 * survives them.
 */
#ifndef SESS_H
#define SESS_H

#include <stdint.h>

#include "rpc/rpc.h"

struct sess;

/* initialize; connection hooks: detach on gone, drained. */
extern const struct rpc_module sess_module;

/*
 * What the keeper of a session's processes is told (any may be NULL):
 * the session is destroyed, a connection took it (initialize, resume),
 * it lost its connection, its connection's queue drained.
 */
struct sess_hooks {
	void	(*destroyed)(struct sess *);
	void	(*attached)(struct sess *);
	void	(*detached)(struct sess *);
	void	(*drained)(struct sess *);
};
void		 sess_set_hooks(const struct sess_hooks *);

/* The session attached to a connection, or NULL before initialize. */
struct sess	*sess_of(struct rpc_conn *);
/* The connection a session is attached to, or NULL while detached. */
struct rpc_conn	*sess_conn(const struct sess *);
const char	*sess_id(const struct sess *);
/* Per-session state of the process module. */
void		*sess_procs(const struct sess *);
void		 sess_set_procs(struct sess *, void *);

/* How long a detached session waits for its client (ms). */
void	 sess_set_ttl(uint64_t);
/* Destroy every session (server shutdown). */
void	 sess_shutdown(void);

#endif
