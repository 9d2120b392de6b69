/*
 * ws_test.c: RFC 6455 framing: the §5.7 examples both ways, every way of
 * splitting the input, each protocol failure with its close code, limits
 * and UTF-8 checks across fragments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "tap.h"
#include "net/ws.h"

#define S(s)	s, sizeof(s) - 1

static const uint8_t	 key[4] = { 0x37, 0xfa, 0x21, 0x3d };

struct opts {
	int	 role;
	size_t	 max_frame;	/* 0: default */
	size_t	 max_msg;
};

/* Describe one event's payload: short ones as is, long ones hashed. */
static void
payload(struct buf *out, const uint8_t *p, size_t n)
{
	size_t	 h, i;

	if (n <= 32) {
		buf_add(out, p, n);
		return;
	}
	for (h = 0, i = 0; i < n; i++)
		h = h * 31 + p[i];
	buf_addf(out, "#%zx", h);
}

/* The description run() gives of a message. */
static void
msg_desc(struct buf *out, int op, const void *p, size_t n)
{
	buf_addf(out, "%c%zu:", op == WS_OP_TEXT ? 'T' : 'B', n);
	payload(out, p, n);
	buf_addc(out, '|');
}

/*
 * Feed (p, n) in pieces of `chunk` bytes (0: all at once) and describe the
 * events, e.g. "T5:Hello|P0:|C1000:bye|E1002", with "..." when input is
 * left waiting.  Stops after an error or a close, as a caller would.
 */
static void
run(const struct opts *o, const void *p, size_t n, size_t chunk,
    struct buf *out)
{
	struct ws	 ws;
	struct buf	 in = { 0 };
	enum ws_event	 ev;
	size_t		 off, k;
	int		 stop = 0;

	ws_init(&ws, o->role);
	if (o->max_frame)
		ws.max_frame = o->max_frame;
	if (o->max_msg)
		ws.max_msg = o->max_msg;
	buf_reset(out);
	for (off = 0; off < n && !stop; off += k) {
		k = chunk == 0 || chunk > n - off ? n - off : chunk;
		buf_add(&in, (const char *)p + off, k);
		while (!stop && (ev = ws_feed(&ws, &in)) != WS_EV_NONE) {
			switch (ev) {
			case WS_EV_MESSAGE:
				msg_desc(out, ws.op, ws.data, ws.len);
				continue;
			case WS_EV_PING:
				buf_addf(out, "P%zu:", ws.len);
				break;
			case WS_EV_PONG:
				buf_addf(out, "O%zu:", ws.len);
				break;
			case WS_EV_CLOSE:
				buf_addf(out, "C%u:", ws.code);
				stop = 1;
				break;
			default:
				buf_addf(out, "E%u", ws.code);
				stop = 1;
				continue;
			}
			payload(out, ws.data, ws.len);
			buf_addc(out, '|');
		}
	}
	if (!stop && (buf_used(&in) > 0 || ws.fr_open || ws.msg_op != 0))
		buf_adds(out, "...");
	buf_addc(out, '\0');
	buf_free(&in);
	ws_free(&ws);
}

static int
events_are(const struct opts *o, const void *p, size_t n, const char *want)
{
	struct buf	 got = { 0 };
	int		 same;

	run(o, p, n, 0, &got);
	same = strcmp(buf_data(&got), want) == 0;
	if (!same)
		diag("got \"%s\", want \"%s\"", buf_data(&got), want);
	buf_free(&got);
	return same;
}

static const struct opts server = { WS_ROLE_SERVER, 0, 0 };
static const struct opts client = { WS_ROLE_CLIENT, 0, 0 };

