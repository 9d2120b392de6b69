/*
 * ws.h: RFC 6455 framing over byte buffers (no sockets here).
 *
 * ws_feed() consumes bytes from an input buffer and reports one event at a
 * time: a complete message (fragments reassembled, text checked for UTF-8
 * as it arrives, control frames allowed in between), a ping, a pong, a
 * close, or a protocol failure with the close code to send.  The same code
 * serves both roles: a server requires masked frames, a client requires
 * unmasked ones.
 */
#ifndef WS_H
#define WS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/utf8.h"

#define WS_OP_CONT	0x0
#define WS_OP_TEXT	0x1
#define WS_OP_BINARY	0x2
#define WS_OP_CLOSE	0x8
#define WS_OP_PING	0x9
#define WS_OP_PONG	0xa

/* Close codes (RFC 6455 §7.4.1). */
#define WS_CLOSE_NORMAL		1000
#define WS_CLOSE_GOING_AWAY	1001
#define WS_CLOSE_PROTOCOL	1002
#define WS_CLOSE_NO_STATUS	1005	/* never sent */
#define WS_CLOSE_BAD_DATA	1007
#define WS_CLOSE_TOO_BIG	1009

#define WS_ROLE_SERVER	0
#define WS_ROLE_CLIENT	1

enum ws_event {
	WS_EV_NONE,		/* need more input */
	WS_EV_MESSAGE,		/* data/len: a whole text or binary message */
	WS_EV_PING,		/* data/len: payload to echo in a pong */
	WS_EV_PONG,
	WS_EV_CLOSE,		/* code (WS_CLOSE_NO_STATUS if none), data/len: reason */
	WS_EV_ERROR		/* code: close code to fail the connection with */
};

struct ws {
	int		 role;
	size_t		 max_frame;	/* LIM_WS_FRAME by default */
	size_t		 max_msg;	/* LIM_WS_MESSAGE by default */
	/* Message being reassembled. */
	int		 msg_op;	/* 0 when none */
	struct buf	 msg;
	struct utf8	 u;
	/*
	 * Data frame whose header has been read: its payload is unmasked
	 * into msg as it arrives, so a big frame is never rescanned.
	 */
	int		 fr_open;	/* payload bytes are pending */
	int		 fr_fin;
	uint64_t	 fr_left;	/* payload bytes still to come */
	uint8_t		 fr_key[4];	/* mask key, zeros when unmasked */
	unsigned int	 fr_kpos;	/* key index of the next byte */
	/* Control frame payload (unmasked copy). */
	uint8_t		 ctl[125];
	/* Results of the last event. */
	int		 op;		/* WS_OP_TEXT / WS_OP_BINARY for a message */
	const uint8_t	*data;
	size_t		 len;
	uint16_t	 code;
	const char	*why;		/* for WS_EV_ERROR: a short reason */
};

void	 ws_init(struct ws *, int role);
void	 ws_free(struct ws *);
/*
 * Consume what it can from `in` and return the next event.  A message's
 * data stays valid until the next call.  After WS_EV_ERROR or WS_EV_CLOSE
 * the caller stops feeding.
 */
enum ws_event ws_feed(struct ws *, struct buf *in);

/*
 * Append one frame to out.  mask: 4 bytes for a client, NULL for a server.
 * fin=0 starts or continues a fragmented message.
 */
void	 ws_frame_write(struct buf *out, int opcode, int fin,
	    const void *p, size_t n, const uint8_t *mask);
/* A close frame with a code and a reason (truncated to fit 125 bytes). */
void	 ws_close_write(struct buf *out, uint16_t code, const char *reason,
	    const uint8_t *mask);

#endif
