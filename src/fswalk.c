/*
 * fswalk.c: fs/walk (protocol.md §7.19), the reference's algorithm:
 * breadth first, each directory's names sorted bytewise, every name
 * counted against maxEntries (skipped symlinks too), directories counted
 * against maxDirectories (the root included), links to directories
 * followed only on request and each directory entered once, the answer
 * capped at LIM_WALK_BYTES.
 *
 * Each child's URI is built the way the reference joins URI segments, so
 * a name with a tab or newline (which URL parsing drops) or with bytes
 * that are not UTF-8 comes back as an error entry, as the reference's
 * does.
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

struct wdir {
	char		*path;
	unsigned	 depth;
};

struct walk {
	struct rpc_call	*call;
	uint64_t	 max_depth, max_dirs, max_entries;
	int		 follow, prune;
	struct wdir	*q;		/* breadth-first queue */
	size_t		 qhead, qlen, qcap;
	uint64_t	*seen;		/* (dev, ino) of directories */
	size_t		 nseen, seencap;
	size_t		 ndirs, nentries, bytes;
	struct buf	 entries, errors;
	struct jw	 we, wr;
	int		 truncated;
};

/* The response budget; 0 when the item does not fit (truncated). */
static int
budget(struct walk *w, size_t n)
{
	if (w->bytes + n + LIM_WALK_ITEM > LIM_WALK_BYTES) {
		w->truncated = 1;
		return 0;
	}
	w->bytes += n + LIM_WALK_ITEM;
	return 1;
}

static int
walk_error(struct walk *w, const char *path, int e)
{
	struct buf	 uri = { 0 }, msg = { 0 };
	int		 ok;

	uri_from_path(&uri, path, strlen(path));
	fs_errmsg(&msg, e);
	if ((ok = budget(w, buf_used(&uri) + buf_used(&msg))) != 0) {
		jw_obj(&w->wr);
		jw_key(&w->wr, "path");
		jw_str(&w->wr, buf_data(&uri), buf_used(&uri));
		jw_key(&w->wr, "message");
		jw_str(&w->wr, buf_data(&msg), buf_used(&msg));
		jw_obj_end(&w->wr);
	}
	buf_free(&uri);
	buf_free(&msg);
	return ok;
}

/* Record a directory; 0 when it had been seen already. */
static int
seen_add(struct walk *w, dev_t dev, ino_t ino)
{
	uint64_t	 h, *n;
	size_t		 i, k, cap;

	if (w->nseen * 2 >= w->seencap) {
		cap = w->seencap ? w->seencap * 2 : 64;
		if ((n = calloc(cap, 2 * sizeof(*n))) == NULL)
			return 1;
		for (i = 0; i < w->seencap; i++) {
			if (w->seen[2 * i] == 0 && w->seen[2 * i + 1] == 0)
				continue;
			h = (w->seen[2 * i] * 31 + w->seen[2 * i + 1]) % cap;
			while (n[2 * h] != 0 || n[2 * h + 1] != 0)
				h = (h + 1) % cap;
			n[2 * h] = w->seen[2 * i];
			n[2 * h + 1] = w->seen[2 * i + 1];
		}
		free(w->seen);
		w->seen = n;
		w->seencap = cap;
	}
	/* dev 0 ino 0 marks a free slot; no real directory has both. */
	h = ((uint64_t)dev * 31 + (uint64_t)ino) % w->seencap;
	for (k = h;; k = (k + 1) % w->seencap) {
		if (w->seen[2 * k] == 0 && w->seen[2 * k + 1] == 0)
			break;
		if (w->seen[2 * k] == (uint64_t)dev &&
		    w->seen[2 * k + 1] == (uint64_t)ino)
			return 0;
	}
	w->seen[2 * k] = (uint64_t)dev;
	w->seen[2 * k + 1] = (uint64_t)ino;
	w->nseen++;
	return 1;
}

static int
enqueue(struct walk *w, const char *path, unsigned depth)
{
	struct wdir	*n;
	size_t		 cap;

	if (w->qlen == w->qcap) {
		cap = w->qcap ? w->qcap * 2 : 16;
		if ((n = reallocarray(w->q, cap, sizeof(*n))) == NULL)
			return -1;
		w->q = n;
		w->qcap = cap;
	}
	if ((w->q[w->qlen].path = strdup(path)) == NULL)
		return -1;
	w->q[w->qlen++].depth = depth;
	return 0;
}