static void
rfc_examples(void)
{
	struct buf	 b = { 0 }, want = { 0 };
	uint8_t		*big;
	size_t		 i;

	ok(events_are(&client, S("\x81\x05Hello"), "T5:Hello|"),
	    "5.7: unmasked text to a client");
	ok(events_are(&server, S("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
	    "T5:Hello|"), "5.7: masked text to a server");
	ok(events_are(&client, S("\x01\x03Hel\x80\x02lo"), "T5:Hello|"),
	    "5.7: fragmented text");
	ok(events_are(&client, S("\x89\x05Hello"), "P5:Hello|"),
	    "5.7: unmasked ping");
	ok(events_are(&server, S("\x8a\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
	    "O5:Hello|"), "5.7: masked pong");

	/* Writer: the same bytes. */
	ws_frame_write(&b, WS_OP_TEXT, 1, "Hello", 5, NULL);
	ok(buf_used(&b) == 7 && memcmp(buf_data(&b), "\x81\x05Hello", 7) == 0,
	    "write unmasked text");
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_TEXT, 1, "Hello", 5, key);
	ok(buf_used(&b) == 11 && memcmp(buf_data(&b),
	    "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11) == 0,
	    "write masked text");
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_TEXT, 0, "Hel", 3, NULL);
	ws_frame_write(&b, WS_OP_CONT, 1, "lo", 2, NULL);
	ok(buf_used(&b) == 9 && memcmp(buf_data(&b), "\x01\x03Hel\x80\x02lo",
	    9) == 0, "write fragments");
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_PING, 1, "Hello", 5, NULL);
	ok(buf_used(&b) == 7 && memcmp(buf_data(&b), "\x89\x05Hello", 7) == 0,
	    "write ping");

	/* 256 bytes: 16-bit length; 64 KiB: 64-bit length. */
	if ((big = malloc(65536)) == NULL) {
		ok(0, "malloc");
		return;
	}
	for (i = 0; i < 65536; i++)
		big[i] = (uint8_t)(i * 13);
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_BINARY, 1, big, 256, NULL);
	ok(buf_used(&b) == 260 && memcmp(buf_data(&b), "\x82\x7e\x01\x00", 4)
	    == 0 && memcmp(buf_data(&b) + 4, big, 256) == 0,
	    "write 256 bytes: 7E 01 00");
	buf_reset(&want);
	msg_desc(&want, WS_OP_BINARY, big, 256);
	buf_addc(&want, '\0');
	ok(events_are(&client, buf_data(&b), buf_used(&b), buf_data(&want)),
	    "read 256 bytes");
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_BINARY, 1, big, 65536, NULL);
	ok(buf_used(&b) == 65546 && memcmp(buf_data(&b),
	    "\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10) == 0 &&
	    memcmp(buf_data(&b) + 10, big, 65536) == 0,
	    "write 64 KiB: 7F 00..01 00 00");
	buf_reset(&want);
	msg_desc(&want, WS_OP_BINARY, big, 65536);
	buf_addc(&want, '\0');
	ok(events_are(&client, buf_data(&b), buf_used(&b), buf_data(&want)),
	    "read 64 KiB");
	buf_reset(&b);
	ws_frame_write(&b, WS_OP_BINARY, 1, big, 65535, key);
	ok(buf_used(&b) == 65543 && memcmp(buf_data(&b), "\x82\xfe\xff\xff"
	    "\x37\xfa\x21\x3d", 8) == 0 && (uint8_t)buf_data(&b)[8] ==
	    (big[0] ^ 0x37) && (uint8_t)buf_data(&b)[65542] ==
	    (big[65534] ^ key[65534 % 4]), "write 65535 bytes masked");
	ws_frame_write(&b, WS_OP_BINARY, 1, big, 126, key);
	ok(memcmp(buf_data(&b) + 65543, "\x82\xfe\x00\x7e", 4) == 0,
	    "126 bytes use the 16-bit form");
	ws_frame_write(&b, WS_OP_BINARY, 1, "", 0, NULL);
	ok(memcmp(buf_data(&b) + 65543 + 134, "\x82\x00", 2) == 0 &&
	    buf_used(&b) == 65543 + 136, "empty frame");
	ok(!b.oom, "no allocation failure");
	free(big);
	buf_free(&b);
	buf_free(&want);
}

/* Payloads come back as sent, whatever their size (via the checksum). */
static void
roundtrips(void)
{
	static const size_t	 sizes[] = { 0, 1, 125, 126, 127, 65535, 65536,
	    70001 };
	struct buf		 b = { 0 }, got = { 0 }, want = { 0 };
	uint8_t			*p;
	size_t			 i, n;
	int			 bad = 0;

	if ((p = malloc(70001)) == NULL) {
		ok(0, "malloc");
		return;
	}
	for (i = 0; i < 70001; i++)
		p[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		buf_reset(&b);
		buf_reset(&want);
		ws_frame_write(&b, WS_OP_BINARY, 1, p, n, key);
		msg_desc(&want, WS_OP_BINARY, p, n);
		buf_addc(&want, '\0');
		run(&server, buf_data(&b), buf_used(&b), 0, &got);
		if (strcmp(buf_data(&got), buf_data(&want)) != 0)
			bad++;
		run(&server, buf_data(&b), buf_used(&b), 4093, &got);
		if (strcmp(buf_data(&got), buf_data(&want)) != 0)
			bad++;
	}
	ok(bad == 0, "masked binary frames of 0..70001 bytes read back");
	free(p);
	buf_free(&b);
	buf_free(&got);
	buf_free(&want);
}

