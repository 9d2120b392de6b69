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

#include "base/jw.h"
#include "base/lim.h"
#include "compat/uri.h"
#include "fs/fs.h"
#include "fs/fsdir.h"
#include "fs/fsjob.h"
#include "sandbox/sandbox.h"

/* --- fs/readDirectory ---------------------------------------------------- */

static const struct schema_param readdir_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	SANDBOX_PARAM,
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

	if (fsjob_admit(call) == -1 || fs_path(call, "path", &path) == -1)
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

/* --- open directories of a removal or a copy ---------------------------- */

/*
 * The recursion of std's remove_dir_all and of the reference's
 * copy_dir_recursive, made a stack so that it can stop after any entry
 * and go on in the next loop round.  Each level holds its directory open,
 * as the recursion did.
 */
struct frame {
	DIR		*d;
	char		*name;		/* remove: its name in the parent */
	size_t		 fl, tl;	/* copy: lengths of the two paths */
};

struct stack {
	struct frame	*v;
	size_t		 n, cap;
};

/* A new top frame for d, or NULL (ENOMEM: d is left to the caller). */
static struct frame *
push(struct stack *s, DIR *d)
{
	struct frame	*v;
	size_t		 cap;

	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 16;
		if ((v = reallocarray(s->v, cap, sizeof(*v))) == NULL)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	s->v[s->n].d = d;
	return &s->v[s->n++];
}

static void
pop(struct stack *s)
{
	struct frame	*f = &s->v[--s->n];

	closedir(f->d);
	free(f->name);
}

static void
stack_free(struct stack *s)
{
	while (s->n > 0)
		pop(s);
	free(s->v);
}

/* --- fs/remove ----------------------------------------------------------- */

struct rm {
	struct buf	 path;
	int		 rec, force, follow;
	int		 started;
	struct stack	 st;
};

static void
rm_free(void *arg)
{
	struct rm	*r = arg;

	stack_free(&r->st);
	buf_free(&r->path);
	free(r);
}

/*
 * The start of std's remove_dir_all_recursive for name under pfd: a new
 * frame for the directory, or, when there is none, what removing name
 * came to (0 or an errno).  Never follows; vanished names are no error.
 */
static int
rm_open(struct rm *r, int pfd, const char *name)
{
	struct frame	*f;
	DIR		*d;
	int		 fd, e;

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
	if ((f = push(&r->st, d)) == NULL || (f->name = strdup(name)) == NULL) {
		if (f != NULL)
			r->st.n--;
		closedir(d);
		return ENOMEM;
	}
	return 0;
}

/*
 * The top directory is done with e (0: emptied): close it and, when it
 * is empty, remove it.  Returns its result, which is its parent's entry
 * result (or the tree's, for the last one).
 */
static int
rm_close(struct rm *r, int e)
{
	struct frame	*f = &r->st.v[r->st.n - 1];
	char		*name = f->name;
	int		 pfd;

	f->name = NULL;
	pop(&r->st);
	pfd = r->st.n > 0 ? dirfd(r->st.v[r->st.n - 1].d) : AT_FDCWD;
	if (e == 0 && unlinkat(pfd, name, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT)
		e = errno;
	free(name);
	return e;
}

/* One slice of the tree: -1 while not done, else the result. */
static int
rm_tree(struct fs_job *j, struct rm *r)
{
	struct dirent	*de;
	DIR		*d;
	int		 e;

	while (r->st.n > 0) {
		if (!fsjob_more(j))
			return -1;
		d = r->st.v[r->st.n - 1].d;
		errno = 0;
		if ((de = readdir(d)) == NULL)
			e = rm_close(r, errno);
		else if (fs_dots(de->d_name))
			continue;
		else if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN)
			e = rm_open(r, dirfd(d), de->d_name);
		else
			e = unlinkat(dirfd(d), de->d_name, 0) == -1 ? errno : 0;
		/* An entry's error ends its directory, and so on up. */
		while (e != 0 && e != ENOENT && r->st.n > 0)
			e = rm_close(r, e);
		if (r->st.n == 0)
			return e;
	}
	return 0;
}

/* followSymlinks:false: one entry, a symlink refused. */
static int
rm_nofollow(struct fs_job *j, const char *path)
{
	struct stat	 st;
	const char	*last;
	int		 dfd, e = 0;

	if ((dfd = fs_open_parent(path, &last)) == -1)
		return errno;
	if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) == -1)
		e = errno;
	else if (S_ISLNK(st.st_mode)) {
		fsjob_fail(j, RPC_INVALID_REQUEST,
		    "path contains a symbolic link");
		e = -1;
	} else if (unlinkat(dfd, *last ? last : ".",
	    S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) == -1)
		e = errno;
	close(dfd);
	return e;
}