struct wname {
	char	*name;		/* as on disk */
	char	*text;		/* lossy UTF-8: sorted on, joined */
	size_t	 tlen;
};

static int
wname_cmp(const void *a, const void *b)
{
	const struct wname	*x = a, *y = b;
	size_t			 n = x->tlen < y->tlen ? x->tlen : y->tlen;
	int			 c;

	if ((c = memcmp(x->text, y->text, n)) != 0)
		return c;
	return x->tlen < y->tlen ? -1 : x->tlen > y->tlen;
}

/*
 * The names of dir that can be stat'ed (as fs/readDirectory has them),
 * sorted.  Returns the count, or -1 with errno.
 */
static ssize_t
list_dir(const char *dir, struct wname **out)
{
	struct wname	*v = NULL, *n;
	struct dirent	*de;
	struct stat	 st;
	struct buf	 t = { 0 };
	size_t		 len = 0, cap = 0;
	DIR		*d;
	int		 fd, e = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (fs_dots(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, 0) == -1)
			continue;
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			if ((n = reallocarray(v, cap, sizeof(*n))) == NULL) {
				e = ENOMEM;
				break;
			}
			v = n;
		}
		buf_reset(&t);
		fs_lossy(&t, de->d_name, strlen(de->d_name));
		v[len].name = strdup(de->d_name);
		v[len].tlen = buf_used(&t);
		if (t.oom || v[len].name == NULL || (v[len].text =
		    malloc(v[len].tlen + 1)) == NULL) {
			free(v[len].name);
			e = ENOMEM;
			break;
		}
		memcpy(v[len].text, buf_data(&t), v[len].tlen);
		v[len].text[v[len].tlen] = '\0';
		len++;
	}
	if (e == 0 && de == NULL && errno != 0)
		e = errno;
	closedir(d);
	buf_free(&t);
	if (e != 0) {
		while (len > 0) {
			free(v[--len].name);
			free(v[len].text);
		}
		free(v);
		errno = e;
		return -1;
	}
	qsort(v, len, sizeof(*v), wname_cmp);
	*out = v;
	return (ssize_t)len;
}

/* One directory of the walk; 0 when the walk must stop. */
static int
walk_dir(struct walk *w, const struct wdir *dir)
{
	struct wname	*v = NULL;
	struct buf	 path = { 0 }, uri = { 0 };
	struct stat	 lst, st;
	ssize_t		 n, i;
	size_t		 k, base;
	int		 go = 1, isdir;

	if ((n = list_dir(dir->path, &v)) == -1)
		return walk_error(w, dir->path, errno);
	buf_adds(&path, dir->path);
	if (strcmp(dir->path, "/") == 0)
		path.len = path.off;
	base = path.len;
	for (i = 0; i < n && go; i++) {
		if (w->nentries == w->max_entries) {
			w->truncated = 1;
			go = 0;
			break;
		}
		w->nentries++;
		/* Joined as a URI segment: tabs and newlines vanish. */
		path.len = base;
		buf_addc(&path, '/');
		for (k = 0; k < v[i].tlen; k++)
			if (v[i].text[k] != '\t' && v[i].text[k] != '\n' &&
			    v[i].text[k] != '\r')
				buf_addc(&path, v[i].text[k]);
		buf_addc(&path, '\0');
		path.len--;
		if (path.oom) {
			go = 0;
			break;
		}
		if (lstat(path.p, &lst) == -1 || stat(path.p, &st) == -1) {
			go = walk_error(w, path.p, errno);
			continue;
		}
		isdir = S_ISDIR(st.st_mode);
		if (S_ISLNK(lst.st_mode) && (!w->follow || !isdir))
			continue;
		if (!isdir && !S_ISREG(st.st_mode))
			continue;
		buf_reset(&uri);
		uri_from_path(&uri, path.p, buf_used(&path));
		if (!budget(w, buf_used(&uri))) {
			go = 0;
			break;
		}
		jw_obj(&w->we);
		jw_key(&w->we, "path");
		jw_str(&w->we, buf_data(&uri), buf_used(&uri));
		jw_key(&w->we, "kind");
		jw_cstr(&w->we, isdir ? "directory" : "file");
		jw_obj_end(&w->we);
		if (!isdir || dir->depth >= w->max_depth)
			continue;
		if (w->prune && v[i].text[0] == '.')
			continue;
		if (w->follow && !seen_add(w, st.st_dev, st.st_ino))
			continue;
		if (w->ndirs == w->max_dirs)
			w->truncated = 1;
		else if (enqueue(w, path.p, dir->depth + 1) == -1)
			go = 0;
		else
			w->ndirs++;
	}
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].text);
	}
	free(v);
	buf_free(&path);
	buf_free(&uri);
	return go;
}