/* The same events however the bytes are split. */
static void
splits(void)
{
	struct buf	 b = { 0 }, whole = { 0 }, got = { 0 }, want = { 0 };
	uint8_t		*p;
	size_t		 i, j, bad;

	if ((p = malloc(70000)) == NULL) {
		ok(0, "malloc");
		return;
	}
	memset(p, 'z', 70000);
	ws_frame_write(&b, WS_OP_TEXT, 0, "h\xc3", 2, key);
	ws_frame_write(&b, WS_OP_PING, 1, "p1", 2, key);
	ws_frame_write(&b, WS_OP_CONT, 0, "", 0, key);
	ws_frame_write(&b, WS_OP_CONT, 0, "\xa9\xe2\x82", 3, key);
	ws_frame_write(&b, WS_OP_PONG, 1, "", 0, key);
	ws_frame_write(&b, WS_OP_CONT, 1, "\xac!", 2, key);
	ws_frame_write(&b, WS_OP_BINARY, 1, p, 300, key);
	ws_frame_write(&b, WS_OP_TEXT, 1, "", 0, key);
	ws_frame_write(&b, WS_OP_TEXT, 1, p, 70000, key);
	ws_close_write(&b, 1000, "bye", key);
	buf_adds(&want, "P2:p1|O0:|T7:h\xc3\xa9\xe2\x82\xac!|");
	msg_desc(&want, WS_OP_BINARY, p, 300);
	msg_desc(&want, WS_OP_TEXT, "", 0);
	msg_desc(&want, WS_OP_TEXT, p, 70000);
	buf_adds(&want, "C1000:bye|");
	buf_addc(&want, '\0');
	run(&server, buf_data(&b), buf_used(&b), 0, &whole);
	ok(strcmp(buf_data(&whole), buf_data(&want)) == 0,
	    "fragments, pings, empty and big messages, close, read whole");

	bad = 0;
	for (i = 1; i <= 17; i++) {
		run(&server, buf_data(&b), buf_used(&b), i, &got);
		if (strcmp(buf_data(&got), buf_data(&whole)) != 0) {
			diag("chunk %zu: %s", i, buf_data(&got));
			bad++;
		}
	}
	run(&server, buf_data(&b), buf_used(&b), 65536, &got);
	if (strcmp(buf_data(&got), buf_data(&whole)) != 0)
		bad++;
	ok(bad == 0, "chunks of 1..17 bytes and 64 KiB give the same events");

	/* Every two-way split of the small frames (before the big one). */
	bad = 0;
	j = buf_used(&b) - 70000 - 14 - 11;
	for (i = 0; i <= j; i++) {
		struct ws	 ws;
		struct buf	 in = { 0 }, ev = { 0 };
		enum ws_event	 e;
		int		 part;

		ws_init(&ws, WS_ROLE_SERVER);
		for (part = 0; part < 2; part++) {
			buf_add(&in, buf_data(&b) + (part ? i : 0),
			    part ? j - i : i);
			while ((e = ws_feed(&ws, &in)) != WS_EV_NONE) {
				buf_addf(&ev, "%d:%zu|", (int)e, ws.len);
				if (e == WS_EV_ERROR || e == WS_EV_CLOSE)
					break;
			}
		}
		buf_addc(&ev, '\0');
		if (strcmp(buf_data(&ev), "2:2|3:0|1:7|1:300|1:0|") != 0)
			bad++;
		buf_free(&in);
		buf_free(&ev);
		ws_free(&ws);
	}
	ok(bad == 0, "every two-way split point of %zu bytes", j);
	free(p);
	buf_free(&b);
	buf_free(&whole);
	buf_free(&got);
	buf_free(&want);
}

