/*
 * run.h: the state of one transcript's run, and what every kind of step
 * needs from it: recording the first failure, a step's deadline and
 * connection, bytes given in a step, and letting a connection go.
 */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"
#include "vars.h"

struct cxn;
struct transcript;

struct run {
	struct transcript *t;
	struct vars	 vars;
	struct cxn	*conns;
	int		 transport;	/* WSC_WS or WSC_STDIO */
	const char	*url;		/* WebSocket server */
	const char	*stdio_cmd;	/* stdio server command */
	const char	*auth;		/* "Authorization: ..." CRLF, or NULL */
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

/* Note a failure at line (0: the current step's); the first one counts. */
void	 run_fail(struct run *, size_t line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* When step d times out ("timeoutMs", else the defaults). */
int64_t	 run_deadline(struct run *, const struct json_doc *d);
/* The open connection step d names ("conn", default c1), or fail. */
struct cxn *run_conn(struct run *, const struct json_doc *d);
/*
 * Append bytes given in token t as a string (placeholders allowed),
 * {"$bytes":B64} or {"$repeat":S,"count":N}; -1 after run_fail.
 */
int	 run_payload(struct run *, const struct json_doc *d, int t,
	    struct buf *);
/* Take c off the run's connections and free it. */
void	 run_unlink(struct run *, struct cxn *);
/* Fail if c received anything that no expectation accounted for. */
void	 run_leftovers(struct run *, struct cxn *);

#endif
