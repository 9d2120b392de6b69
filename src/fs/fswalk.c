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

#include "base/jw.h"
#include "base/lim.h"
#include "compat/uri.h"
#include "fs/fs.h"
#include "fs/fsjob.h"
#include "fs/fswalk.h"
#include "sandbox/sandbox.h"

struct wdir {
	char		*path;
	unsigned	 depth;
};

struct wname {
	char		*name;		/* as on disk */
	char		*text;		/* lossy UTF-8: sorted on, joined */
	size_t		 tlen;
};

/* Where the directory at the head of the queue is. */
enum wphase {
	W_OPEN,			/* to be opened */
	W_LIST,			/* names being read */
	W_SORT,			/* names being sorted */
	W_EMIT			/* names being walked */
};

struct walk {
	uint64_t	 max_depth, max_dirs, max_entries;
	int		 follow, prune;
	char		*root;
	int		 started;
	struct wdir	*q;		/* breadth-first queue */
	size_t		 qhead, qlen, qcap;
	uint64_t	*seen;		/* (dev, ino) of directories */
	size_t		 nseen, seencap;
	size_t		 ndirs, nentries, bytes;
	struct buf	 entries, errors;
	struct jw	 we, wr;
	int		 truncated;
	/* The directory q[qhead]. */
	enum wphase	 phase;
	DIR		*d;
	struct wname	*v, *tmp;	/* its names; tmp: for merging */
	size_t		 n, cap;
	size_t		 next;		/* names walked */
	size_t		 width, lo, i, j, k;	/* merge sort state */
	struct buf	 path, uri;
	size_t		 base;		/* path is the directory up to here */
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

/* Forget the names of the directory at hand, from the first unwalked. */
static void
names_free(struct walk *w)
{
	size_t	 i;

	for (i = w->next; i < w->n; i++) {
		free(w->v[i].name);
		free(w->v[i].text);
	}
	free(w->v);
	free(w->tmp);
	w->v = w->tmp = NULL;
	w->n = w->cap = w->next = 0;
	if (w->d != NULL)
		closedir(w->d);
	w->d = NULL;
}

/*
 * Read one more name of the directory, if it can be stat'ed (as
 * fs/readDirectory has them).  1 at the end, 0 for more, -1 with errno.
 */
static int
list_one(struct walk *w)
{
	struct wname	*n;
	struct dirent	*de;
	struct stat	 st;
	size_t		 cap;

	errno = 0;
	if ((de = readdir(w->d)) == NULL)
		return errno != 0 ? -1 : 1;
	if (fs_dots(de->d_name) || fstatat(dirfd(w->d), de->d_name, &st,
	    0) == -1)
		return 0;
	if (w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 64;
		if ((n = reallocarray(w->v, cap, sizeof(*n))) == NULL)
			goto nomem;
		w->v = n;
		w->cap = cap;
	}
	n = &w->v[w->n];
	buf_reset(&w->uri);
	fs_lossy(&w->uri, de->d_name, strlen(de->d_name));
	n->name = strdup(de->d_name);
	n->tlen = buf_used(&w->uri);
	if (w->uri.oom || n->name == NULL || (n->text =
	    malloc(n->tlen + 1)) == NULL) {
		free(n->name);
		goto nomem;
	}
	memcpy(n->text, buf_data(&w->uri), n->tlen);
	n->text[n->tlen] = '\0';
	w->n++;
	return 0;
nomem:
	errno = ENOMEM;
	return -1;
}

/*
 * Bottom-up merge sort of the names, stable like the reference's sort,
 * resumable: at most `moves` names moved.  1 when sorted.
 */
static int
sort_some(struct walk *w, size_t moves)
{
	struct wname	*t;
	size_t		 mid, hi;

	while (w->width < w->n) {
		mid = w->lo + w->width < w->n ? w->lo + w->width : w->n;
		hi = mid + w->width < w->n ? mid + w->width : w->n;
		for (; w->k < hi; w->k++) {
			if (moves-- == 0)
				return 0;
			if (w->i < mid && (w->j >= hi ||
			    wname_cmp(&w->v[w->i], &w->v[w->j]) <= 0))
				w->tmp[w->k] = w->v[w->i++];
			else
				w->tmp[w->k] = w->v[w->j++];
		}
		if ((w->lo = hi) >= w->n) {
			t = w->v;
			w->v = w->tmp;
			w->tmp = t;
			w->width *= 2;
			w->lo = 0;
		}
		w->i = w->k = w->lo;
		w->j = w->lo + w->width < w->n ? w->lo + w->width : w->n;
	}
	return 1;
}

static void
sort_start(struct walk *w)
{
	w->width = 1;
	w->lo = w->i = w->k = 0;
	w->j = w->n > 0 ? 1 : 0;
	if (w->n > 1 && (w->tmp = reallocarray(NULL, w->n,
	    sizeof(*w->tmp))) == NULL) {
		/* No room to merge: sort in place, in one go. */
		qsort(w->v, w->n, sizeof(*w->v), wname_cmp);
		w->width = w->n;
	}
}

/* Name i of the directory dir; 0 when the walk must stop. */
static int
walk_name(struct walk *w, const struct wdir *dir, size_t i)
{
	struct wname	*v = &w->v[i];
	struct stat	 lst, st;
	size_t		 k;
	int		 isdir;

	if (w->nentries == w->max_entries) {
		w->truncated = 1;
		return 0;
	}
	w->nentries++;
	/* Joined as a URI segment: tabs and newlines vanish. */
	w->path.len = w->base;
	buf_addc(&w->path, '/');
	for (k = 0; k < v->tlen; k++)
		if (v->text[k] != '\t' && v->text[k] != '\n' &&
		    v->text[k] != '\r')
			buf_addc(&w->path, v->text[k]);
	buf_addc(&w->path, '\0');
	w->path.len--;
	if (w->path.oom)
		return 0;
	if (lstat(w->path.p, &lst) == -1 || stat(w->path.p, &st) == -1)
		return walk_error(w, w->path.p, errno);
	isdir = S_ISDIR(st.st_mode);
	if (S_ISLNK(lst.st_mode) && (!w->follow || !isdir))
		return 1;
	if (!isdir && !S_ISREG(st.st_mode))
		return 1;
	buf_reset(&w->uri);
	uri_from_path(&w->uri, w->path.p, buf_used(&w->path));
	if (!budget(w, buf_used(&w->uri)))
		return 0;
	jw_obj(&w->we);
	jw_key(&w->we, "path");
	jw_str(&w->we, buf_data(&w->uri), buf_used(&w->uri));
	jw_key(&w->we, "kind");
	jw_cstr(&w->we, isdir ? "directory" : "file");
	jw_obj_end(&w->we);
	if (!isdir || dir->depth >= w->max_depth)
		return 1;
	if (w->prune && v->text[0] == '.')
		return 1;
	if (w->follow && !seen_add(w, st.st_dev, st.st_ino))
		return 1;
	if (w->ndirs == w->max_dirs)
		w->truncated = 1;
	else if (enqueue(w, w->path.p, dir->depth + 1) == -1)
		return 0;
	else
		w->ndirs++;
	return 1;
}

/* What walk_dir() came to. */
#define WD_STOP		0	/* the walk is over */
#define WD_MORE		1	/* the slice is used up */
#define WD_NEXT		2	/* on to the next directory */

/* A slice of the work on the directory at the head of the queue. */
static int
walk_dir(struct fs_job *j, struct walk *w)
{
	struct wdir	 dir = w->q[w->qhead];	/* q may move: a copy */
	int		 r, fd;

	for (;;) {
		if (w->phase == W_EMIT && w->next == w->n)
			return WD_NEXT;
		if (!fsjob_more(j))
			return WD_MORE;
		switch (w->phase) {
		case W_OPEN:
			fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd == -1 || (w->d = fdopendir(fd)) == NULL) {
				r = errno;
				if (fd != -1)
					close(fd);
				return walk_error(w, dir.path, r) ? WD_NEXT :
				    WD_STOP;
			}
			w->phase = W_LIST;
			break;
		case W_LIST:
			if ((r = list_one(w)) == -1) {
				r = errno;
				names_free(w);
				return walk_error(w, dir.path, r) ? WD_NEXT :
				    WD_STOP;
			}
			if (r == 1) {
				closedir(w->d);
				w->d = NULL;
				sort_start(w);
				w->phase = W_SORT;
			}
			break;
		case W_SORT:
			if (!sort_some(w, LIM_FS_JOB_SORT))
				break;
			buf_reset(&w->path);
			buf_adds(&w->path, dir.path);
			if (strcmp(dir.path, "/") == 0)
				w->path.len = w->path.off;
			w->base = w->path.len;
			w->phase = W_EMIT;
			break;
		case W_EMIT:
			r = walk_name(w, &dir, w->next);
			free(w->v[w->next].name);
			free(w->v[w->next].text);
			w->next++;
			if (r == 0)
				return WD_STOP;
			break;
		}
	}
}