struct errcase {
	const char	*name;
	int		 role;
	const char	*in;
	size_t		 len;
	const char	*want;
};

#define M	"\x37\xfa\x21\x3d"	/* mask key; "\x00" bytes XOR to it */

static const struct errcase errs[] = {
	{ "RSV1", WS_ROLE_CLIENT, S("\xc1\x00"), "E1002" },
	{ "RSV2", WS_ROLE_CLIENT, S("\xa1\x00"), "E1002" },
	{ "RSV3", WS_ROLE_CLIENT, S("\x91\x00"), "E1002" },
	{ "RSV after 2 bytes", WS_ROLE_SERVER, S("\xc1\x85"), "E1002" },
	{ "unmasked to server", WS_ROLE_SERVER, S("\x81\x05Hello"), "E1002" },
	{ "masked to client", WS_ROLE_CLIENT, S("\x81\x80" M), "E1002" },
	{ "2^63 length", WS_ROLE_CLIENT,
	    S("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00"), "E1002" },
	{ "2^64-1 length", WS_ROLE_SERVER,
	    S("\x82\xff\xff\xff\xff\xff\xff\xff\xff\xff"), "E1002" },
	{ "2^63 length, continuation", WS_ROLE_CLIENT,
	    S("\x02\x00\x80\x7f\x80\x00\x00\x00\x00\x00\x00\x00"), "E1002" },
	{ "2^62 length", WS_ROLE_CLIENT,
	    S("\x82\x7f\x40\x00\x00\x00\x00\x00\x00\x00"), "E1009" },
	{ "16 MiB + 1 frame", WS_ROLE_CLIENT,
	    S("\x82\x7f\x00\x00\x00\x00\x01\x00\x00\x01"), "E1009" },
	{ "16 MiB + 1 frame, continuation", WS_ROLE_CLIENT,
	    S("\x01\x00\x80\x7f\x00\x00\x00\x00\x01\x00\x00\x01"), "E1009" },
	{ "ping not FIN", WS_ROLE_CLIENT, S("\x09\x00"), "E1002" },
	{ "close not FIN", WS_ROLE_CLIENT, S("\x08\x00"), "E1002" },
	{ "pong not FIN", WS_ROLE_CLIENT, S("\x0a\x00"), "E1002" },
	{ "ping of 126", WS_ROLE_CLIENT, S("\x89\x7e\x00\x7e"), "E1002" },
	/* A control length can only be long or not minimal: refused. */
	{ "ping with a 16-bit length", WS_ROLE_CLIENT,
	    S("\x89\x7e\x00\x01z"), "E1002" },
	{ "ping of 125", WS_ROLE_CLIENT, S("\x89\x7d"), "..." },
	{ "data with a 64-bit length of 1", WS_ROLE_CLIENT,
	    S("\x82\x7f\x00\x00\x00\x00\x00\x00\x00\x01z"), "B1:z|" },
	{ "close of 64-bit length", WS_ROLE_CLIENT, S("\x88\x7f"), "E1002" },
	{ "continuation first", WS_ROLE_CLIENT, S("\x80\x02hi"), "E1002" },
	{ "continuation after a message", WS_ROLE_CLIENT,
	    S("\x81\x02hi\x80\x00"), "T2:hi|E1002" },
	{ "text inside fragmented text", WS_ROLE_CLIENT,
	    S("\x01\x01h\x81\x01i"), "E1002" },
	{ "binary inside fragmented text", WS_ROLE_CLIENT,
	    S("\x01\x01h\x82\x01i"), "E1002" },
	{ "text inside fragmented binary", WS_ROLE_CLIENT,
	    S("\x02\x01h\x01\x01i"), "E1002" },
	{ "bad UTF-8", WS_ROLE_CLIENT, S("\x81\x02\xc3\x28"), "E1007" },
	{ "bad UTF-8 before the frame ends", WS_ROLE_CLIENT,
	    S("\x81\x0aok\xff"), "E1007" },
	{ "bad UTF-8 masked", WS_ROLE_SERVER,
	    S("\x81\x81" M "\xc8"), "E1007" },	/* 0xc8 ^ 0x37 = 0xff */
	{ "truncated UTF-8 at FIN", WS_ROLE_CLIENT, S("\x81\x02h\xe2"),
	    "E1007" },
	{ "truncated UTF-8, fragments", WS_ROLE_CLIENT,
	    S("\x01\x01\xf0\x00\x02\x9f\x98\x80\x00"), "E1007" },
	{ "UTF-8 split over fragments", WS_ROLE_CLIENT,
	    S("\x01\x01\xf0\x00\x02\x9f\x98\x80\x01\x80"), "T4:\xf0\x9f\x98\x80|" },
	{ "bad UTF-8 split over fragments", WS_ROLE_CLIENT,
	    S("\x01\x01\xe2\x80\x01\x28"), "E1007" },
	{ "surrogate split over fragments", WS_ROLE_CLIENT,
	    S("\x01\x01\xed\x80\x02\xa0\x80"), "E1007" },
	{ "binary is not UTF-8 checked", WS_ROLE_CLIENT, S("\x82\x02\xc3\x28"),
	    "B2:\xc3\x28|" },
	{ "ping between fragments", WS_ROLE_CLIENT,
	    S("\x01\x02he\x89\x01x\x8a\x00\x00\x01l\x80\x02lo"),
	    "P1:x|O0:|T5:hello|" },
	{ "close between fragments", WS_ROLE_CLIENT,
	    S("\x01\x02he\x88\x02\x03\xe8"), "C1000:|" },
	{ "close, no payload", WS_ROLE_CLIENT, S("\x88\x00"), "C1005:|" },
	{ "close, 1 byte", WS_ROLE_CLIENT, S("\x88\x01\x03"), "E1002" },
	{ "close, 1 byte after a ping", WS_ROLE_CLIENT,
	    S("\x89\x02\x03\xe8\x88\x01\x03"), "P2:\x03\xe8|E1002" },
	{ "close with reason", WS_ROLE_SERVER,
	    S("\x88\x85" M "\x34\x12\x43\x44\x52"), "C1000:bye|" },
	{ "close, bad UTF-8 reason", WS_ROLE_CLIENT,
	    S("\x88\x04\x03\xe8\xc0\xaf"), "E1007" },
	{ "close, truncated UTF-8 reason", WS_ROLE_CLIENT,
	    S("\x88\x03\x03\xe8\xe2"), "E1007" },
	{ "after close nothing", WS_ROLE_CLIENT,
	    S("\x88\x02\x03\xe8\x81\x01x"), "C1000:|" },
	{ "needs more: header", WS_ROLE_CLIENT, S("\x81"), "..." },
	{ "needs more: 16-bit length", WS_ROLE_CLIENT, S("\x82\x7e\x01"),
	    "..." },
	{ "needs more: mask key", WS_ROLE_SERVER, S("\x82\x80\x37\xfa"), "..." },
	{ "needs more: payload", WS_ROLE_CLIENT, S("\x82\x05hel"), "..." },
	{ "needs more: ping payload", WS_ROLE_CLIENT, S("\x89\x05hel"), "..." },
	{ "needs more: final fragment", WS_ROLE_CLIENT, S("\x01\x02he"),
	    "..." },
};