static const struct rpc_param walkopt_fields[] = {
	{ "maxDepth", P_U64, P_REQ, NULL, NULL, NULL },
	{ "maxDirectories", P_U64, P_REQ, NULL, NULL, NULL },
	{ "maxEntries", P_U64, P_REQ, NULL, NULL, NULL },
	{ "followDirectorySymlinks", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "pruneHiddenDirectories", P_BOOL, 0, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct rpc_param walk_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "options", P_OBJ, P_REQ, walkopt_fields, "WalkOptions", NULL },
	FS_SANDBOX,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_walk(struct rpc_call *call)
{
	struct walk	 w;
	struct buf	 root = { 0 };
	struct stat	 lst, st;
	int		 opt = rpc_arg(call, "options");
	size_t		 i;

	memset(&w, 0, sizeof(w));
	jw_init(&w.we, &w.entries);
	jw_init(&w.wr, &w.errors);
	jw_arr(&w.we);
	jw_arr(&w.wr);
	if (fs_admit(call) == -1 || fs_path(call, "path", &root) == -1)
		goto out;
	w.max_depth = rpc_u64(call, opt, "maxDepth", 0);
	w.max_dirs = rpc_u64(call, opt, "maxDirectories", 0);
	w.max_entries = rpc_u64(call, opt, "maxEntries", 0);
	w.follow = rpc_bool(call, opt, "followDirectorySymlinks", 0);
	w.prune = rpc_bool(call, opt, "pruneHiddenDirectories", 0);
	if (w.max_dirs == 0 || w.max_entries == 0) {
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "filesystem walk limits must be greater than zero");
		goto out;
	}
	if (w.max_depth > LIM_WALK_DEPTH || w.max_dirs > LIM_WALK_DIRS ||
	    w.max_entries > LIM_WALK_ENTRIES) {
		rpc_fail(call, RPC_INVALID_REQUEST, "filesystem walk limits "
		    "exceed maximums: depth=%d, directories=%d, entries=%d",
		    LIM_WALK_DEPTH, LIM_WALK_DIRS, LIM_WALK_ENTRIES);
		goto out;
	}
	if (lstat(root.p, &lst) == -1 || stat(root.p, &st) == -1) {
		fs_fail_errno(call, errno);
		goto out;
	}
	/* A file, or a symlink not to be followed: nothing below it. */
	if (S_ISDIR(st.st_mode) && (!S_ISLNK(lst.st_mode) || w.follow)) {
		seen_add(&w, st.st_dev, st.st_ino);
		w.ndirs = 1;
		if (enqueue(&w, root.p, 0) == -1) {
			rpc_fail(call, RPC_INTERNAL, "out of memory");
			goto out;
		}
		while (w.qhead < w.qlen && walk_dir(&w, &w.q[w.qhead]))
			w.qhead++;
	}
	jw_arr_end(&w.we);
	jw_arr_end(&w.wr);
	jw_obj(&call->w);
	jw_key(&call->w, "entries");
	jw_raw(&call->w, buf_data(&w.entries), buf_used(&w.entries));
	jw_key(&call->w, "errors");
	jw_raw(&call->w, buf_data(&w.errors), buf_used(&w.errors));
	jw_key(&call->w, "truncated");
	jw_bool(&call->w, w.truncated);
	jw_obj_end(&call->w);
	if (w.entries.oom || w.errors.oom)
		call->res.oom = 1;
out:
	for (i = 0; i < w.qlen; i++)
		free(w.q[i].path);
	free(w.q);
	free(w.seen);
	buf_free(&w.entries);
	buf_free(&w.errors);
	buf_free(&root);
}

const struct rpc_method fswalk_methods[] = {
	{ "fs/walk", "filesystem", "WireFsWalkParams", walk_params, m_walk },
	{ NULL, NULL, NULL, NULL, NULL }
};
