/*
 * rpc.h: JSON-RPC as the exec-server protocol uses it (protocol.md §4, §5).
 *
 * rpc.c classifies each inbound message, enforces the initialize gate,
 * checks params against a declarative schema (producing serde-style
 * -32602 messages) and calls the method's handler.  Handlers live in
 * the modules above (sessions, processes, files); each gives rpc.c a
 * struct rpc_module (its table of struct rpc_method and its connection
 * hooks), and main.c lists them with rpc_init().  rpc.c knows no method
 * by name, and the transport below (net/conn.c) knows no JSON-RPC: it
 * reaches rpc.c through rpc_conn_ops, which main.c hands it.
 */
#ifndef RPC_H
#define RPC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "rpc/schema.h"

struct conn;
struct conn_ops;
struct rpc_conn;

/* Error codes (protocol.md §4.3). */
#define RPC_INVALID_REQUEST	(-32600)
#define RPC_METHOD_NOT_FOUND	(-32601)
#define RPC_INVALID_PARAMS	(-32602)
#define RPC_INTERNAL		(-32603)
#define RPC_NOT_FOUND		(-32004)
#define RPC_SESSION_ATTACHED	(-32010)

struct rpc_id {
	int		 isstr;
	int64_t		 num;
	char		*str;		/* owned, when isstr */
	size_t		 len;
};

/* A request being handled. */
struct rpc_call {
	struct rpc_conn		*rc;
	const struct rpc_method	*method;	/* being called */
	const struct json_doc	*doc;
	int			 params;	/* token index, -1 if absent */
	struct rpc_id		 id;
	struct buf		 res;		/* the result value */
	struct jw		 w;		/* writes into res */
	int			 err;		/* set by rpc_fail() */
	char			*errmsg;
	int			 deferred;	/* taken by rpc_defer() */
	/* Set by a handler: answers instead of rpc.c (and does not return). */
	void			(*answer)(struct rpc_call *);
	struct rpc_mem		*mem;		/* strings of this call */
};

struct rpc_method {
	const char			*name;
	/* Gate family ("exec", "filesystem", ...); NULL: no gate. */
	const char			*family;
	/* Params struct name for messages; NULL: unit params. */
	const char			*sname;
	const struct schema_param	*params;
	void				(*fn)(struct rpc_call *);
};

/*
 * A module: its methods (ended by a NULL name, or NULL) and what it wants
 * to hear of each connection, any of them NULL:
 *   eof      the peer will send nothing more but still reads (stdio
 *            EOF): finish the work its answers wait for
 *   drained  the outbound queue went below LIM_OUTQ_LOW: produce again
 *   gone     the connection is being freed: drop its state
 * eof and drained run in the order of registration, gone in the reverse
 * order, after every deferred answer was cancelled.
 */
struct rpc_module {
	const struct rpc_method	*methods;
	void			(*eof)(struct rpc_conn *);
	void			(*drained)(struct rpc_conn *);
	void			(*gone)(struct rpc_conn *);
};
#define RPC_MODULES_MAX	16

/* Register the modules (NULL-ended); -1 past RPC_MODULES_MAX.  Startup. */
int		 rpc_init(const struct rpc_module *const *);
/* For net/conn.c: messages in, connection events (conn_listen/stdio). */
extern const struct conn_ops rpc_conn_ops;

/* A request id as JSON (a string or an integer). */
void		 rpc_put_id(struct jw *, const struct rpc_id *);
/* Answer request id with {"error":{"code":code,"message":msg},"id":id}. */
void		 rpc_send_error(struct rpc_conn *, const struct rpc_id *, int code,
		    const char *msg);
/* --verbose: log each request's method and outcome to stderr. */
void		 rpc_set_verbose(int);

/* For handlers. */
void	 rpc_fail(struct rpc_call *, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Member `name` of params (token index, -1 when absent or null). */
int	 rpc_arg(const struct rpc_call *, const char *name);
/* Member of any object token; -1 when absent or null. */
int	 rpc_get(const struct rpc_call *, int obj, const char *name);
/* Decoded string of a token; lives as long as the call. */
const char *rpc_str(struct rpc_call *, int tok, size_t *lenp);
/* Convenience readers with defaults (for absent or null). */
int	 rpc_bool(const struct rpc_call *, int obj, const char *, int def);
uint64_t rpc_u64(const struct rpc_call *, int obj, const char *, uint64_t def);

/*
 * Answer later: returns a handle owning the request id; the call itself
 * ends when the handler returns.  The owner answers exactly once with
 * rpc_pending_result() or rpc_pending_error(), or the connection ends
 * first and calls cancel(arg) (the handle is then freed by rpc).
 */
struct rpc_pending;
struct rpc_pending *rpc_defer(struct rpc_call *,
	    void (*cancel)(void *), void *arg);
/* res holds one JSON value; it is consumed. */
void	 rpc_pending_result(struct rpc_pending *, struct buf *res);
void	 rpc_pending_error(struct rpc_pending *, int code, const char *msg);
struct rpc_conn *rpc_pending_conn(const struct rpc_pending *);
/*
 * A deferred answer built in place, for a result too large to copy:
 * rpc_result_begin() writes {"id":ID,"result": into msg, the caller
 * appends one JSON value, rpc_result_send() closes and queues it.  msg is
 * consumed; -1 when it ran out of memory (nothing was sent).
 */
void	 rpc_result_begin(struct buf *msg, const struct rpc_id *);
int	 rpc_result_send(struct rpc_conn *, struct buf *msg);

/* Send a notification; params holds one JSON value and is consumed. */
void	 rpc_notify(struct rpc_conn *, const char *method, struct buf *params);
/* Has initialize succeeded on this connection?  Mark that it has. */
int	 rpc_conn_initialized(const struct rpc_conn *);
void	 rpc_conn_set_initialized(struct rpc_conn *);
int	 rpc_conn_is_stdio(const struct rpc_conn *);
/*
 * Over LIM_OUTQ_HIGH bytes wait for the peer: stop producing until the
 * module's drained hook runs.
 */
int	 rpc_conn_congested(const struct rpc_conn *);
/*
 * A module's state for a connection: NULL until a call creates it with
 * rpc_call_state() (size bytes, zeroed, on first use; NULL after
 * rpc_fail() when out of memory).  rpc.c frees the block after the
 * module's gone hook, which frees what it holds.
 */
void	*rpc_conn_state(const struct rpc_conn *, const struct rpc_module *);
void	*rpc_call_state(struct rpc_call *, const struct rpc_module *,
	    size_t size);

#endif
