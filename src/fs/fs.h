/*
 * fs.h: the filesystem methods (protocol.md §7.11-§7.21) and what their
 * modules share.
 *
 *   fs.c        common helpers, per-connection state, the sandbox schema
 *   fsjob.c     work done in slices across loop rounds (fsjob.h)
 *   fsfile.c    fs/readFile (large files in slices), fs/writeFile,
 *               fs/createDirectory, fs/getMetadata, fs/canonicalize
 *   fsdir.c     fs/readDirectory, fs/remove, fs/copy (jobs)
 *   fswalk.c    fs/walk (a job)
 *   fshandle.c  fs/open, fs/readBlock, fs/writeBlock, fs/close
 *   watch.c     fs/watchMissing and fs/missingChanged (inotify)
 *   envcfg.c    environmentConfig/read, capabilities/discoverV2,
 *               capabilityRoots/discoverV1
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

extern const struct rpc_method	 fs_methods[];
extern const struct rpc_method	 fsdir_methods[];
extern const struct rpc_method	 fswalk_methods[];
extern const struct rpc_method	 fshandle_methods[];
extern const struct rpc_method	 watch_methods[];
extern const struct rpc_method	 envcfg_methods[];

/* The fields of `sandbox` (WireFileSystemSandboxContext). */
extern const struct rpc_param	 fs_sandbox_fields[];
/* The same with cwd required (FileSystemSandboxContext). */
extern const struct rpc_param	 fs_sandbox_cwd_fields[];
#define FS_SANDBOX { "sandbox", P_OBJ, P_NULL, fs_sandbox_fields, \
	    "WireFileSystemSandboxContext", NULL }

/* --no-local-fs: every fs/ call is refused. */
void	 fs_set_disabled(int);
int	 fs_is_disabled(void);
/* rpc_conn_free() hook: close handles, stop the watch and the jobs. */
void	 fs_conn_gone(struct rpc_conn *);

/* Per-connection state (RPC_SLOT_FS), created on first use. */
struct fs_handle;
struct fs_job;
struct watch;
struct fs_conn {
	struct fs_handle	*handles;
	unsigned		 nhandles;
	struct fs_job		*jobs;		/* fsjob.c, in call order */
	struct watch		*watch;
	uint64_t		 watch_last;	/* highest watchId seen */
};
/* NULL on ENOMEM (the call has failed then). */
struct fs_conn	*fs_conn_of(struct rpc_call *);
void		 fswatch_free(struct fs_conn *);
void		 fshandle_free_all(struct fs_conn *);

/*
 * Every fs/ method starts here: local access allowed, `sandbox` one this
 * server can honour.  Returns -1 after rpc_fail().  Then the call waits
 * for the connection's pending jobs that change files (fsjob_settle), so
 * that it sees their effect.  The methods that are jobs themselves use
 * fs_admit_job(), which does not wait: fsjob_run() queues them instead.
 */
int	 fs_admit(struct rpc_call *);
int	 fs_admit_job(struct rpc_call *);
/* The sandbox check alone, for a sandbox object at token tok. */
int	 fs_sandbox_ok(struct rpc_call *, int tok);

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
