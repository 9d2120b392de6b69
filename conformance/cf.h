/*
 * cf.h: exec-conformance, the transcript runner (see README.md here).
 *
 * transcript.c loads a transcript and writes messages to send; match.c
 * compares a received JSON value with an expected one that may hold
 * placeholders; session.c keeps the connections, their received
 * messages and per-process notification state; steps.c runs the steps;
 * runner.c is the command line, the servers and the TAP output.
 */
#ifndef CF_H
#define CF_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsclient.h"

#define CF_FORMAT	1

/* --------------------------------------------------------- transcript.c */

struct line {
	char		*p;		/* the line, NUL-terminated */
	size_t		 len;
	int		 lineno;
	struct json_doc	 doc;
};

struct transcript {
	char		*path;
	char		*name;
	char		*text;
	struct line	*lines;
	size_t		 nlines;
	/* Header. */
	char		*description;
	int		 ws, stdio;	/* transports it applies to */
	int		 timeout_ms;	/* 0: the runner's default */
	int		 slow;
	int		 expect_fail;
	int		 multi;		/* uses more than one connection */
	char		 requires[128];	/* space-separated feature names */
	int		 server_args;	/* header token of "serverArgs", -1 */
	int		 server_prepare;	/* "serverPrepare", or -1 */
};

int	 transcript_load(struct transcript *, const char *path, char *err,
	    size_t errlen);
void	 transcript_free(struct transcript *);

/* ------------------------------------------------------------- match.c */

struct var {
	char		*name;
	char		*json;		/* the value as JSON text */
	size_t		 len;
	struct json_doc	 doc;
};

struct vars {
	struct var	*v;
	size_t		 n, cap;
};

void	 vars_free(struct vars *);
/* Bind name to a JSON value (copied).  0 or -1. */
int	 vars_set_json(struct vars *, const char *name, const char *json,
	    size_t len);
int	 vars_set_str(struct vars *, const char *name, const char *s,
	    size_t len);
struct var *vars_get(struct vars *, const char *name, size_t namelen);
/* Forget every binding made after mark (a failed match). */
void	 vars_rollback(struct vars *, size_t mark);

struct mctx {
	struct vars	*vars;
	int		 skip_message;	/* do not compare $.error.message */
	/* The first difference of the last failed match. */
	char		 path[256];
	char		 why[768];
	int		 depth;
};

/*
 * Does received value (r, ri) match expected value (e, ei)?  1 or 0;
 * on 0, m->path/why/depth describe the first difference.  Bindings made
 * by a failed match are rolled back.
 */
int	 match(struct mctx *, const struct json_doc *e, int ei,
	    const struct json_doc *r, int ri);
/* Does the integer v match (e, ei)? */
int	 match_i64(struct mctx *, const struct json_doc *e, int ei, int64_t v);
/* A string matcher applied to bytes (process output, decoded base64). */
int	 match_bytes(struct mctx *, const struct json_doc *e, int ei,
	    const char *p, size_t n, const char *path);
/*
 * Bytes against an expected string holding ${name} placeholders, which
 * bind the shortest non-empty text.  1, 0, or -1 for a bad template.
 */
int	 template_bytes(struct vars *, const char *e, size_t en, const char *s,
	    size_t n);
/* Integer expression "${a}+1", "7", "${a}-${b}". */
int	 eval_int(struct vars *, const char *expr, int64_t *out);
/* Structural equality of two JSON values. */
int	 json_equal(const struct json_doc *, int, const struct json_doc *,
	    int);

/*
 * Write value (d, t) as JSON to b with ${name} references in its
 * strings replaced by bound values.  -1 with err for an unbound name.
 */
int	 subst_json(struct buf *, struct vars *, const struct json_doc *d,
	    int t, char *err, size_t errlen);
/* The decoded string token t with ${name} references replaced. */
int	 subst_str(struct buf *, struct vars *, const struct json_doc *d,
	    int t, char *err, size_t errlen);
/* Render a value compactly, cut to max bytes, for diagnostics. */
void	 show_json(struct buf *, const struct json_doc *, int t, size_t max);
void	 show_text(struct buf *, const char *, size_t, size_t max);
/* A received message as it is (newlines blanked), cut to max bytes. */
void	 show_raw(struct buf *, const char *, size_t, size_t max);

