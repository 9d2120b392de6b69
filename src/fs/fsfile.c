/*
 * fsfile.c: the single-path methods fs/readFile, fs/writeFile,
 * fs/createDirectory, fs/getMetadata and fs/canonicalize (protocol.md
 * §7.11-§7.14, §7.18).
 *
 * followSymlinks:false is done as the reference does it: every parent
 * directory is opened with O_NOFOLLOW (a symlink there is "Not a
 * directory"), then the last component with O_NOFOLLOW ("Symbolic link
 * loop") or an lstat-like check ("path contains a symbolic link").
 *
 * Reading a large file would hold the loop for a long time, so a file
 * larger than LIM_FS_SLICE is read and encoded LIM_FS_SLICE bytes per
 * loop round, as a job (fsjob.c) that builds the response in place (it
 * can be 700 MB: never copied).  A later call of the same connection
 * that changes files first finishes the pending jobs (fsjob_drain), so
 * it cannot be seen half-applied by them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/jw.h"
#include "base/lim.h"
#include "compat/uri.h"
#include "fs/fs.h"
#include "fs/fsfile.h"
#include "fs/fsjob.h"
#include "sandbox/sandbox.h"

/* --- fs/readFile --------------------------------------------------------- */

/* A large read under way (a job, fsjob.c). */
struct rdjob {
	int		 fd;
	int		 started;	/* the result's head is written */
	size_t		 nread;		/* bytes read so far */
	size_t		 carry;		/* of them, not yet encoded */
	unsigned char	*raw;		/* LIM_FS_SLICE + 3 bytes */
};

static void
rd_free(void *arg)
{
	struct rdjob	*r = arg;

	if (r->fd != -1)
		close(r->fd);
	free(r->raw);
	free(r);
}

/* One slice: read up to LIM_FS_SLICE bytes and encode them into res. */
static int
rd_step(struct fs_job *j, void *arg, struct buf *res)
{
	struct rdjob	*r = arg;
	size_t		 want, enc;
	ssize_t		 n;
	int		 eof = 0;
	char		 why[96];

	if (!r->started) {
		buf_adds(res, "{\"dataBase64\":\"");
		r->started = 1;
	}
	while (r->carry < LIM_FS_SLICE) {
		want = LIM_FS_SLICE - r->carry;
		n = read(r->fd, r->raw + r->carry, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fsjob_fail_errno(j, errno);
			return FSJOB_DONE;
		}
		if (n == 0) {
			eof = 1;
			break;
		}
		r->carry += (size_t)n;
		r->nread += (size_t)n;
		if (r->nread > LIM_FS_READ) {
			snprintf(why, sizeof(why), "file is too large to read: "
			    "limit is %d bytes", LIM_FS_READ);
			fsjob_fail(j, RPC_INVALID_REQUEST, why);
			return FSJOB_DONE;
		}
	}
	/* Encode whole groups of three; the rest waits unless at EOF. */
	want = eof ? r->carry : r->carry - r->carry % 3;
	enc = b64_enc_len(want);
	if (buf_reserve(res, enc + 3) == 0) {
		b64_encode(res->p + res->len, r->raw, want);
		res->len += enc;
	}
	memmove(r->raw, r->raw + want, r->carry - want);
	r->carry -= want;
	if (!eof)
		return FSJOB_MORE;
	buf_adds(res, "\"}");
	return FSJOB_DONE;
}

