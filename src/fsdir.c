/*
 * fsdir.c: fs/readDirectory, fs/remove and fs/copy (protocol.md §7.15-
 * §7.17).  Names reach the client as Rust's String::from_utf8_lossy()
 * would have them.  Trees are removed without ever following a symlink
 * (std's remove_dir_all) and copied the reference's way: directories,
 * files and symlinks, other types skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "lim.h"
#include "uri.h"

/* --- fs/readDirectory ---------------------------------------------------- */

static const struct rpc_param readdir_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	FS_SANDBOX,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_read_directory(struct rpc_call *call)
{
	struct buf	 path = { 0 }, name = { 0 };
	struct dirent	*de;
	struct stat	 st;
	DIR		*d = NULL;
	int		 fd;

	if (fs_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	if ((fd = open(path.p, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(fd)) == NULL) {
		fs_fail_errno(call, errno);
		if (fd != -1)
			close(fd);
		goto out;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "entries");
	jw_arr(&call->w);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (fs_dots(de->d_name))
			continue;
		/* Classified through symlinks; what cannot be is left out. */
		if (fstatat(dirfd(d), de->d_name, &st, 0) == -1)
			continue;
		buf_reset(&name);
		fs_lossy(&name, de->d_name, strlen(de->d_name));
		jw_obj(&call->w);
		jw_key(&call->w, "fileName");
		jw_str(&call->w, buf_data(&name), buf_used(&name));
		jw_key(&call->w, "isDirectory");
		jw_bool(&call->w, S_ISDIR(st.st_mode));
		jw_key(&call->w, "isFile");
		jw_bool(&call->w, S_ISREG(st.st_mode));
		jw_obj_end(&call->w);
	}
	if (errno != 0) {
		buf_reset(&call->res);
		fs_fail_errno(call, errno);
		goto out;
	}
	jw_arr_end(&call->w);
	jw_obj_end(&call->w);
out:
	if (d != NULL)
		closedir(d);
	buf_free(&name);
	buf_free(&path);
}

/* --- fs/remove ----------------------------------------------------------- */

/* std's remove_dir_all_recursive: never follows, ignores vanished names. */
static int
rmtree_at(int pfd, const char *name)
{
	struct dirent	*de;
	DIR		*d;
	int		 fd, e = 0;

	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1) {
		if (errno != ENOTDIR && errno != ELOOP)
			return errno == ENOENT ? 0 : errno;
		if (pfd == AT_FDCWD)
			return errno;
		return unlinkat(pfd, name, 0) == -1 && errno != ENOENT ?
		    errno : 0;
	}
	if ((d = fdopendir(fd)) == NULL) {
		e = errno;
		close(fd);
		return e;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (fs_dots(de->d_name))
			continue;
		if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN)
			e = rmtree_at(dirfd(d), de->d_name);
		else
			e = unlinkat(dirfd(d), de->d_name, 0) == -1 ? errno : 0;
		if (e != 0 && e != ENOENT)
			break;
		e = 0;
	}
	if (e == 0 && errno != 0)
		e = errno;
	closedir(d);
	if (e != 0)
		return e;
	if (unlinkat(pfd, name, AT_REMOVEDIR) == -1 && errno != ENOENT)
		return errno;
	return 0;
}

static const struct rpc_param remove_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "recursive", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ "force", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	FS_SANDBOX,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_remove(struct rpc_call *call)
{
	struct buf	 path = { 0 };
	struct stat	 st;
	const char	*last;
	int		 rec, force, e = 0, dfd;

	if (fs_admit(call) == -1 || fs_path(call, "path", &path) == -1)
		goto out;
	rec = rpc_bool(call, call->params, "recursive", 1);
	force = rpc_bool(call, call->params, "force", 1);
	if (!rpc_bool(call, call->params, "followSymlinks", 1)) {
		if (rec) {
			rpc_fail(call, RPC_INTERNAL,
			    "recursive no-follow removal is unsupported");
			goto out;
		}
		fs_drain(call->rc);
		if ((dfd = fs_open_parent(path.p, &last)) == -1)
			e = errno;
		else {
			if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW |
			    AT_EMPTY_PATH) == -1)
				e = errno;
			else if (S_ISLNK(st.st_mode)) {
				close(dfd);
				rpc_fail(call, RPC_INVALID_REQUEST,
				    "path contains a symbolic link");
				goto out;
			} else if (unlinkat(dfd, *last ? last : ".",
			    S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) == -1)
				e = errno;
			close(dfd);
		}
	} else {
		fs_drain(call->rc);
		if (lstat(path.p, &st) == -1)
			e = errno;
		else if (!S_ISDIR(st.st_mode))
			e = unlink(path.p) == -1 ? errno : 0;
		else if (!rec)
			e = rmdir(path.p) == -1 ? errno : 0;
		else
			e = rmtree_at(AT_FDCWD, path.p);
	}
	if (e == ENOENT && force)
		e = 0;
	if (e != 0) {
		fs_fail_errno(call, e);
		goto out;
	}
	jw_obj(&call->w);
	jw_obj_end(&call->w);
out:
	buf_free(&path);
}

/* --- fs/copy ------------------------------------------------------------- */

