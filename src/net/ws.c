/*
 * ws.c: RFC 6455 framing over byte buffers, for either role.
 *
 * Reading: a frame header is parsed from the front of the input and
 * checked field by field as soon as the bytes needed for each check are
 * there (an RSV bit or a wrong mask bit fails after two bytes, an
 * oversized length as soon as the length is read, before any payload).
 * A data frame's header is then consumed and its payload is streamed:
 * each call unmasks what has arrived into ws->msg, checks text for UTF-8
 * on the way (so a bad byte fails at once, even across fragments), and
 * consumes it.  Every input byte is thus looked at once; the cost is
 * linear in the input and no frame is ever buffered twice.  Control
 * frames (at most 125 bytes) are only taken when whole.
 */
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/lim.h"
#include "base/utf8.h"
#include "net/ws.h"

/* A retained message buffer bigger than this is freed between messages. */
#define WS_KEEP		(1024 * 1024)

void
ws_init(struct ws *ws, int role)
{
	memset(ws, 0, sizeof(*ws));
	ws->role = role;
	ws->max_frame = LIM_WS_FRAME;
	ws->max_msg = LIM_WS_MESSAGE;
	utf8_init(&ws->u);
}

void
ws_free(struct ws *ws)
{
	buf_free(&ws->msg);
}

static enum ws_event
fail(struct ws *ws, uint16_t code, const char *why)
{
	ws->code = code;
	ws->why = why;
	ws->data = NULL;
	ws->len = 0;
	return WS_EV_ERROR;
}

static int
is_control(int op)
{
	return op >= 0x8;
}

/* RFC 6455 §7.4: may this code appear in a received close frame? */
static int
close_code_ok(unsigned int c)
{
	if (c >= 3000 && c <= 4999)
		return 1;
	return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1011);
}

struct hdr {
	int		 fin;
	int		 op;
	uint64_t	 len;
	uint8_t		 key[4];
	size_t		 size;		/* header bytes */
};

/*
 * Parse the frame header at the front of (p, n).  Returns 1 with *h
 * filled, 0 when more bytes are needed, -1 with ws->code and ws->why set.
 */
static int
hdr_parse(struct ws *ws, const uint8_t *p, size_t n, struct hdr *h)
{
	size_t		 i, ext, have;
	int		 masked;

	if (n < 2)
		return 0;
	h->fin = (p[0] & 0x80) != 0;
	h->op = p[0] & 0x0f;
	masked = (p[1] & 0x80) != 0;
	h->len = p[1] & 0x7f;
	if (p[0] & 0x70)
		goto proto_rsv;
	switch (h->op) {
	case WS_OP_CONT:
	case WS_OP_TEXT:
	case WS_OP_BINARY:
	case WS_OP_CLOSE:
	case WS_OP_PING:
	case WS_OP_PONG:
		break;
	default:
		ws->why = "unknown opcode";
		goto proto;
	}
	if (masked != (ws->role == WS_ROLE_SERVER)) {
		ws->why = masked ? "masked frame from server" :
		    "unmasked frame from client";
		goto proto;
	}
	if (is_control(h->op)) {
		if (!h->fin) {
			ws->why = "fragmented control frame";
			goto proto;
		}
		if (h->len > 125) {
			/* Too long, or (126 and up) not minimally encoded. */
			ws->why = "control frame too long";
			goto proto;
		}
	} else if (h->op == WS_OP_CONT && ws->msg_op == 0) {
		ws->why = "continuation without a message";
		goto proto;
	} else if (h->op != WS_OP_CONT && ws->msg_op != 0) {
		ws->why = "new message inside a fragmented one";
		goto proto;
	}

	ext = h->len == 126 ? 2 : h->len == 127 ? 8 : 0;
	if (n < 2 + ext)
		return 0;
	if (ext > 0) {
		h->len = 0;
		for (i = 0; i < ext; i++)
			h->len = h->len << 8 | p[2 + i];
		if (h->len >> 63) {
			ws->why = "frame length has its top bit set";
			goto proto;
		}
	}
	if (!is_control(h->op)) {
		if (h->len > ws->max_frame) {
			ws->why = "frame too big";
			goto big;
		}
		/* A new message starts empty; the old one is still in msg. */
		have = h->op == WS_OP_CONT ? buf_used(&ws->msg) : 0;
		if (have > ws->max_msg || h->len > ws->max_msg - have) {
			ws->why = "message too big";
			goto big;
		}
	}
	h->size = 2 + ext + (masked ? 4 : 0);
	if (n < h->size)
		return 0;
	if (masked)
		memcpy(h->key, p + 2 + ext, 4);
	else
		memset(h->key, 0, 4);
	return 1;
proto_rsv:
	ws->why = "reserved bits set";
proto:
	ws->code = WS_CLOSE_PROTOCOL;
	return -1;
big:
	ws->code = WS_CLOSE_TOO_BIG;
	return -1;
}

