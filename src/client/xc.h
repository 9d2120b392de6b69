/*
 * xc.h: exec-client's connection to the server: JSON-RPC requests and
 * their answers, and the notifications of the command being run.
 */
#ifndef XC_H
#define XC_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"

struct wsc;

#define EXIT_TOOL	125		/* our own failure, as env(1) does */
#define WRITE_BASE	1000000		/* ids of process/write requests */

struct reply {
	int64_t		 id;
	char		*text;
	size_t		 len;
};

struct client {
	struct wsc	*w;
	int64_t		 next_id;
	struct reply	*replies;
	size_t		 nreplies;
	/* The command being run. */
	char		 pid[64];
	int		 tty;
	int		 exited, closed;
	int64_t		 exit_code;
	int		 writes;	/* process/write in flight */
	int		 stdin_open;
	int		 sigpipe;
};

/* Print "exec-client: ..." and exit with EXIT_TOOL. */
void	 xc_die(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* Have xc_die call fn first (to restore the terminal). */
void	 xc_atdie(void (*fn)(void));
void	 xc_send(struct client *, struct buf *);
/* Start {"id":id,"method":method,"params": in b; the caller ends it. */
int64_t	 xc_begin(struct client *, struct jw *, struct buf *, const char *,
	    int64_t id);
void	 xc_write_out(struct client *, int fd, const char *, size_t);
/* Take whatever is ready (deadline 0) or wait until the deadline. */
void	 xc_pump(struct client *, int64_t deadline);
/* The answer to request id (or exit with its error): text to free. */
char	*xc_await(struct client *, int64_t id, const char *what,
	    struct json_doc *, int *result);
/* An absolute remote path, as a file:// URI string. */
void	 xc_remote_uri(struct jw *, const char *path);

#endif
