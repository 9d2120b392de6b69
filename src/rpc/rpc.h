/*
 * rpc.h: JSON-RPC as the exec-server protocol uses it (protocol.md §4, §5).
 *
 * rpc.c classifies each inbound message, enforces the initialize gate,
 * checks params against a declarative schema (producing serde-style
 * -32602 messages) and calls the method's handler.  Handlers live in
 * their own modules and register a table of struct rpc_method.
 */
#ifndef RPC_H
#define RPC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"

struct conn;
struct rpc_conn;

/* Error codes (protocol.md §4.3). */
#define RPC_INVALID_REQUEST	(-32600)
#define RPC_METHOD_NOT_FOUND	(-32601)
#define RPC_INVALID_PARAMS	(-32602)
#define RPC_INTERNAL		(-32603)
#define RPC_NOT_FOUND		(-32004)
#define RPC_SESSION_ATTACHED	(-32010)

/* Parameter schema. */
enum rpc_ptype {
	P_END,
	P_STR,		/* string */
	P_BOOL,
	P_U64,
	P_OBJ,		/* struct with a sub-schema */
	P_STRARR,	/* array of strings */
	P_OBJARR,	/* array of structs with a sub-schema */
	P_STRMAP,	/* object of string values */
	P_ENUM,		/* string, one of `variants` */
	P_ANY,		/* anything; the handler checks it */
	P_URI,		/* string: a file:// URI (uri_to_path's -32602 checks) */
	P_URIARR,	/* array of P_URI */
	/*
	 * An internally tagged enum (serde's #[serde(tag = "type")]): an
	 * object whose member variants[0] names one entry of `sub`; each
	 * entry is a P_OBJ whose `sub` lists that variant's fields.  `sname`
	 * names the enum in messages.  serde buffers such a value first, so
	 * inside it numbers are described as "integer `5`".
	 */
	P_TAGGED,
	P_NZUSIZE,	/* integer > 0 (NonZeroUsize); only inside P_TAGGED */
	P_B64		/* string: strict base64 ("Invalid padding", ...) */
};
#define P_REQ		0x1	/* absent is an error */
#define P_NULL		0x2	/* null is the same as absent */

struct rpc_param {
	const char			*name;
	enum rpc_ptype			 type;
	unsigned			 flags;
	const struct rpc_param		*sub;		/* P_OBJ, P_OBJARR */
	const char			*sname;		/* struct name, P_OBJ */
	const char *const		*variants;	/* P_ENUM, NULL-ended;
							   P_TAGGED: the tag */
};

struct rpc_id {
	int		 isstr;
	int64_t		 num;
	char		*str;		/* owned, when isstr */
	size_t		 len;
};

/* A request being handled. */
struct rpc_call {
	struct rpc_conn		*rc;
	struct conn		*conn;
	const struct json_doc	*doc;
	int			 params;	/* token index, -1 if absent */
	struct rpc_id		 id;
	struct buf		 res;		/* the result value */
	struct jw		 w;		/* writes into res */
	int			 err;		/* set by rpc_fail() */
	char			*errmsg;
	int			 deferred;	/* taken by rpc_defer() */
	struct rpc_mem		*mem;		/* strings of this call */
};

struct rpc_method {
	const char		*name;
	/* Gate family ("exec", "filesystem", ...); NULL: no gate. */
	const char		*family;
	/* Params struct name for messages; NULL: unit params. */
	const char		*sname;
	const struct rpc_param	*params;
	void			(*fn)(struct rpc_call *);
};

/* From conn.c. */
struct rpc_conn	*rpc_conn_new(struct conn *);
/*
 * The peer will send nothing more but still reads (stdio EOF): finish the
 * work its answers wait for (fs jobs) before the connection closes.
 */
void		 rpc_eof(struct rpc_conn *);
/* A request id as JSON (a string or an integer). */
void		 rpc_put_id(struct jw *, const struct rpc_id *);
/* Answer request id with {"error":{"code":code,"message":msg},"id":id}. */
void		 rpc_send_error(struct rpc_conn *, const struct rpc_id *, int code,
		    const char *msg);
/* --verbose: log each request's method and outcome to stderr. */
void		 rpc_set_verbose(int);
void		 rpc_conn_free(struct rpc_conn *);
void		 rpc_message(struct rpc_conn *, const char *, size_t);
void		 rpc_oversized(struct rpc_conn *);
void		 rpc_drained(struct rpc_conn *);

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

/* Send a notification; params holds one JSON value and is consumed. */
void	 rpc_notify(struct rpc_conn *, const char *method, struct buf *params);
/* Has initialize succeeded on this connection?  Mark that it has. */
int	 rpc_conn_initialized(const struct rpc_conn *);
void	 rpc_conn_set_initialized(struct rpc_conn *);
int	 rpc_conn_is_stdio(const struct rpc_conn *);
/* The connection this rpc state belongs to. */
struct conn *rpc_conn_conn(const struct rpc_conn *);
/* Per-connection state of other modules, freed by their own hooks. */
void	*rpc_conn_slot(struct rpc_conn *, int which);
void	 rpc_conn_set_slot(struct rpc_conn *, int which, void *);
#define RPC_SLOT_SESSION	0
#define RPC_SLOT_FS		1
#define RPC_NSLOTS		2

#endif
