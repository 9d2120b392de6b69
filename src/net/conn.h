/*
 * conn.h: one client connection, over WebSocket or stdio.
 *
 * A connection turns bytes into messages for the layer above (struct
 * conn_ops) and queues that layer's messages for the peer.  Output is a queue of whole messages
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

/*
 * What the layer above does with a connection.  open() makes its state
 * for a new connection (NULL: out of memory, the connection is closed);
 * every other call gets that state back.
 *   message    one complete message (a text frame, a stdio line)
 *   oversized  a stdio line over LIM_STDIO_LINE was dropped
 *   eof        the peer sends nothing more but still reads (stdio)
 *   drained    the outbound queue went below LIM_OUTQ_LOW
 *   close      the connection is being freed; the state must go too
 */
struct conn_ops {
	void	*(*open)(struct conn *);
	void	 (*message)(void *, const char *, size_t);
	void	 (*oversized)(void *);
	void	 (*eof)(void *);
	void	 (*drained)(void *);
	void	 (*close)(void *);
};

/* Start serving WebSocket clients on a listening socket. */
int	 conn_listen(int lfd, const struct conn_ops *);
/* Serve one connection on stdin/stdout; when it ends the server stops. */
int	 conn_stdio(int in, int out, const struct conn_ops *);
/* Drop every connection (server shutdown). */
void	 conn_shutdown(void);

int		 conn_kind(const struct conn *);
const char	*conn_peer(const struct conn *);

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
