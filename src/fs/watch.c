/*
 * watch.c: fs/watchMissing and the fs/missingChanged notification
 * (protocol.md §7.21), with inotify inside the poll loop.
 *
 * A connection has at most one watch.  Its id must exceed every id the
 * connection used before (and 0), else the call is ignored ("watching":
 * false).
 * A newer id cancels the current watch, then arms one unless the list is
 * empty or a listed path is there already (anything lstat() does not
 * call ENOENT counts as there, as for the reference).
 *
 * For each path we watch the directory holding its first missing
 * component, the way the reference does: the watch fires, once, when an
 * event concerns that component or that directory itself (created,
 * moved in, the directory's attributes changed, the directory removed or
 * moved away).  Changes to other names in the directory do not fire.
 *
 * All watches of the process share one inotify descriptor; a watch
 * descriptor is reference-counted, since inotify hands out one per
 * directory.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jw.h"
#include "base/loop.h"
#include "fs/fs.h"
#include "fs/fsjob.h"
#include "fs/watch.h"

#define WATCH_MASK	(IN_CREATE | IN_MOVED_TO | IN_ATTRIB | \
			 IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct target {
	int		 wd;
	char		*name;		/* first missing component */
};

struct watch {
	struct watch	*next;		/* all armed watches */
	struct rpc_conn	*rc;
	uint64_t	 id;
	struct target	*t;
	size_t		 nt;
};

struct wdref {
	int		 wd;
	unsigned	 refs;
};

static int		 ifd = -1;
static struct watch	*armed;
static struct wdref	*wds;
static size_t		 nwds, capwds;

static void
wd_release(int wd)
{
	size_t	 i;

	for (i = 0; i < nwds; i++) {
		if (wds[i].wd != wd)
			continue;
		if (--wds[i].refs == 0) {
			inotify_rm_watch(ifd, wd);
			wds[i] = wds[--nwds];
		}
		if (nwds == 0) {
			free(wds);
			wds = NULL;
			capwds = 0;
		}
		return;
	}
}

static int
wd_hold(int wd)
{
	struct wdref	*n;
	size_t		 i;

	for (i = 0; i < nwds; i++)
		if (wds[i].wd == wd) {
			wds[i].refs++;
			return 0;
		}
	if (nwds == capwds) {
		if ((n = reallocarray(wds, capwds ? capwds * 2 : 16,
		    sizeof(*n))) == NULL)
			return -1;
		wds = n;
		capwds = capwds ? capwds * 2 : 16;
	}
	wds[nwds].wd = wd;
	wds[nwds++].refs = 1;
	return 0;
}

static void
watch_free(struct watch *w)
{
	struct watch	**wp;
	size_t		  i;

	for (wp = &armed; *wp != NULL; wp = &(*wp)->next)
		if (*wp == w) {
			*wp = w->next;
			break;
		}
	for (i = 0; i < w->nt; i++) {
		wd_release(w->t[i].wd);
		free(w->t[i].name);
	}
	free(w->t);
	free(w);
}

/* rpc.c's per-connection state of this module. */
struct slot {
	struct watch	*watch;		/* the one armed watch, or NULL */
	uint64_t	 last;		/* highest watchId seen */
};

static void
slot_clear(struct slot *sl)
{
	if (sl->watch != NULL) {
		watch_free(sl->watch);
		sl->watch = NULL;
	}
}

/* The connection is gone: stop its watch. */
static void
conn_gone(struct rpc_conn *rc)
{
	struct slot	*sl = rpc_conn_state(rc, &watch_module);

	if (sl != NULL)
		slot_clear(sl);
}

/* Send fs/missingChanged and forget the watch. */
static void
fire(struct watch *w)
{
	struct slot	*sl = rpc_conn_state(w->rc, &watch_module);
	struct buf	 b = { 0 };
	struct jw	 j;

	jw_init(&j, &b);
	jw_obj(&j);
	jw_key(&j, "watchId");
	jw_u64(&j, w->id);
	jw_obj_end(&j);
	rpc_notify(w->rc, "fs/missingChanged", &b);
	if (sl != NULL && sl->watch == w)
		sl->watch = NULL;
	watch_free(w);
}

