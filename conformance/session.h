/*
 * session.h: the runner's connections and what arrived on them: every
 * message in arrival order, and per process id a record folding its
 * process/output, process/exited and process/closed notifications.
 */
#ifndef SESSION_H
#define SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"

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
	struct buf	 out[3];	/* stdout, stderr, pty (stream.h) */
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

struct cxn *session_find(struct cxn *, const char *name);
struct cxn *session_add(struct cxn **, const char *name, struct wsc *);
void	 session_free_conn(struct cxn *);
/*
 * Read from every connection until the deadline or until something
 * arrives; returns 1 when anything happened, 0 on timeout.
 */
int	 session_pump(struct cxn *, int64_t deadline);
struct proc *session_proc_find(struct cxn *, const char *id);
/* Is there anything received that no expectation accounted for? */
int	 session_leftovers(struct cxn *, struct buf *why);
/* How c ended (or that it is still open), for diagnostics. */
void	 session_describe_end(struct cxn *, char *, size_t);

#endif