/* Read a small file now (a /proc file may be larger than it says). */
static void
read_now(struct rpc_call *call, int fd, size_t size)
{
	struct buf	 data = { 0 };
	ssize_t		 n;

	/* The size it says, and one byte to see the end in one read. */
	if (buf_reserve(&data, size + 1) == -1 ||
	    buf_reserve(&call->res, b64_enc_len(size) + 96) == -1) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	for (;;) {
		if (data.cap - data.len < 4096 &&
		    buf_reserve(&data, 65536) == -1) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			goto out;
		}
		n = read(fd, data.p + data.len, data.cap - data.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fs_fail_errno(call, errno);
			goto out;
		}
		if (n == 0)
			break;
		data.len += (size_t)n;
		if (buf_used(&data) > LIM_FS_READ) {
			rpc_fail(call, RPC_INVALID_REQUEST, "file is too large "
			    "to read: limit is %d bytes", LIM_FS_READ);
			goto out;
		}
	}
	jw_obj(&call->w);
	jw_key(&call->w, "dataBase64");
	jw_b64(&call->w, buf_data(&data), buf_used(&data));
	jw_obj_end(&call->w);
out:
	buf_free(&data);
}

/* Queue a large read; the call is answered by the job. */
static void
read_later(struct rpc_call *call, int fd, off_t size)
{
	struct rdjob	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->raw = malloc(LIM_FS_SLICE + 3)) == NULL) {
		free(r);
		close(fd);
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	r->fd = fd;
	fsjob_run(call, FSJOB_LATER, rd_step, rd_free, r,
	    b64_enc_len((size_t)size) + 64);
}

