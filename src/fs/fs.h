/*
 * fs.h: what the filesystem methods share (fs.c): admission, the error
 * mapping, URIs as host paths and small helpers.  The methods are in the
 * other files of this folder (src/fs/README).
 *
 * Errors follow the reference's io::Error mapping: NotFound -32004,
 * InvalidInput and PermissionDenied -32600, anything else -32603, the
 * message as Rust displays it ("<musl text> (os error N)").
 */
#ifndef FS_H
#define FS_H

#include <stdint.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "rpc/rpc.h"

/* --no-local-fs: every fs/ call is refused. */
void	 fs_set_disabled(int);
int	 fs_is_disabled(void);

/*
 * May this fs/ call run: local access allowed, and its `sandbox` one this
 * server can enforce?  0: go on here; -1 after rpc_fail(), or when the
 * call went to a confined child (fsbox.c; call->deferred): return.
 * Methods that are not jobs themselves start with fsjob_admit(), which
 * also orders them after the connection's pending jobs.
 */
int	 fs_admit(struct rpc_call *);

/*
 * A URI member (or token) as a normalised, NUL-terminated host path.
 * Returns -1 after rpc_fail().
 */
int	 fs_path(struct rpc_call *, const char *name, struct buf *);
int	 fs_path_tok(struct rpc_call *, int tok, struct buf *);
/* The same for a URI string: 0, or -1 with *code and msg. */
int	 fs_uri_path(const char *, size_t, struct buf *, int *code,
	    struct buf *msg);

/* errno as the reference reports it. */
int	 fs_errcode(int);
void	 fs_errmsg(struct buf *, int);
void	 fs_fail_errno(struct rpc_call *, int);

/*
 * Open the directory holding the last component of path without
 * following any symlink on the way (O_NOFOLLOW each step); *last points
 * into path at that component ("" for "/").  Returns a descriptor or -1
 * with errno.
 */
int	 fs_open_parent(const char *path, const char **last);

/* std::fs::create_dir_all: 0 or an errno (p is modified, then restored). */
int	 fs_mkdir_all(char *p);

/* String::from_utf8_lossy: each maximal invalid subpart becomes U+FFFD. */
void	 fs_lossy(struct buf *, const char *, size_t);
/* Is a directory entry "." or ".."? */
int	 fs_dots(const char *);

/* Milliseconds since the epoch, truncated. */
int64_t	 fs_ms(const struct timespec *);

#endif
