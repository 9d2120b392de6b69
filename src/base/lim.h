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

/* --ws-auth: a token or secret file, and the longest JWT looked at. */
#define LIM_AUTH_SECRET		(64 * 1024)
#define LIM_AUTH_JWT		(8 * 1024)

/*
 * http/request: an answer's head, its fields, a body that is not
 * streamed, redirects followed, requests in progress per connection, the
 * addresses of a name tried in turn, and a streamed body's notification.
 */
#define LIM_HTTPC_HEAD		(64 * 1024)
#define LIM_HTTPC_FIELDS	128
#define LIM_HTTPC_BODY		(64 * 1024 * 1024)
#define LIM_HTTPC_REDIRECTS	10
#define LIM_HTTPC_ACTIVE	64
#define LIM_HTTPC_ADDRS		8
#define LIM_HTTPC_DELTA		(1024 * 1024)

/* stdio: longest JSON line accepted (same as a WebSocket message). */
#define LIM_STDIO_LINE		LIM_WS_MESSAGE

/* JSON: nesting depth (serde_json's default recursion limit is 128). */
#define LIM_JSON_DEPTH		128

/*
 * Connections served at once (WebSocket clients); beyond, a 503.  When
 * accept() fails for want of descriptors or memory, the listening socket
 * is left alone for LIM_ACCEPT_BACKOFF_MS.
 */
#define LIM_CONNS		256
#define LIM_ACCEPT_BACKOFF_MS	100
/*
 * Outbound queue of one connection.  Past this the server stops reading
 * that connection's children's output until the queue drains below
 * LIM_OUTQ_LOW; a single response larger than it is still queued whole.
 */
#define LIM_OUTQ_HIGH		(8 * 1024 * 1024)
#define LIM_OUTQ_LOW		(1 * 1024 * 1024)

/*
 * Memory (glibc builds).  Allocations below LIM_MALLOC_MMAP come from the
 * heap, and up to LIM_MALLOC_TRIM of free heap is kept between calls, so
 * that a busy server reuses its pages instead of faulting fresh ones in
 * for every large message; once the loop has been idle for
 * LIM_IDLE_TRIM_MS, the free memory goes back to the system.
 */
#define LIM_MALLOC_MMAP		(32 * 1024 * 1024)
#define LIM_MALLOC_TRIM		(64 * 1024 * 1024)
#define LIM_IDLE_TRIM_MS	1000

/*
 * A detached session waits this long for its client to resume it before
 * its processes are killed (the reference measures about 80 s).
 * Changeable with --session-ttl.
 */
#define LIM_SESSION_TTL_MS	80000

/*
 * Processes (proc.c).  Output is read in chunks of at most LIM_PROC_CHUNK
 * bytes (the reference's 8 KiB), and at most LIM_PROC_READS chunks per
 * descriptor per loop round so that one chatty child cannot starve the
 * others.  Each process retains its most recent LIM_PROC_RETAIN_BYTES of
 * output, and no more than LIM_PROC_RETAIN_CHUNKS chunks (the reference
 * keeps 1 MiB and 50 000); older chunks are evicted.  A closed process
 * stays readable for the session TTL (--session-ttl), like the reference's
 * ~80 s.  process/write remembers the last LIM_PROC_WRITE_IDS writeIds of a
 * process, and queues at most LIM_PROC_STDIN_QUEUE bytes for a child that
 * does not read its stdin (beyond: -32603).  A session holds at most
 * LIM_PROC_PER_SESSION processes, running or retained, and the server
 * LIM_PROC_TOTAL.  A process/read waits at most LIM_PROC_WAIT_MS.
 */
#define LIM_PROC_CHUNK		8192
#define LIM_PROC_READS		16
#define LIM_PROC_RETAIN_BYTES	(1024 * 1024)
#define LIM_PROC_RETAIN_CHUNKS	50000
#define LIM_PROC_WRITE_IDS	4096
#define LIM_PROC_STDIN_QUEUE	(16 * 1024 * 1024)
#define LIM_PROC_PER_SESSION	1024
#define LIM_PROC_TOTAL		4096
#define LIM_PROC_WAIT_MS	(24ULL * 3600 * 1000)

/* Longest path the server handles (PATH_MAX on Linux). */
#define LIM_PATH		4096

/* fs/readFile: largest file (the reference's limit, 512 MiB). */
#define LIM_FS_READ		(512 * 1024 * 1024)
/*
 * fs/readFile of a file larger than this is read and base64-encoded this
 * many bytes per loop round, so other connections wait at most one slice
 * (a few milliseconds) for it.
 */
#define LIM_FS_SLICE		(3 * 1024 * 1024)
/*
 * fs/copy, fs/remove and fs/walk work in slices too (fsjob.c): per loop
 * round at most LIM_FS_JOB_ENTRIES directory entries (each a stat, an
 * unlink, a file or directory created: microseconds, or milliseconds on
 * a slow disk), LIM_FS_JOB_BYTES bytes of file data copied (1 MiB at a
 * time, each counting as an entry) and, after the first entry,
 * LIM_FS_JOB_MS milliseconds.  So a 200 000-entry tree or a multi-gigabyte
 * file holds other connections up for one slice, not for the whole
 * operation.  Sorting a large directory for fs/walk counts LIM_FS_JOB_SORT
 * names moved as one entry.  Work that fits one slice is answered at
 * once, as any call.
 */
#define LIM_FS_JOB_ENTRIES	256
#define LIM_FS_JOB_BYTES	(8 * 1024 * 1024)
#define LIM_FS_JOB_MS		4
#define LIM_FS_JOB_SORT		64
/* fs/readBlock len and fs/writeBlock chunk: 1 .. this many bytes. */
#define LIM_FS_BLOCK		(1024 * 1024)
/* fs/open handleId: at most this many bytes. */
#define LIM_FS_HANDLE_ID	32
/* Open file handles per connection (ours: descriptors are shared). */
#define LIM_FS_HANDLES		256
/* fs/walk maxima (the reference's) and its response budget. */
#define LIM_WALK_DEPTH		64
#define LIM_WALK_DIRS		10000
#define LIM_WALK_ENTRIES	50000
#define LIM_WALK_BYTES		(4 * 1024 * 1024)
#define LIM_WALK_ITEM		64	/* budget per item besides its text */

/*
 * A sandbox's deny globs: at most this many files found (the reference's
 * cap), else the sandbox is refused.  Scanned no deeper than 64 levels.
 */
#define LIM_SANDBOX_GLOB_MATCHES	8192
/* A sandboxed process's own /dev/shm (a tmpfs), in MiB. */
#define LIM_SANDBOX_SHM_MB		64

#endif