static const struct schema_param read_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_read_file(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	struct stat	 st;
	const char	*last;
	int		 fd = -1, dfd, follow;

	if (fsjob_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	follow = rpc_bool(call, call->params, "followSymlinks", 1);
	if (follow) {
		if (stat(path.p, &st) == -1) {
			fs_fail_errno(call, errno);
			goto out;
		}
		if (!S_ISREG(st.st_mode))
			goto notfile;
		if (st.st_size > LIM_FS_READ)
			goto toobig;
		fd = open(path.p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	} else {
		if ((dfd = fs_open_parent(path.p, &last)) == -1) {
			fs_fail_errno(call, errno);
			goto out;
		}
		fd = openat(dfd, *last ? last : ".", O_RDONLY | O_NOFOLLOW |
		    O_NONBLOCK | O_CLOEXEC);
		close(dfd);
	}
	if (fd == -1 || fstat(fd, &st) == -1) {
		fs_fail_errno(call, errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		if (follow)
			goto notfile;
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "path is not a regular file");
		goto out;
	}
	if (st.st_size > LIM_FS_READ)
		goto toobig;
	if (st.st_size <= LIM_FS_SLICE)
		read_now(call, fd, (size_t)st.st_size);
	else {
		read_later(call, fd, st.st_size);
		fd = -1;
	}
	goto out;
notfile:
	rpc_fail(call, RPC_INVALID_REQUEST, "path `%s` is not a file", path.p);
	goto out;
toobig:
	rpc_fail(call, RPC_INVALID_REQUEST, "file is too large to read: limit "
	    "is %d bytes", LIM_FS_READ);
out:
	if (fd != -1)
		close(fd);
	buf_free(&path);
}

/* --- fs/writeFile -------------------------------------------------------- */

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t	 k;

	while (n > 0) {
		if ((k = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static const struct schema_param write_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "dataBase64", P_STR, P_REQ, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_write_file(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	struct b64_err	 be;
	struct stat	 st;
	const char	*s, *last;
	char		*data = NULL, why[80];
	size_t		 len;
	long long	 n;
	int		 fd = -1, dfd, t;

	if (fsjob_admit(call) == -1)
		goto out;
	/* Without escapes the token's bytes are the string: no copy. */
	t = rpc_arg(call, "dataBase64");
	if (t >= 0 && !call->doc->tok[t].esc) {
		s = call->doc->p + call->doc->tok[t].start + 1;
		len = call->doc->tok[t].end - call->doc->tok[t].start - 2;
	} else
		s = rpc_str(call, t, &len);
	if (s == NULL || (data = malloc(b64_dec_max(len) + 1)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if ((n = b64_decode(data, s, len, &be)) < 0) {
		b64_strerror(&be, why, sizeof(why));
		rpc_fail(call, RPC_INVALID_REQUEST, "fs/writeFile requires "
		    "valid base64 dataBase64: %s", why);
		goto out;
	}
	if (fs_path(call, "path", &path) == -1)
		goto out;
	fsjob_drain(call->rc);
	if (rpc_bool(call, call->params, "followSymlinks", 1)) {
		/* O_NONBLOCK: a FIFO without a reader must not hang us. */
		fd = open(path.p, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK |
		    O_CLOEXEC, 0666);
		if (fd == -1)
			goto err;
	} else {
		if ((dfd = fs_open_parent(path.p, &last)) == -1)
			goto err;
		fd = openat(dfd, *last ? last : ".", O_WRONLY | O_CREAT |
		    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
		close(dfd);
		if (fd == -1 || fstat(fd, &st) == -1)
			goto err;
		if (!S_ISREG(st.st_mode)) {
			rpc_fail(call, RPC_INVALID_REQUEST,
			    "path is not a regular file");
			goto out;
		}
		if (ftruncate(fd, 0) == -1)
			goto err;
	}
	if (write_all(fd, data, (size_t)n) == -1)
		goto err;
	jw_obj(&call->w);
	jw_obj_end(&call->w);
	goto out;
err:
	fs_fail_errno(call, errno);
out:
	if (fd != -1)
		close(fd);
	free(data);
	buf_free(&path);
}

/* --- fs/createDirectory -------------------------------------------------- */

/* Recursive, never following a symlink: each step is opened O_NOFOLLOW. */
static int
mkdir_nofollow(const char *path)
{
	const char	*p = path, *e;
	char		 comp[NAME_MAX + 1];
	size_t		 n;
	int		 fd, nfd;

	if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return errno;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		e = strchrnul(p, '/');
		if ((n = (size_t)(e - p)) > NAME_MAX) {
			close(fd);
			return ENAMETOOLONG;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (mkdirat(fd, comp, 0777) == -1 && errno != EEXIST)
			goto fail;
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (nfd == -1)
			goto fail;
		close(fd);
		fd = nfd;
		p = e;
	}
	close(fd);
	return 0;
fail:
	n = (size_t)errno;
	close(fd);
	return (int)n;
}

static const struct schema_param mkdir_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "recursive", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_create_directory(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	const char	*last;
	int		 e = 0, dfd, rec, follow;

	if (fsjob_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	rec = rpc_bool(call, call->params, "recursive", 1);
	follow = rpc_bool(call, call->params, "followSymlinks", 1);
	fsjob_drain(call->rc);
	if (follow && rec)
		e = fs_mkdir_all(path.p);
	else if (follow)
		e = mkdir(path.p, 0777) == -1 ? errno : 0;
	else if (rec)
		e = mkdir_nofollow(path.p);
	else if ((dfd = fs_open_parent(path.p, &last)) == -1)
		e = errno;
	else {
		e = mkdirat(dfd, *last ? last : ".", 0777) == -1 ? errno : 0;
		close(dfd);
	}
	if (e != 0)
		fs_fail_errno(call, e);
	else {
		jw_obj(&call->w);
		jw_obj_end(&call->w);
	}
out:
	buf_free(&path);
}

/* --- fs/getMetadata ------------------------------------------------------ */

#ifndef STATX_BTIME
/*
 * A libc without statx() (musl before 1.2.5, used by `make static`): the
 * kernel's structure, whose layout is a stable ABI, and the raw syscall.
 */
#define STATX_BASIC_STATS	0x07ffU
#define STATX_BTIME		0x0800U

struct statx_timestamp {
	int64_t		 tv_sec;
	uint32_t	 tv_nsec;
	int32_t		 reserved_;
};

struct statx {
	uint32_t		 stx_mask;
	uint32_t		 stx_blksize;
	uint64_t		 stx_attributes;
	uint32_t		 stx_nlink;
	uint32_t		 stx_uid;
	uint32_t		 stx_gid;
	uint16_t		 stx_mode;
	uint16_t		 spare0_;
	uint64_t		 stx_ino;
	uint64_t		 stx_size;
	uint64_t		 stx_blocks;
	uint64_t		 stx_attributes_mask;
	struct statx_timestamp	 stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t		 stx_rdev_major, stx_rdev_minor;
	uint32_t		 stx_dev_major, stx_dev_minor;
	uint64_t		 spare2_[14];
};

static int
statx(int dfd, const char *path, int flags, unsigned mask, struct statx *sx)
{
#ifdef SYS_statx
	return (int)syscall(SYS_statx, dfd, path, flags, mask, sx);
#else
	errno = ENOSYS;
	return -1;
#endif
}
#endif

static const struct schema_param meta_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_get_metadata(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	struct statx	 sx;
	struct stat	 st;
	const char	*last;
	int64_t		 created = 0, modified;
	int		 dfd, link = 0, r;

	if (fsjob_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	if (rpc_bool(call, call->params, "followSymlinks", 1)) {
		/* isSymlink from lstat, the rest from the target. */
		if (lstat(path.p, &st) == -1)
			goto err;
		link = S_ISLNK(st.st_mode);
		if (stat(path.p, &st) == -1)
			goto err;
		modified = fs_ms(&st.st_mtim);
	} else {
		if ((dfd = fs_open_parent(path.p, &last)) == -1)
			goto err;
		r = statx(dfd, last, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH,
		    STATX_BASIC_STATS | STATX_BTIME, &sx);
		close(dfd);
		if (r == -1)
			goto err;
		if (S_ISLNK(sx.stx_mode)) {
			rpc_fail(call, RPC_INVALID_REQUEST,
			    "path contains a symbolic link");
			goto out;
		}
		st.st_mode = sx.stx_mode;
		st.st_size = (off_t)sx.stx_size;
		modified = (int64_t)sx.stx_mtime.tv_sec * 1000 +
		    sx.stx_mtime.tv_nsec / 1000000;
		if (sx.stx_mask & STATX_BTIME)
			created = (int64_t)sx.stx_btime.tv_sec * 1000 +
			    sx.stx_btime.tv_nsec / 1000000;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "isDirectory");
	jw_bool(&call->w, S_ISDIR(st.st_mode));
	jw_key(&call->w, "isFile");
	jw_bool(&call->w, S_ISREG(st.st_mode));
	jw_key(&call->w, "isSymlink");
	jw_bool(&call->w, link);
	jw_key(&call->w, "size");
	jw_u64(&call->w, (uint64_t)st.st_size);
	/* The reference (musl std) has no birth time when following. */
	jw_key(&call->w, "createdAtMs");
	jw_i64(&call->w, created);
	jw_key(&call->w, "modifiedAtMs");
	jw_i64(&call->w, modified);
	jw_obj_end(&call->w);
	goto out;
err:
	fs_fail_errno(call, errno);
out:
	buf_free(&path);
}

/* --- fs/canonicalize ----------------------------------------------------- */

static const struct schema_param canon_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_canonicalize(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	char		*real = NULL;

	if (fsjob_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	if ((real = realpath(path.p, NULL)) == NULL) {
		fs_fail_errno(call, errno);
		goto out;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "path");
	uri_put(&call->w, real);
	jw_obj_end(&call->w);
out:
	free(real);
	buf_free(&path);
}

static const struct rpc_method methods[] = {
	{ "fs/readFile", "filesystem", "WireFsReadFileParams", read_params,
	    m_read_file },
	{ "fs/writeFile", "filesystem", "WireFsWriteFileParams", write_params,
	    m_write_file },
	{ "fs/createDirectory", "filesystem", "WireFsCreateDirectoryParams",
	    mkdir_params, m_create_directory },
	{ "fs/getMetadata", "filesystem", "WireFsGetMetadataParams",
	    meta_params, m_get_metadata },
	{ "fs/canonicalize", "filesystem", "WireFsCanonicalizeParams",
	    canon_params, m_canonicalize },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module fsfile_module = { methods, NULL, NULL, NULL };
