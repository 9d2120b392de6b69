/*
 * lim.h: every limit of exec-server in one place.
 *
 * Each one is listed in docs/exec-server.1 (LIMITS); change both together.
 */
#ifndef LIM_H
#define LIM_H

/* HTTP upgrade request: the whole header block, request line included. */
#define LIM_HTTP_HEADER		(16 * 1024)
/* Header lines in one request. */
#define LIM_HTTP_FIELDS		64

/* WebSocket (inbound): one frame's payload, and a message after reassembly. */
#define LIM_WS_FRAME		(16 * 1024 * 1024)
#define LIM_WS_MESSAGE		(64 * 1024 * 1024)
/* Keepalive ping interval. */
#define LIM_WS_PING_MS		30000
/* Time a client may take to finish its upgrade request. */
#define LIM_HTTP_TIMEOUT_MS	30000

/* stdio: longest JSON line accepted (same as a WebSocket message). */
#define LIM_STDIO_LINE		LIM_WS_MESSAGE

/* JSON: nesting depth (serde_json's default recursion limit is 128). */
#define LIM_JSON_DEPTH		128

/* Connections served at once (WebSocket clients). */
#define LIM_CONNS		256
/*
 * Outbound queue of one connection.  Past this the server stops reading
 * that connection's children's output until the queue drains below
 * LIM_OUTQ_LOW; a single response larger than it is still queued whole.
 */
#define LIM_OUTQ_HIGH		(8 * 1024 * 1024)
#define LIM_OUTQ_LOW		(1 * 1024 * 1024)

/*
 * A detached session waits this long for its client to resume it before
 * its processes are killed (the reference measures about 80 s).
 * Changeable with --session-ttl.
 */
#define LIM_SESSION_TTL_MS	80000

/* Longest path the server handles (PATH_MAX on Linux). */
#define LIM_PATH		4096

#endif