/* std::fs::copy, except that a file copied onto itself is left alone. */
static int
copy_file(const char *from, const char *to)
{
	struct stat	 st, dst;
	char		 tmp[65536];
	ssize_t		 n, w, k;
	int		 in, out = -1, e = 0;

	if ((in = open(from, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return errno;
	if (fstat(in, &st) == -1) {
		e = errno;
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		e = EINVAL;
		goto done;
	}
	if (stat(to, &dst) == 0 && dst.st_dev == st.st_dev &&
	    dst.st_ino == st.st_ino)
		goto done;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC,
	    st.st_mode & 07777);
	if (out == -1 || fstat(out, &dst) == -1) {
		e = errno;
		goto done;
	}
	if (S_ISREG(dst.st_mode) && fchmod(out, st.st_mode & 07777) == -1) {
		e = errno;
		goto done;
	}
	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n > 0)
			continue;
		if (n == 0)
			goto done;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP && errno != EPERM) {
			e = errno;
			goto done;
		}
		break;
	}
	/* The kernel cannot copy between these: read and write. */
	while ((n = read(in, tmp, sizeof(tmp))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			goto done;
		}
		for (w = 0; w < n; w += k)
			if ((k = write(out, tmp + w, (size_t)(n - w))) == -1) {
				if (errno == EINTR) {
					k = 0;
					continue;
				}
				e = errno;
				goto done;
			}
	}
done:
	if (out != -1)
		close(out);
	close(in);
	return e;
}

static int
copy_link(const char *from, const char *to)
{
	char	 target[LIM_PATH + 1];
	ssize_t	 n;

	if ((n = readlink(from, target, sizeof(target) - 1)) == -1)
		return errno;
	target[n] = '\0';
	return symlink(target, to) == -1 ? errno : 0;
}

/* The reference's copy_dir_recursive: other file types are skipped. */
static int
copy_tree(struct buf *from, struct buf *to)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 fl = from->len, tl = to->len;
	int		 e;

	if ((e = fs_mkdir_all(to->p)) != 0)
		return e;
	if ((d = opendir(from->p)) == NULL)
		return errno;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (fs_dots(de->d_name))
			continue;
		from->len = fl;
		to->len = tl;
		buf_addf(from, "/%s", de->d_name);
		buf_addf(to, "/%s", de->d_name);
		if (from->oom || to->oom) {
			e = ENOMEM;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1)
			e = errno;
		else if (S_ISDIR(st.st_mode))
			e = copy_tree(from, to);
		else if (S_ISREG(st.st_mode))
			e = copy_file(from->p, to->p);
		else if (S_ISLNK(st.st_mode))
			e = copy_link(from->p, to->p);
		if (e != 0)
			break;
	}
	if (de == NULL && errno != 0)
		e = errno;
	closedir(d);
	from->len = fl;
	to->len = tl;
	from->p[fl] = '\0';
	to->p[tl] = '\0';
	return e;
}

/*
 * Is dst (which need not exist yet) src or inside it?  Compared as real
 * paths: the longest existing prefix of dst is resolved.
 */
static int
inside(const char *src, const char *dst)
{
	struct buf	 d = { 0 };
	char		*rs, *rd = NULL, *cut = NULL;
	size_t		 n;
	int		 in = 0;

	if ((rs = realpath(src, NULL)) == NULL)
		return 0;
	buf_adds(&d, dst);
	buf_addc(&d, '\0');
	if (d.oom)
		goto out;
	for (;;) {
		if ((rd = realpath(d.p, NULL)) != NULL)
			break;
		if ((cut = strrchr(d.p, '/')) == NULL)
			goto out;
		if (cut == d.p) {
			rd = strdup("/");
			break;
		}
		*cut = '\0';
	}
	if (rd == NULL)
		goto out;
	n = strlen(rs);
	/* rd + the unresolved rest of dst. */
	in = strncmp(rd, rs, n) == 0 && (rd[n] == '\0' || rd[n] == '/' ||
	    n == 1);
out:
	free(rs);
	free(rd);
	buf_free(&d);
	return in;
}

static const struct rpc_param copy_params[] = {
	{ "sourcePath", P_URI, P_REQ, NULL, NULL, NULL },
	{ "destinationPath", P_URI, P_REQ, NULL, NULL, NULL },
	{ "recursive", P_BOOL, P_REQ, NULL, NULL, NULL },
	FS_SANDBOX,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_copy(struct rpc_call *call)
{
	struct buf	 src = { 0 }, dst = { 0 };
	struct stat	 st;
	int		 e;

	if (fs_admit(call) == -1 || fs_path(call, "sourcePath", &src) == -1 ||
	    fs_path(call, "destinationPath", &dst) == -1)
		goto out;
	fs_drain(call->rc);
	if (lstat(src.p, &st) == -1) {
		fs_fail_errno(call, errno);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!rpc_bool(call, call->params, "recursive", 0)) {
			rpc_fail(call, RPC_INVALID_REQUEST, "fs/copy requires "
			    "recursive: true when sourcePath is a directory");
			goto out;
		}
		if (inside(src.p, dst.p)) {
			rpc_fail(call, RPC_INVALID_REQUEST, "fs/copy cannot copy "
			    "a directory to itself or one of its descendants");
			goto out;
		}
		e = copy_tree(&src, &dst);
	} else if (S_ISLNK(st.st_mode))
		e = copy_link(src.p, dst.p);
	else if (S_ISREG(st.st_mode))
		e = copy_file(src.p, dst.p);
	else {
		rpc_fail(call, RPC_INVALID_REQUEST, "fs/copy only supports "
		    "regular files, directories, and symlinks");
		goto out;
	}
	if (e != 0) {
		fs_fail_errno(call, e);
		goto out;
	}
	jw_obj(&call->w);
	jw_obj_end(&call->w);
out:
	buf_free(&src);
	buf_free(&dst);
}

const struct rpc_method fsdir_methods[] = {
	{ "fs/readDirectory", "filesystem", "WireFsReadDirectoryParams",
	    readdir_params, m_read_directory },
	{ "fs/remove", "filesystem", "WireFsRemoveParams", remove_params,
	    m_remove },
	{ "fs/copy", "filesystem", "WireFsCopyParams", copy_params, m_copy },
	{ NULL, NULL, NULL, NULL, NULL }
};
