/*
 * auth.h: who may open a WebSocket (auth.c): the reference's two modes
 * (protocol.md §3.4), checked on the upgrade request before the 101.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stdint.h>

#include "base/buf.h"
#include "net/http.h"

/* The command line's auth flags, as given (NULL: absent). */
struct auth_opts {
	const char	*mode;		/* --ws-auth */
	const char	*token_file;	/* --ws-token-file */
	const char	*token_sha256;	/* --ws-token-sha256 */
	const char	*secret_file;	/* --ws-shared-secret-file */
	const char	*issuer;	/* --ws-issuer */
	const char	*audience;	/* --ws-audience */
	const char	*skew;		/* --ws-max-clock-skew-seconds */
	int		 stdio;		/* --listen stdio */
};

/*
 * Check the flags as the reference does, in its order and words, and
 * load what they name (a file's contents trimmed; a token kept as its
 * SHA-256 only).  A file that others may read gets a warning on stderr.
 * 0, or -1 with the message in err (for "Error: <message>", exit 1),
 * or -2 for a value no flag takes (a usage error, exit 2, as the
 * reference's argument parser).  Startup only.
 */
int	 auth_setup(const struct auth_opts *, struct buf *err);
/* Is a mode set? */
int	 auth_enabled(void);
/*
 * The verdict on an upgrade request at time now (seconds since the
 * epoch): NULL to let it in, else the body of the 401.
 */
const char *auth_check(const struct http_req *, int64_t now);

#endif
