/*
 * wsc.h: the client end of the two transports, for tools and tests.
 *
 * A client either connects to "ws://IP:PORT[/path]" (HTTP upgrade with a
 * random key, Sec-WebSocket-Accept checked, frames masked with a random
 * mask, pings answered) or spawns a stdio server with /bin/sh -c CMD and
 * speaks JSON lines over its pipes.  Every call blocks, but never past
 * the deadline it is given: deadlines are absolute wsc_now() values, and
 * -1 means wait forever.  Hostile tests can also send arbitrary frames
 * and raw bytes, and open a plain TCP connection with no upgrade.
 */
#ifndef WSC_H
#define WSC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/buf.h"

#define WSC_WS		1	/* WebSocket */
#define WSC_STDIO	2	/* JSON lines to a child */
#define WSC_RAW		3	/* plain TCP, no upgrade */

/* wsc_send() splits WebSocket messages into frames of this size. */
#define WSC_FRAGMENT	(1024 * 1024)

/* What wsc_recv() returns. */
enum wsc_ev {
	WSC_EV_MESSAGE = 1,	/* data/len; binary set for a binary message */
	WSC_EV_PING,		/* already answered with a pong */
	WSC_EV_PONG,
	WSC_EV_CLOSE,		/* a Close frame: code (1005 if none), reason */
	WSC_EV_EOF,		/* the stream ended without a Close frame */
	WSC_EV_DATA,		/* WSC_RAW: data/len bytes */
	WSC_EV_TIMEOUT,		/* the deadline passed */
	WSC_EV_ERROR		/* protocol or I/O error: see wsc_error() */
};

struct wsc_event {
	enum wsc_ev	 type;
	int		 binary;
	const char	*data;		/* valid until the next wsc_recv() */
	size_t		 len;
	int		 code;
	char		 reason[128];
};

/* The answer to an upgrade request that was not 101. */
struct wsc_http {
	int		 status;	/* 0 when no response was read */
	struct buf	 head;		/* status line and header fields */
	struct buf	 body;
};

struct wsc;

/* Milliseconds on the monotonic clock. */
int64_t		 wsc_now(void);

/*
 * Connect and upgrade.  headers: extra "Name: value\r\n" lines or NULL.
 * On failure returns NULL with err set; when the server answered the
 * upgrade with another status, *http (if not NULL) holds that answer
 * (free with wsc_http_free()).
 */
struct wsc	*wsc_connect(const char *url, const char *headers,
		    int64_t deadline, struct wsc_http *http,
		    char *err, size_t errlen);
/*
 * The bearer token for a secured server (--ws-auth): the contents of
 * path, trimmed, or else $EXEC_SERVER_TOKEN, appended to hdr as an
 * "Authorization: Bearer TOKEN" field (CRLF-ended).  Neither: nothing.
 * 0, or -1 with the reason in err.
 */
int		 wsc_token(const char *path, struct buf *hdr, char *err,
		    size_t errlen);
/* A TCP connection to the URL's address with nothing sent. */
struct wsc	*wsc_connect_raw(const char *url, int64_t deadline,
		    char *err, size_t errlen);
/*
 * Start /bin/sh -c cmd in its own process group with pipes on its stdin
 * and stdout.  errfd: where its stderr goes (-1: inherited).
 */
struct wsc	*wsc_spawn(const char *cmd, int errfd, char *err,
		    size_t errlen);
void		 wsc_http_free(struct wsc_http *);

int		 wsc_kind(const struct wsc *);
/* The descriptor to poll for input, and whether input is buffered. */
int		 wsc_fd(const struct wsc *);
int		 wsc_pending(const struct wsc *);
const char	*wsc_error(const struct wsc *);
pid_t		 wsc_pid(const struct wsc *);

/*
 * Send one message: a text (or binary) message over WebSocket, in
 * WSC_FRAGMENT frames when it is longer; a line over stdio (a newline is
 * added).  0, or -1 with wsc_error().
 */
int		 wsc_send(struct wsc *, const void *, size_t, int binary,
		    int64_t deadline);
/*
 * One hand-made frame.  rsv: the three RSV bits (0-7); masked: 0 sends
 * it unmasked, which servers must refuse.
 */
int		 wsc_send_frame(struct wsc *, int opcode, int fin, int rsv,
		    int masked, const void *, size_t, int64_t deadline);
/* A Close frame with a code (0: no payload) and reason. */
int		 wsc_send_close(struct wsc *, int code, const char *reason,
		    int64_t deadline);
/* Bytes as they are, on any transport. */
int		 wsc_send_raw(struct wsc *, const void *, size_t,
		    int64_t deadline);
/* Stop sending: shutdown(SHUT_WR), or close the child's stdin. */
void		 wsc_shutdown_write(struct wsc *);

/* The next event, or WSC_EV_TIMEOUT at the deadline. */
enum wsc_ev	 wsc_recv(struct wsc *, struct wsc_event *, int64_t deadline);

/*
 * stdio: wait for the child to exit until the deadline.  Returns 1 with
 * *status (as from waitpid) once it has, 0 on timeout.
 */
int		 wsc_wait(struct wsc *, int *status, int64_t deadline);
/*
 * Close everything.  A child that has not exited is sent SIGTERM (to
 * its process group), then SIGKILL after grace_ms.
 */
void		 wsc_close(struct wsc *, int grace_ms);

#endif