static void
walk_free(void *arg)
{
	struct walk	*w = arg;
	size_t		 i;

	names_free(w);
	for (i = 0; i < w->qlen; i++)
		free(w->q[i].path);
	free(w->q);
	free(w->seen);
	free(w->root);
	buf_free(&w->entries);
	buf_free(&w->errors);
	buf_free(&w->path);
	buf_free(&w->uri);
	free(w);
}

/* The root: a file, or a symlink not to be followed, has nothing below. */
static int
walk_start(struct fs_job *j, struct walk *w)
{
	struct stat	 lst, st;

	if (lstat(w->root, &lst) == -1 || stat(w->root, &st) == -1) {
		fsjob_fail_errno(j, errno);
		return -1;
	}
	if (S_ISDIR(st.st_mode) && (!S_ISLNK(lst.st_mode) || w->follow)) {
		seen_add(w, st.st_dev, st.st_ino);
		w->ndirs = 1;
		if (enqueue(w, w->root, 0) == -1) {
			fsjob_fail(j, RPC_INTERNAL, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
walk_step(struct fs_job *j, void *arg, struct buf *res)
{
	struct walk	*w = arg;
	struct jw	 rw;
	int		 r;

	if (!w->started) {
		w->started = 1;
		if (walk_start(j, w) == -1)
			return FSJOB_DONE;
	}
	while (w->qhead < w->qlen) {
		if ((r = walk_dir(j, w)) == WD_MORE)
			return FSJOB_MORE;
		if (r == WD_STOP)
			break;
		names_free(w);
		w->phase = W_OPEN;
		w->qhead++;
	}
	jw_arr_end(&w->we);
	jw_arr_end(&w->wr);
	jw_init(&rw, res);
	jw_obj(&rw);
	jw_key(&rw, "entries");
	jw_raw(&rw, buf_data(&w->entries), buf_used(&w->entries));
	jw_key(&rw, "errors");
	jw_raw(&rw, buf_data(&w->errors), buf_used(&w->errors));
	jw_key(&rw, "truncated");
	jw_bool(&rw, w->truncated);
	jw_obj_end(&rw);
	if (w->entries.oom || w->errors.oom)
		res->oom = 1;
	return FSJOB_DONE;
}

static const struct schema_param walkopt_fields[] = {
	{ "maxDepth", P_U64, P_REQ, NULL, NULL, NULL },
	{ "maxDirectories", P_U64, P_REQ, NULL, NULL, NULL },
	{ "maxEntries", P_U64, P_REQ, NULL, NULL, NULL },
	{ "followDirectorySymlinks", P_BOOL, P_REQ, NULL, NULL, NULL },
	{ "pruneHiddenDirectories", P_BOOL, 0, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static const struct schema_param walk_params[] = {
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "options", P_OBJ, P_REQ, walkopt_fields, "WalkOptions", NULL },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_walk(struct rpc_call *call)
{
	struct walk	*w;
	struct buf	 root = { 0 };
	int		 opt = rpc_arg(call, "options");

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return;
	}
	jw_init(&w->we, &w->entries);
	jw_init(&w->wr, &w->errors);
	jw_arr(&w->we);
	jw_arr(&w->wr);
	if (fs_admit(call) == -1 || fs_path(call, "path", &root) == -1)
		goto fail;
	w->max_depth = rpc_u64(call, opt, "maxDepth", 0);
	w->max_dirs = rpc_u64(call, opt, "maxDirectories", 0);
	w->max_entries = rpc_u64(call, opt, "maxEntries", 0);
	w->follow = rpc_bool(call, opt, "followDirectorySymlinks", 0);
	w->prune = rpc_bool(call, opt, "pruneHiddenDirectories", 0);
	if (w->max_dirs == 0 || w->max_entries == 0) {
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "filesystem walk limits must be greater than zero");
		goto fail;
	}
	if (w->max_depth > LIM_WALK_DEPTH || w->max_dirs > LIM_WALK_DIRS ||
	    w->max_entries > LIM_WALK_ENTRIES) {
		rpc_fail(call, RPC_INVALID_REQUEST, "filesystem walk limits "
		    "exceed maximums: depth=%d, directories=%d, entries=%d",
		    LIM_WALK_DEPTH, LIM_WALK_DIRS, LIM_WALK_ENTRIES);
		goto fail;
	}
	if ((w->root = strdup(root.p)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto fail;
	}
	buf_free(&root);
	fsjob_run(call, 0, walk_step, walk_free, w, 0);
	return;
fail:
	buf_free(&root);
	walk_free(w);
}

static const struct rpc_method methods[] = {
	{ "fs/walk", "filesystem", "WireFsWalkParams", walk_params, m_walk },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module fswalk_module = { methods, NULL, NULL, NULL };