static void
on_events(int fd, short revents, void *arg)
{
	char				 ev[16 * (sizeof(struct inotify_event) +
					    NAME_MAX + 1)]
					    __attribute__((aligned(8)));
	const struct inotify_event	*e;
	struct watch			*w, *next;
	ssize_t				 n, off;
	size_t				 i;

	while ((n = read(fd, ev, sizeof(ev))) > 0) {
		for (off = 0; off < n; off += (ssize_t)sizeof(*e) + e->len) {
			e = (const struct inotify_event *)(ev + off);
			for (w = armed; w != NULL; w = next) {
				next = w->next;
				for (i = 0; i < w->nt; i++)
					if ((e->mask & IN_Q_OVERFLOW) ||
					    (e->wd == w->t[i].wd &&
					    !(e->mask & IN_IGNORED) &&
					    (e->len == 0 || strcmp(e->name,
					    w->t[i].name) == 0)))
						break;
				if (i < w->nt) {
					fire(w);
					/* fire() may have freed next's
					 * neighbour: start over. */
					next = armed;
				}
			}
		}
	}
}

/*
 * Find the first missing component of path and watch its directory.
 * Returns 1 when the path is there (nothing to watch), 0 when watched,
 * -1 with errno.
 */
static int
add_target(struct watch *w, char *path)
{
	struct target	*t;
	struct stat	 st;
	char		*cut, *name;
	size_t		 nlen;
	int		 wd, r, e;

	if (lstat(path, &st) == 0 || errno != ENOENT)
		return 1;
	/* The longest prefix that exists: its child is the first missing. */
	for (cut = strrchr(path, '/'); cut != path;) {
		*cut = '\0';
		r = lstat(path, &st);
		e = errno;
		*cut = '/';
		if (r == 0 || e != ENOENT)
			break;
		while (--cut > path && *cut != '/')
			;
	}
	name = cut + 1;
	nlen = strcspn(name, "/");
	if ((t = reallocarray(w->t, w->nt + 1, sizeof(*t))) == NULL)
		return -1;
	w->t = t;
	*cut = '\0';
	wd = inotify_add_watch(ifd, cut == path ? "/" : path, WATCH_MASK);
	*cut = '/';
	if (wd == -1)
		return -1;
	if (wd_hold(wd) == -1 ||
	    (t[w->nt].name = strndup(name, nlen)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	t[w->nt++].wd = wd;
	return 0;
}

static const struct schema_param watch_params[] = {
	{ "watchId", P_U64, P_REQ, NULL, NULL, NULL },
	{ "missing", P_URIARR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_watch_missing(struct rpc_call *call)
{
	struct slot	*sl;
	struct watch	*w = NULL;
	struct buf	 path = { 0 }, msg = { 0 };
	const char	*s;
	size_t		 len;
	uint64_t	 id;
	uint32_t	 i;
	int		 arr, e, r, code, watching = 0;

	if (fsjob_admit(call) == -1)
		return;
	if ((sl = rpc_call_state(call, &watch_module, sizeof(*sl))) == NULL)
		return;
	id = rpc_u64(call, call->params, "watchId", 0);
	arr = rpc_arg(call, "missing");
	/* The last id starts at 0, so 0 is never newer. */
	if (id <= sl->last)
		goto answer;
	sl->last = id;
	slot_clear(sl);
	if (call->doc->tok[arr].size == 0)
		goto answer;
	if (ifd == -1) {
		if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
			goto err;
		if (loop_fd_add(ifd, POLLIN, on_events, NULL) == -1) {
			close(ifd);
			ifd = -1;
			goto err;
		}
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		goto err;
	w->rc = call->rc;
	w->id = id;
	for (i = 0, e = arr + 1; i < call->doc->tok[arr].size;
	    i++, e = call->doc->tok[e].next) {
		buf_reset(&path);
		if ((s = rpc_str(call, e, &len)) == NULL) {
			errno = ENOMEM;
			goto err;
		}
		/* A path that cannot be local is not missing either. */
		if (fs_uri_path(s, len, &path, &code, &msg) == -1)
			goto unarmed;
		if ((r = add_target(w, path.p)) == 1)
			goto unarmed;
		if (r == -1)
			goto err;
	}
	w->next = armed;
	armed = w;
	sl->watch = w;
	w = NULL;
	watching = 1;
	goto answer;
err:
	fs_fail_errno(call, errno);
	goto out;
unarmed:
	watching = 0;
answer:
	jw_obj(&call->w);
	jw_key(&call->w, "watching");
	jw_bool(&call->w, watching);
	jw_obj_end(&call->w);
out:
	if (w != NULL)
		watch_free(w);
	buf_free(&path);
	buf_free(&msg);
}

static const struct rpc_method methods[] = {
	{ "fs/watchMissing", "filesystem", "FsWatchMissingParams",
	    watch_params, m_watch_missing },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module watch_module = { methods, NULL, NULL, conn_gone };