/* Eight bytes at a time: the key, rotated to kpos, repeats every 4. */
static void
unmask(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t key[4],
    unsigned int kpos)
{
	uint64_t	 k, w;
	uint8_t		 k8[8];
	size_t		 i;

	for (i = 0; i < 8; i++)
		k8[i] = key[(kpos + i) & 3];
	memcpy(&k, k8, 8);
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, src + i, 8);
		w ^= k;
		memcpy(dst + i, &w, 8);
	}
	for (; i < n; i++)
		dst[i] = src[i] ^ key[(kpos + i) & 3];
}

/* A whole control frame is at the front of `in`: take it. */
static enum ws_event
control(struct ws *ws, struct buf *in, const struct hdr *h)
{
	size_t		 n = (size_t)h->len;
	unsigned int	 code;

	unmask(ws->ctl, (const uint8_t *)buf_data(in) + h->size, n, h->key, 0);
	buf_consume(in, h->size + n);
	ws->op = h->op;
	ws->data = ws->ctl;
	ws->len = n;
	ws->code = 0;
	ws->why = NULL;
	switch (h->op) {
	case WS_OP_PING:
		return WS_EV_PING;
	case WS_OP_PONG:
		return WS_EV_PONG;
	default:
		break;
	}
	if (n == 0) {
		ws->code = WS_CLOSE_NO_STATUS;
		return WS_EV_CLOSE;
	}
	if (n == 1)
		return fail(ws, WS_CLOSE_PROTOCOL, "close frame of one byte");
	code = (unsigned int)ws->ctl[0] << 8 | ws->ctl[1];
	if (!close_code_ok(code))
		return fail(ws, WS_CLOSE_PROTOCOL, "invalid close code");
	if (!utf8_valid(ws->ctl + 2, n - 2))
		return fail(ws, WS_CLOSE_BAD_DATA, "close reason not UTF-8");
	ws->code = (uint16_t)code;
	ws->data = ws->ctl + 2;
	ws->len = n - 2;
	return WS_EV_CLOSE;
}

/* Start a data frame: its header is checked and consumed. */
static void
frame_start(struct ws *ws, const struct hdr *h)
{
	if (h->op != WS_OP_CONT) {
		/* A new message; the last one's data is no longer needed. */
		if (ws->msg.cap > WS_KEEP)
			buf_free(&ws->msg);
		buf_reset(&ws->msg);
		utf8_init(&ws->u);
		ws->msg_op = h->op;
	}
	ws->fr_open = 1;
	ws->fr_fin = h->fin;
	ws->fr_left = h->len;
	memcpy(ws->fr_key, h->key, 4);
	ws->fr_kpos = 0;
}

