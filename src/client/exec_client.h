/*
 * exec_client.h: what the parts of exec-client share: the connection
 * with its JSON-RPC bookkeeping, and the file commands.
 */
#ifndef EXEC_CLIENT_H
#define EXEC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"

struct wsc;

#define EXIT_TOOL	125		/* our own failure, as env(1) does */
#define WRITE_BASE	1000000		/* ids of process/write requests */
#define BLOCK		(1024 * 1024)
#define CALL_MS		60000

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
void	 xc_send(struct client *, struct buf *);
/* Start {"id":id,"method":method,"params": in b; the caller ends it. */
int64_t	 xc_begin(struct client *, struct jw *, struct buf *, const char *,
	    int64_t id);
void	 xc_write_out(struct client *, int fd, const char *, size_t);
/* The answer to request id (or exit with its error): text to free. */
char	*xc_await(struct client *, int64_t id, const char *what,
	    struct json_doc *, int *result);
/* An absolute remote path, as a file:// URI string. */
void	 xc_remote_uri(struct jw *, const char *path);

int	 cmd_get(struct client *, const char *remote, const char *local);
int	 cmd_put(struct client *, const char *local, const char *remote);
int	 cmd_ls(struct client *, const char *remote);

#endif
