/*
 * conn.h: one client connection, over WebSocket or stdio.
 *
 * A connection turns bytes into JSON-RPC messages for rpc.c and queues
 * rpc.c's messages for the peer.  Output is a queue of whole messages
 * written with writev(); nothing ever blocks the loop.  A connection that
 * ends (peer close, error, protocol failure) is torn down from the loop,
 * never from inside a callback that still uses it.
 */
#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define CONN_WS		1
#define CONN_STDIO	2

struct conn;
struct rpc_conn;

/* Start serving WebSocket clients on a listening socket. */
int	 conn_listen(int lfd);
/* Serve one connection on stdin/stdout; when it ends the server stops. */
int	 conn_stdio(int in, int out);
/* Drop every connection (server shutdown). */
void	 conn_shutdown(void);

int		 conn_kind(const struct conn *);
const char	*conn_peer(const struct conn *);
struct rpc_conn	*conn_rpc(const struct conn *);

/*
 * Queue one JSON text for the peer; takes the buffer's contents and leaves
 * *msg empty.  Dropped silently once the connection is closing.
 */
void	 conn_send(struct conn *, struct buf *msg);
/* Bytes waiting to be written. */
size_t	 conn_pending(const struct conn *);
/*
 * End the connection: a WebSocket gets a Close frame with code and reason
 * first (RFC 6455 §7.1.7); stdio just stops.  Safe to call repeatedly.
 */
void	 conn_close(struct conn *, uint16_t code, const char *reason);

#endif