/* Take what has arrived of the open frame's payload. */
static enum ws_event
frame_data(struct ws *ws, struct buf *in)
{
	uint8_t		*dst;
	size_t		 n;

	n = buf_used(in);
	if (n > ws->fr_left)
		n = (size_t)ws->fr_left;
	if (n > 0) {
		if (buf_reserve(&ws->msg, n) == -1)
			return fail(ws, WS_CLOSE_TOO_BIG, "out of memory");
		dst = (uint8_t *)ws->msg.p + ws->msg.len;
		unmask(dst, (const uint8_t *)buf_data(in), n, ws->fr_key,
		    ws->fr_kpos);
		ws->fr_kpos = (ws->fr_kpos + (unsigned int)(n & 3)) & 3;
		ws->msg.len += n;
		ws->fr_left -= n;
		buf_consume(in, n);
		if (ws->msg_op == WS_OP_TEXT && utf8_feed(&ws->u, dst, n) == -1)
			return fail(ws, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	}
	if (ws->fr_left > 0)
		return WS_EV_NONE;
	ws->fr_open = 0;
	if (!ws->fr_fin)
		return WS_EV_NONE;
	if (ws->msg_op == WS_OP_TEXT && utf8_done(&ws->u) == -1)
		return fail(ws, WS_CLOSE_BAD_DATA, "truncated UTF-8");
	ws->op = ws->msg_op;
	ws->msg_op = 0;
	ws->data = buf_used(&ws->msg) > 0 ?
	    (const uint8_t *)buf_data(&ws->msg) : (const uint8_t *)"";
	ws->len = buf_used(&ws->msg);
	ws->code = 0;
	ws->why = NULL;
	return WS_EV_MESSAGE;
}

enum ws_event
ws_feed(struct ws *ws, struct buf *in)
{
	struct hdr	 h;
	enum ws_event	 ev;
	int		 r;

	for (;;) {
		if (ws->fr_open) {
			ev = frame_data(ws, in);
			if (ev != WS_EV_NONE || ws->fr_open)
				return ev;
			continue;	/* a fragment ended: next header */
		}
		r = hdr_parse(ws, (const uint8_t *)buf_data(in), buf_used(in),
		    &h);
		if (r == 0)
			return WS_EV_NONE;
		if (r == -1)
			return fail(ws, ws->code, ws->why);
		if (is_control(h.op)) {
			if (buf_used(in) - h.size < h.len)
				return WS_EV_NONE;
			return control(ws, in, &h);
		}
		buf_consume(in, h.size);
		frame_start(ws, &h);
	}
}

void
ws_frame_write(struct buf *out, int opcode, int fin, const void *p, size_t n,
    const uint8_t *mask)
{
	uint8_t		 hdr[14];
	size_t		 hl, i;
	uint64_t	 len = n;

	hdr[0] = (uint8_t)((fin ? 0x80 : 0) | (opcode & 0x0f));
	hdr[1] = mask != NULL ? 0x80 : 0;
	if (n <= 125) {
		hdr[1] |= (uint8_t)n;
		hl = 2;
	} else if (n <= 0xffff) {
		hdr[1] |= 126;
		hdr[2] = (uint8_t)(n >> 8);
		hdr[3] = (uint8_t)n;
		hl = 4;
	} else {
		hdr[1] |= 127;
		for (i = 0; i < 8; i++)
			hdr[2 + i] = (uint8_t)(len >> (56 - 8 * i));
		hl = 10;
	}
	if (mask != NULL) {
		memcpy(hdr + hl, mask, 4);
		hl += 4;
	}
	if (n > SIZE_MAX - hl) {
		out->oom = 1;
		return;
	}
	if (buf_reserve(out, hl + n) == -1)
		return;
	buf_add(out, hdr, hl);
	if (mask != NULL) {
		unmask((uint8_t *)out->p + out->len, p, n, mask, 0);
		out->len += n;
	} else
		buf_add(out, p, n);
}

void
ws_close_write(struct buf *out, uint16_t code, const char *reason,
    const uint8_t *mask)
{
	uint8_t		 pl[125];
	size_t		 n;

	if (code == 0 || code == WS_CLOSE_NO_STATUS) {
		ws_frame_write(out, WS_OP_CLOSE, 1, "", 0, mask);
		return;
	}
	pl[0] = (uint8_t)(code >> 8);
	pl[1] = (uint8_t)code;
	n = reason != NULL ? strlen(reason) : 0;
	if (n > sizeof(pl) - 2) {
		/* Cut at a character boundary: the peer checks UTF-8. */
		n = sizeof(pl) - 2;
		while (n > 0 && ((uint8_t)reason[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(pl + 2, reason, n);
	ws_frame_write(out, WS_OP_CLOSE, 1, pl, n + 2, mask);
}