static void
errors(void)
{
	struct opts	 o = { 0, 0, 0 };
	char		 f[2];
	size_t		 i;

	for (i = 3; i <= 0xf; i++) {
		if (i >= 8 && i <= 0xa)
			continue;
		f[0] = (char)(0x80 | i);
		f[1] = 0;
		ok(events_are(&client, f, 2, "E1002"), "opcode %zx: 1002", i);
	}

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		o.role = errs[i].role;
		ok(events_are(&o, errs[i].in, errs[i].len, errs[i].want),
		    "%s: %s", errs[i].name, errs[i].want);
	}
}

static void
close_codes(void)
{
	static const unsigned int codes[] = { 1000, 1001, 1002, 1003, 1007,
	    1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 0, 1, 999, 1004,
	    1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000,
	    65535 };
	char		 f[4], want[32];
	size_t		 i;

	/* The first 13 are valid, the rest are not. */
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		f[0] = (char)0x88;
		f[1] = 2;
		f[2] = (char)(codes[i] >> 8);
		f[3] = (char)codes[i];
		if (i < 13)
			snprintf(want, sizeof(want), "C%u:|", codes[i]);
		else
			snprintf(want, sizeof(want), "E1002");
		ok(events_are(&client, f, 4, want), "close code %u: %s",
		    codes[i], want);
	}
}