/* ----------------------------------------------------------- session.c */

struct rmsg {
	char		*text;
	size_t		 len;
	struct json_doc	 doc;
	int		 ok;		/* parsed */
	int		 binary;
	int		 consumed;
	size_t		 seq;		/* arrival order on its connection */
};

struct proc {
	char		*id;
	struct buf	 out[3];	/* stdout, stderr, pty */
	int64_t		 last[3];	/* last seq per stream */
	uint8_t		*seen;		/* seq bitmap */
	size_t		 seencap;	/* bits */
	int64_t		 maxseq;
	int64_t		 nseen;
	int		 exited;
	int64_t		 exit_code;
	int64_t		 exit_seq;
	int		 closed;
	int64_t		 closed_seq;
	size_t		 count;		/* notifications in this generation */
	size_t		 claimed;	/* accounted for by an expectation */
	char		 bad[256];	/* first ordering violation */
	struct proc	*next;
};

struct cxn {
	char		 name[32];
	struct wsc	*w;
	int		 ended;		/* the server ended it */
	int		 end_close;	/* it sent a Close frame */
	int		 end_code;
	char		 error[256];
	struct rmsg	**msgs;
	size_t		 nmsgs, capmsgs;
	struct proc	*procs;
	struct buf	 raw;		/* bytes of a raw (no upgrade) link */
	size_t		 pings;
	struct cxn	*next;
};

extern const char *const stream_names[3];

struct cxn *sess_find(struct cxn *, const char *name);
struct cxn *sess_add(struct cxn **, const char *name, struct wsc *);
void	 sess_free_conn(struct cxn *);
/*
 * Read from every connection until the deadline or until something
 * arrives; returns 1 when anything happened, 0 on timeout.
 */
int	 sess_pump(struct cxn *, int64_t deadline);
struct proc *proc_find(struct cxn *, const char *id);
/* Is there anything received that no expectation accounted for? */
int	 sess_leftovers(struct cxn *, struct buf *why);

/* ------------------------------------------------------------- steps.c */

struct run {
	struct transcript *t;
	struct vars	 vars;
	struct cxn	*conns;
	int		 transport;	/* WSC_WS or WSC_STDIO */
	const char	*url;		/* WebSocket server */
	const char	*stdio_cmd;	/* stdio server command */
	const char	*work;		/* scratch directory */
	int		 errfd;		/* server stderr, -1 inherit */
	int		 default_timeout;
	double		 timeout_mult;
	int		 verbose;
	/* Record mode: the transcript being written. */
	struct buf	*record;
	int		 cur_line;	/* line of the step being run */
	/* The first failure. */
	int		 failed;
	size_t		 fail_line;
	struct buf	 diag;
};

/* Run a transcript's steps; 0 when all passed. */
int	 run_steps(struct run *);
/* Carry out a "prepare" array (also a header's serverPrepare). */
int	 prepare_ops(struct run *, const struct json_doc *, int arr);
void	 run_fail(struct run *, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Shared by steps.c and links.c. */
int64_t	 step_deadline(struct run *, const struct json_doc *);
struct cxn *step_conn(struct run *, const struct json_doc *);
int	 step_payload(struct run *, const struct json_doc *, int, struct buf *);
void	 run_unlink(struct run *, struct cxn *);
int	 do_open(struct run *, const struct json_doc *);
int	 do_end(struct run *, const struct json_doc *, int ours);
int	 do_drop(struct run *, const struct json_doc *);
void	 describe_end(struct cxn *, char *, size_t);
void	 check_leftovers(struct run *, struct cxn *);
void	 record_expect(struct run *, struct cxn *, const struct json_doc *);

/* Token helpers shared by the files. */
int	 tok_key(const struct json_doc *, int obj, const char *key);
int	 tok_is_str(const struct json_doc *, int, const char *);
int	 tok_int(const struct json_doc *, int, int64_t *);
int	 tok_bool(const struct json_doc *, int);
char	*tok_dup(const struct json_doc *, int);

#endif
