/*
 * fs.c: what the filesystem methods share: the error mapping, admission
 * (--no-local-fs, and the sandbox decision of sandbox/sandbox.c), URIs
 * to normalised paths, the no-follow walk to a parent directory and
 * create_dir_all.  It calls no other module of fs/: they all build on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/lim.h"
#include "compat/oserr.h"
#include "compat/uri.h"
#include "fs/fs.h"
#include "fs/fsbox.h"

static int	 disabled;

void
fs_set_disabled(int on)
{
	disabled = on;
}

int
fs_is_disabled(void)
{
	return disabled;
}

/* --- errors -------------------------------------------------------------- */

/* Rust's io::ErrorKind of errno, mapped as the reference maps kinds. */
int
fs_errcode(int e)
{
	switch (e) {
	case ENOENT:
		return RPC_NOT_FOUND;
	case EACCES:
	case EPERM:
	case EINVAL:
		return RPC_INVALID_REQUEST;
	}
	return RPC_INTERNAL;
}

void
fs_errmsg(struct buf *b, int e)
{
	oserr_fmt(b, e);
}

void
fs_fail_errno(struct rpc_call *call, int e)
{
	rpc_fail(call, fs_errcode(e), "%s (os error %d)", oserr_str(e), e);
}

/* --- admission: --no-local-fs and sandboxes ------------------------------ */

int
fs_admit(struct rpc_call *call)
{
	if (disabled) {
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "local filesystem access is disabled for this runtime");
		return -1;
	}
	return fsbox_admit(call);
}

/* --- paths --------------------------------------------------------------- */

int
fs_uri_path(const char *s, size_t len, struct buf *path, int *code,
    struct buf *msg)
{
	if (uri_abspath(s, len, path, code, msg) == -1)
		return -1;
	if (path->oom) {
		*code = RPC_INTERNAL;
		buf_adds(msg, "out of memory");
		return -1;
	}
	return 0;
}

int
fs_path_tok(struct rpc_call *call, int tok, struct buf *path)
{
	struct buf	 msg = { 0 };
	const char	*s;
	size_t		 len;
	int		 code, rc = 0;

	if (tok < 0 || (s = rpc_str(call, tok, &len)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return -1;
	}
	if (fs_uri_path(s, len, path, &code, &msg) == -1) {
		rpc_fail(call, code, "%.*s", (int)buf_used(&msg),
		    buf_data(&msg));
		rc = -1;
	} else if (fsbox_hidden(buf_data(path))) {
		fs_fail_errno(call, ENOENT);
		rc = -1;
	}
	buf_free(&msg);
	return rc;
}

int
fs_path(struct rpc_call *call, const char *name, struct buf *path)
{
	return fs_path_tok(call, rpc_arg(call, name), path);
}

int
fs_open_parent(const char *path, const char **last)
{
	const char	*p = path, *e;
	char		 comp[NAME_MAX + 1];
	int		 fd, nfd;

	if ((fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		while (*p == '/')
			p++;
		if ((e = strchr(p, '/')) == NULL) {
			*last = p;
			return fd;
		}
		if ((size_t)(e - p) > NAME_MAX) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, (size_t)(e - p));
		comp[e - p] = '\0';
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(fd);
		if (nfd == -1)
			return -1;
		fd = nfd;
		p = e;
	}
}

int64_t
fs_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

/* --- shared by the methods ---------------------------------------------- */

int
fs_dots(const char *n)
{
	return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

void
fs_lossy(struct buf *b, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, need, k;
	unsigned char		 lo, hi;

	while (i < n) {
		if (p[i] < 0x80) {
			buf_addc(b, (char)p[i++]);
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			need = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			need = 2;
			if (p[i] == 0xe0)
				lo = 0xa0;
			else if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			need = 3;
			if (p[i] == 0xf0)
				lo = 0x90;
			else if (p[i] == 0xf4)
				hi = 0x8f;
		} else {
			buf_adds(b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		for (k = 1; k <= need && i + k < n; k++) {
			if (p[i + k] < lo || p[i + k] > hi)
				break;
			lo = 0x80;
			hi = 0xbf;
		}
		if (k <= need) {
			buf_adds(b, "\xef\xbf\xbd");
			i += k;
		} else {
			buf_add(b, p + i, need + 1);
			i += need + 1;
		}
	}
}


static int
is_dir(const char *p)
{
	struct stat	 st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* std::fs::create_dir_all, step for step: 0 or an errno. */
int
fs_mkdir_all(char *p)
{
	char	*slash;
	int	 rc;

	if (mkdir(p, 0777) == 0)
		return 0;
	if ((rc = errno) != ENOENT)
		return is_dir(p) ? 0 : rc;
	if ((slash = strrchr(p, '/')) == NULL || slash == p)
		return errno;
	*slash = '\0';
	rc = fs_mkdir_all(p);
	*slash = '/';
	if (rc != 0)
		return rc;
	if (mkdir(p, 0777) == 0)
		return 0;
	rc = errno;
	return is_dir(p) ? 0 : rc;
}