static void
limits(void)
{
	struct opts	 o = { WS_ROLE_CLIENT, 10, 20 };
	struct ws	 ws;
	struct buf	 in = { 0 };

	ok(events_are(&o, S("\x82\x0a" "0123456789"), "B10:0123456789|"),
	    "frame of max_frame bytes");
	ok(events_are(&o, S("\x82\x0b"), "E1009"),
	    "frame of max_frame + 1: 1009 from the header alone");
	ok(events_are(&o, S("\x82\x7e\x00\x0b"), "E1009"),
	    "16-bit length over max_frame");
	ok(events_are(&o, S("\x89\x0b" "01234567890"), "P11:01234567890|"),
	    "control frames are not subject to max_frame");
	ok(events_are(&o, S("\x02\x0a" "0123456789" "\x80\x0a" "0123456789"),
	    "B20:01234567890123456789|"), "message of max_msg bytes");
	ok(events_are(&o, S("\x02\x0a" "0123456789" "\x00\x0a" "0123456789"
	    "\x80\x01"), "E1009"), "message of max_msg + 1: 1009");
	ok(events_are(&o, S("\x02\x0a" "0123456789" "\x00\x0a" "0123456789"
	    "\x80\x00"), "B20:01234567890123456789|"),
	    "empty last fragment at max_msg");
	o.max_frame = 20;
	ok(events_are(&o, S("\x82\x0f" "012345678901234" "\x82\x0f"
	    "012345678901234"), "B15:012345678901234|B15:012345678901234|"),
	    "max_msg counts one message, not the connection");

	/* Huge lengths fail at once, before anything is allocated. */
	ws_init(&ws, WS_ROLE_SERVER);
	buf_add(&in, "\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00", 10);
	ok(ws_feed(&ws, &in) == WS_EV_ERROR && ws.code == 1002 &&
	    ws.msg.cap == 0 && ws.why != NULL, "2^63: 1002 (%s), nothing "
	    "allocated", ws.why ? ws.why : "");
	ws_free(&ws);
	buf_reset(&in);
	ws_init(&ws, WS_ROLE_SERVER);
	buf_add(&in, "\x82\xff\x00\x00\x00\x00\x01\x00\x00\x01", 10);
	ok(ws_feed(&ws, &in) == WS_EV_ERROR && ws.code == 1009 &&
	    ws.msg.cap == 0, "16 MiB + 1 with the default limit: 1009");
	ws_free(&ws);

	/* The default limits: exactly 16 MiB in one frame is accepted. */
	buf_reset(&in);
	ws_init(&ws, WS_ROLE_CLIENT);
	buf_add(&in, "\x82\x7f\x00\x00\x00\x00\x01\x00\x00\x00", 10);
	ok(ws_feed(&ws, &in) == WS_EV_NONE && buf_used(&in) == 0 &&
	    ws.fr_open && ws.msg.cap == 0,
	    "16 MiB header taken, nothing reserved ahead of the data");
	ws_free(&ws);
	buf_free(&in);
}

/* A bad byte fails as soon as it arrives, mid-frame. */
static void
early(void)
{
	struct ws	 ws;
	struct buf	 in = { 0 };
	enum ws_event	 e1, e2;

	ws_init(&ws, WS_ROLE_CLIENT);
	buf_add(&in, "\x81\x7e\x10\x00" "abc", 7);	/* 4096 announced */
	e1 = ws_feed(&ws, &in);
	buf_add(&in, "\xed\xa0", 2);
	e2 = ws_feed(&ws, &in);
	ok(e1 == WS_EV_NONE && e2 == WS_EV_ERROR && ws.code == 1007,
	    "surrogate in a partial frame: 1007 before the frame ends");
	ws_free(&ws);
	buf_free(&in);
}