static int
rm_step(struct fs_job *j, void *arg, struct buf *res)
{
	struct rm	*r = arg;
	struct stat	 st;
	const char	*p = r->path.p;
	int		 e = 0;

	if (!r->started) {
		r->started = 1;
		if (!r->follow)
			e = rm_nofollow(j, p);
		else if (lstat(p, &st) == -1)
			e = errno;
		else if (!S_ISDIR(st.st_mode))
			e = unlink(p) == -1 ? errno : 0;
		else if (!r->rec)
			e = rmdir(p) == -1 ? errno : 0;
		else
			e = rm_open(r, AT_FDCWD, p);
		if (e == -1)
			return FSJOB_DONE;
	}
	if (r->st.n > 0 && (e = rm_tree(j, r)) == -1)
		return FSJOB_MORE;
	if (e == ENOENT && r->force)
		e = 0;
	if (e != 0)
		fsjob_fail_errno(j, e);
	else
		buf_adds(res, "{}");
	return FSJOB_DONE;
}

static const struct schema_param remove_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "recursive", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ "force", P_BOOL, P_NULL, NULL, NULL, NULL },
	{ "followSymlinks", P_BOOL, P_NULL, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_remove(struct rpc_call *call)
{
	struct rm	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	if (fs_admit(call) == -1 || fs_path(call, "path", &r->path) == -1)
		goto fail;
	r->rec = rpc_bool(call, call->params, "recursive", 1);
	r->force = rpc_bool(call, call->params, "force", 1);
	r->follow = rpc_bool(call, call->params, "followSymlinks", 1);
	if (!r->follow && r->rec) {
		rpc_fail(call, RPC_INTERNAL,
		    "recursive no-follow removal is unsupported");
		goto fail;
	}
	fsjob_run(call, FSJOB_CHANGES, rm_step, rm_free, r, 0);
	return;
fail:
	rm_free(r);
}

/* --- fs/copy ------------------------------------------------------------- */

/* File data is copied this much at a time, each chunk one entry. */
#define COPY_CHUNK	(1024 * 1024)

/* One file being copied; in is -1 when none is. */
struct fcopy {
	int		 in, out;
	int		 rw;		/* the kernel cannot copy these */
};

static void
file_close(struct fcopy *f)
{
	if (f->out != -1)
		close(f->out);
	if (f->in != -1)
		close(f->in);
	f->in = f->out = -1;
}

/*
 * std::fs::copy, except that a file copied onto itself is left alone:
 * open both ends (in stays -1 when there is nothing to copy).  0 or an
 * errno.
 */
static int
file_open(struct fcopy *f, const char *from, const char *to)
{
	struct stat	 st, dst;
	int		 e = 0;

	f->rw = 0;
	if ((f->in = open(from, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return errno;
	if (fstat(f->in, &st) == -1) {
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
	f->out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK |
	    O_CLOEXEC, st.st_mode & 07777);
	if (f->out == -1 || fstat(f->out, &dst) == -1) {
		e = errno;
		goto done;
	}
	if (S_ISREG(dst.st_mode) && fchmod(f->out, st.st_mode & 07777) == -1) {
		e = errno;
		goto done;
	}
	return 0;
done:
	file_close(f);
	return e;
}

/*
 * Copy one chunk of at most COPY_CHUNK bytes, counted off *left.  0 or an
 * errno; the file is finished (and closed) when f->in is -1 again.
 */
static int
file_more(struct fcopy *f, size_t *left)
{
	char	 tmp[65536];
	size_t	 want = *left < COPY_CHUNK ? *left : COPY_CHUNK;
	ssize_t	 n, w, k;
	int	 e = 0;

	while (!f->rw && want > 0) {
		n = copy_file_range(f->in, NULL, f->out, NULL, want, 0);
		if (n > 0) {
			want -= (size_t)n;
			*left -= (size_t)n;
			continue;
		}
		if (n == 0)
			goto done;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP && errno != EPERM) {
			e = errno;
			goto done;
		}
		f->rw = 1;
	}
	/* The kernel cannot copy between these: read and write. */
	while (f->rw && want > 0) {
		n = read(f->in, tmp, want < sizeof(tmp) ? want : sizeof(tmp));
		if (n == 0)
			goto done;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			e = errno;
			goto done;
		}
		for (w = 0; w < n; w += k)
			if ((k = write(f->out, tmp + w, (size_t)(n - w))) == -1) {
				if (errno == EINTR) {
					k = 0;
					continue;
				}
				e = errno;
				goto done;
			}
		want -= (size_t)n;
		*left -= (size_t)n;
	}
	return 0;
done:
	file_close(f);
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

struct copy {
	struct buf	 from, to;	/* the entry at hand */
	int		 recursive;
	int		 started;
	struct stack	 st;		/* directories being copied */
	struct fcopy	 f;		/* a file being copied */
};

static void
copy_free(void *arg)
{
	struct copy	*c = arg;

	file_close(&c->f);
	stack_free(&c->st);
	buf_free(&c->from);
	buf_free(&c->to);
	free(c);
}

/* The start of copy_dir_recursive: create `to`, open `from`. */
static int
copy_enter(struct copy *c)
{
	struct frame	*f;
	DIR		*d;
	int		 e;

	if ((e = fs_mkdir_all(c->to.p)) != 0)
		return e;
	if ((d = opendir(c->from.p)) == NULL)
		return errno;
	if ((f = push(&c->st, d)) == NULL) {
		closedir(d);
		return ENOMEM;
	}
	f->fl = c->from.len;
	f->tl = c->to.len;
	return 0;
}

/* Back to the directory of the top frame. */
static void
copy_back(struct copy *c)
{
	struct frame	*f = &c->st.v[c->st.n - 1];

	c->from.len = f->fl;
	c->to.len = f->tl;
	c->from.p[f->fl] = '\0';
	c->to.p[f->tl] = '\0';
}

/*
 * What is at `from`: a directory is entered, a file opened, a link made,
 * other types skipped (the reference's copy_dir_recursive).  0 or an
 * errno.
 */
static int
copy_entry(struct copy *c, int dfd, const char *name)
{
	struct stat	 st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno;
	if (S_ISDIR(st.st_mode))
		return copy_enter(c);
	if (S_ISREG(st.st_mode))
		return file_open(&c->f, c->from.p, c->to.p);
	if (S_ISLNK(st.st_mode))
		return copy_link(c->from.p, c->to.p);
	return 0;
}

/* What sourcePath is decides: -1 after fsjob_fail(), else 0 or errno. */
static int
copy_start(struct fs_job *j, struct copy *c)
{
	struct stat	 st;

	if (lstat(c->from.p, &st) == -1)
		return errno;
	if (S_ISDIR(st.st_mode)) {
		if (!c->recursive) {
			fsjob_fail(j, RPC_INVALID_REQUEST, "fs/copy requires "
			    "recursive: true when sourcePath is a directory");
			return -1;
		}
		if (inside(c->from.p, c->to.p)) {
			fsjob_fail(j, RPC_INVALID_REQUEST, "fs/copy cannot "
			    "copy a directory to itself or one of its "
			    "descendants");
			return -1;
		}
		return copy_enter(c);
	}
	if (S_ISLNK(st.st_mode))
		return copy_link(c->from.p, c->to.p);
	if (S_ISREG(st.st_mode))
		return file_open(&c->f, c->from.p, c->to.p);
	fsjob_fail(j, RPC_INVALID_REQUEST, "fs/copy only supports regular "
	    "files, directories, and symlinks");
	return -1;
}

/* One slice: entries as fsjob_more() allows, LIM_FS_JOB_BYTES of data. */
static int
copy_step(struct fs_job *j, void *arg, struct buf *res)
{
	struct copy	*c = arg;
	struct dirent	*de;
	DIR		*d;
	size_t		 left = LIM_FS_JOB_BYTES;
	int		 e = 0;

	if (!c->started) {
		c->started = 1;
		if ((e = copy_start(j, c)) == -1)
			return FSJOB_DONE;
	}
	while (e == 0) {
		if (c->f.in != -1) {
			if (left == 0 || !fsjob_more(j))
				return FSJOB_MORE;
			e = file_more(&c->f, &left);
			continue;
		}
		if (c->st.n == 0)
			break;
		if (!fsjob_more(j))
			return FSJOB_MORE;
		copy_back(c);
		d = c->st.v[c->st.n - 1].d;
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if ((e = errno) == 0)
				pop(&c->st);
			continue;
		}
		if (fs_dots(de->d_name))
			continue;
		buf_addf(&c->from, "/%s", de->d_name);
		buf_addf(&c->to, "/%s", de->d_name);
		if (c->from.oom || c->to.oom)
			e = ENOMEM;
		else
			e = copy_entry(c, dirfd(d), de->d_name);
	}
	if (e != 0)
		fsjob_fail_errno(j, e);
	else
		buf_adds(res, "{}");
	return FSJOB_DONE;
}

static const struct schema_param copy_params[] = {
	{ "sourcePath", P_URI, P_REQ, NULL, NULL, NULL },
	{ "destinationPath", P_URI, P_REQ, NULL, NULL, NULL },
	{ "recursive", P_BOOL, P_REQ, NULL, NULL, NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_copy(struct rpc_call *call)
{
	struct copy	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	c->f.in = c->f.out = -1;
	if (fs_admit(call) == -1 ||
	    fs_path(call, "sourcePath", &c->from) == -1 ||
	    fs_path(call, "destinationPath", &c->to) == -1) {
		copy_free(c);
		return;
	}
	c->recursive = rpc_bool(call, call->params, "recursive", 0);
	fsjob_run(call, FSJOB_CHANGES, copy_step, copy_free, c, 0);
}

static const struct rpc_method methods[] = {
	{ "fs/readDirectory", "filesystem", "WireFsReadDirectoryParams",
	    readdir_params, m_read_directory },
	{ "fs/remove", "filesystem", "WireFsRemoveParams", remove_params,
	    m_remove },
	{ "fs/copy", "filesystem", "WireFsCopyParams", copy_params, m_copy },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module fsdir_module = { methods, NULL, NULL, NULL };