/* A 16 MiB frame in 64 KiB reads: each byte is handled once. */
static void
big_frame(void)
{
	struct ws	 ws;
	struct buf	 in = { 0 }, b = { 0 };
	uint8_t		*p;
	size_t		 n = 16 << 20, off, k, calls = 0;
	enum ws_event	 e = WS_EV_NONE;
	int		 same = 0;

	if ((p = malloc(n)) == NULL) {
		ok(0, "malloc");
		return;
	}
	for (off = 0; off < n; off++)
		p[off] = (uint8_t)('a' + off % 26);
	ws_frame_write(&b, WS_OP_TEXT, 1, p, n, key);
	ws_init(&ws, WS_ROLE_SERVER);
	for (off = 0; off < buf_used(&b); off += k) {
		k = buf_used(&b) - off < 65536 ? buf_used(&b) - off : 65536;
		buf_add(&in, buf_data(&b) + off, k);
		e = ws_feed(&ws, &in);
		calls++;
		if (e != WS_EV_NONE)
			break;
		if (buf_used(&in) != 0)
			break;		/* everything should be taken */
	}
	if (e == WS_EV_MESSAGE)
		same = ws.len == n && memcmp(ws.data, p, n) == 0;
	ok(e == WS_EV_MESSAGE && same && off + k == buf_used(&b),
	    "16 MiB text frame over %zu reads, each read consumed", calls);
	ws_free(&ws);
	buf_free(&in);
	buf_free(&b);
	free(p);
}

static void
close_write(void)
{
	struct buf	 b = { 0 }, want = { 0 };
	char		 r[200];

	ws_close_write(&b, 1000, "bye", NULL);
	ok(buf_used(&b) == 7 && memcmp(buf_data(&b), "\x88\x05\x03\xe8" "bye",
	    7) == 0, "close 1000 bye");
	buf_reset(&b);
	ws_close_write(&b, WS_CLOSE_NO_STATUS, "ignored", NULL);
	ok(buf_used(&b) == 2 && memcmp(buf_data(&b), "\x88\x00", 2) == 0,
	    "close without a code");
	buf_reset(&b);
	ws_close_write(&b, 1009, NULL, key);
	ok(buf_used(&b) == 8 && memcmp(buf_data(&b), "\x88\x82" M
	    "\x34\x0b", 8) == 0, "masked close 1009");	/* 03 f1 ^ 37 fa */

	memset(r, 'x', sizeof(r));
	r[sizeof(r) - 1] = '\0';
	buf_reset(&b);
	ws_close_write(&b, 1001, r, NULL);
	ok(buf_used(&b) == 127 && (uint8_t)buf_data(&b)[1] == 125,
	    "long reason cut to 123 bytes");
	/* A cut never splits a character. */
	memset(r, 'x', 122);
	memcpy(r + 122, "\xc3\xa9", 3);		/* é straddles byte 123 */
	buf_reset(&b);
	ws_close_write(&b, 1001, r, NULL);
	ok(buf_used(&b) == 126 && (uint8_t)buf_data(&b)[1] == 124,
	    "reason cut before a split character");
	buf_reset(&want);
	buf_adds(&want, "C1001:");
	payload(&want, (const uint8_t *)r, 122);
	buf_adds(&want, "|");
	buf_addc(&want, '\0');
	ok(events_are(&client, buf_data(&b), buf_used(&b), buf_data(&want)),
	    "cut reason reads back as valid UTF-8");
	buf_free(&b);
	buf_free(&want);
}

/*
 * Unmasking goes eight bytes at a time from wherever the last read left
 * the key: frames of 0..40 bytes of varied content, read in pieces of
 * 1..9 bytes, read back exactly.
 */
static void
unmask_lanes(void)
{
	struct buf	 b = { 0 }, got = { 0 }, want = { 0 };
	uint8_t		 p[40];
	size_t		 n, i, chunk, bad = 0;

	for (i = 0; i < sizeof(p); i++)
		p[i] = (uint8_t)(i * 37 + 5);
	for (n = 0; n <= sizeof(p); n++) {
		buf_reset(&b);
		buf_reset(&want);
		ws_frame_write(&b, WS_OP_BINARY, 1, p, n, key);
		msg_desc(&want, WS_OP_BINARY, p, n);
		buf_addc(&want, '\0');
		for (chunk = 1; chunk <= 9; chunk++) {
			run(&server, buf_data(&b), buf_used(&b), chunk, &got);
			if (strcmp(buf_data(&got), buf_data(&want)) != 0)
				bad++;
		}
	}
	ok(bad == 0, "masked frames of 0..40 bytes read in pieces of 1..9");
	buf_free(&b);
	buf_free(&got);
	buf_free(&want);
}

int
main(void)
{
	rfc_examples();
	roundtrips();
	splits();
	unmask_lanes();
	errors();
	close_codes();
	limits();
	early();
	big_frame();
	close_write();
	return done_testing();
}
