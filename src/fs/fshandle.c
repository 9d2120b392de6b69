/*
 * fshandle.c: file handles, fs/open, fs/readBlock, fs/writeBlock and
 * fs/close (protocol.md §7.20).
 *
 * Handles belong to the connection (not the session): they are closed
 * when it ends and a resumed session does not see them.  Reads and
 * writes are positional; a block is at most LIM_FS_BLOCK bytes, so each
 * call is short.  A handle opened for reading cannot write and the other
 * way round: the kernel answers EBADF, as it does for the reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/jw.h"
#include "base/lim.h"
#include "fs/fs.h"
#include "fs/fshandle.h"
#include "fs/fsjob.h"
#include "sandbox/sandbox.h"

struct fs_handle {
	struct fs_handle	*next;
	int			 fd;
	size_t			 idlen;
	char			 id[LIM_FS_HANDLE_ID];
};

/* rpc.c's per-connection state of this module. */
struct handles {
	struct fs_handle	*head;
	unsigned		 n;
};

/* The connection's handles, created on first use; NULL after rpc_fail(). */
static struct handles *
handles_of(struct rpc_call *call)
{
	return rpc_call_state(call, &fshandle_module, sizeof(struct handles));
}

/* The connection is gone: close its handles. */
static void
conn_gone(struct rpc_conn *rc)
{
	struct handles		*hs = rpc_conn_state(rc, &fshandle_module);
	struct fs_handle	*h;

	while (hs != NULL && (h = hs->head) != NULL) {
		hs->head = h->next;
		close(h->fd);
		free(h);
	}
}

/*
 * The handle named by member handleId (*hp NULL when there is none).
 * Returns NULL after rpc_fail(): ENOMEM, or an id over 32 bytes, which
 * every method refuses before it looks the id up.
 */
static struct fs_handle **
lookup(struct rpc_call *call, struct handles *hs, const char **idp,
    size_t *lenp)
{
	struct fs_handle	**hp;
	const char		 *id;
	size_t			  len;

	if ((id = rpc_str(call, rpc_arg(call, "handleId"), &len)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return NULL;
	}
	if (len > LIM_FS_HANDLE_ID) {
		rpc_fail(call, RPC_INVALID_REQUEST, "file handle ID must not "
		    "exceed %d bytes", LIM_FS_HANDLE_ID);
		return NULL;
	}
	*idp = id;
	*lenp = len;
	for (hp = &hs->head; *hp != NULL; hp = &(*hp)->next)
		if ((*hp)->idlen == len && memcmp((*hp)->id, id, len) == 0)
			return hp;
	return hp;
}

/* The id length is checked first of all (-1 after rpc_fail()). */
static int
id_ok(struct rpc_call *call)
{
	size_t	 len;

	if (rpc_str(call, rpc_arg(call, "handleId"), &len) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		return -1;
	}
	if (len > LIM_FS_HANDLE_ID) {
		rpc_fail(call, RPC_INVALID_REQUEST, "file handle ID must not "
		    "exceed %d bytes", LIM_FS_HANDLE_ID);
		return -1;
	}
	return 0;
}

static void
drop(struct handles *hs, struct fs_handle **hp)
{
	struct fs_handle	*h = *hp;

	*hp = h->next;
	close(h->fd);
	free(h);
	hs->n--;
}

static void
unknown(struct rpc_call *call, const char *id)
{
	rpc_fail(call, RPC_NOT_FOUND, "unknown file handle `%s`", id);
}

static const char *const mode_v[] = { "read", "replace", NULL };

static const struct schema_param open_params[] = {
	{ "handleId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "path", P_URI, P_REQ, NULL, NULL, NULL },
	{ "mode", P_ENUM, 0, NULL, NULL, mode_v },
	SANDBOX_PARAM,
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_open(struct rpc_call *call)
{
	struct handles		 *hs;
	struct fs_handle	**hp, *h;
	struct buf		  path = { 0 };
	struct stat		  st;
	const char		 *id = NULL;
	size_t			  len = 0;
	int			  fd = -1, replace, t;

	/* A handle lives in the server, which a confined child is not. */
	if (sandbox_fs_admit(call, rpc_arg(call, "sandbox")) == -1 ||
	    fsjob_admit(call) == -1 || (hs = handles_of(call)) == NULL)
		goto out;
	if ((hp = lookup(call, hs, &id, &len)) == NULL)
		goto out;
	if (*hp != NULL) {
		rpc_fail(call, RPC_INVALID_REQUEST,
		    "file handle `%s` already exists", id);
		goto out;
	}
	if (fs_path(call, "path", &path) == -1)
		goto out;
	t = rpc_arg(call, "mode");
	replace = t >= 0 && json_str_eq(call->doc, t, "replace");
	if (hs->n >= LIM_FS_HANDLES) {
		fs_fail_errno(call, EMFILE);
		goto out;
	}
	if (replace) {
		fsjob_drain(call->rc);
		fd = open(path.p, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK |
		    O_CLOEXEC, 0666);
		if (fd == -1 || fstat(fd, &st) == -1)
			goto err;
		if (!S_ISREG(st.st_mode))
			goto notfile;
	} else {
		if (stat(path.p, &st) == -1)
			goto err;
		if (!S_ISREG(st.st_mode))
			goto notfile;
		if ((fd = open(path.p, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
			goto err;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	h->fd = fd;
	fd = -1;
	h->idlen = len;
	memcpy(h->id, id, len);
	*hp = h;
	hs->n++;
	jw_obj(&call->w);
	jw_key(&call->w, "handleId");
	jw_str(&call->w, id, len);
	jw_obj_end(&call->w);
	goto out;
notfile:
	rpc_fail(call, RPC_INVALID_REQUEST, "path `%s` is not a file", path.p);
	goto out;
err:
	fs_fail_errno(call, errno);
out:
	if (fd != -1)
		close(fd);
	buf_free(&path);
}

static const struct schema_param read_params[] = {
	{ "handleId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "offset", P_U64, P_REQ, NULL, NULL, NULL },
	{ "len", P_U64, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_read_block(struct rpc_call *call)
{
	struct handles		 *hs;
	struct fs_handle	**hp;
	const char		 *id;
	char			 *data = NULL;
	uint64_t		  off, len;
	size_t			  idlen, got = 0;
	ssize_t			  n;

	if (fsjob_admit(call) == -1 || id_ok(call) == -1)
		return;
	off = rpc_u64(call, call->params, "offset", 0);
	len = rpc_u64(call, call->params, "len", 0);
	if (len < 1 || len > LIM_FS_BLOCK) {
		rpc_fail(call, RPC_INVALID_REQUEST, "file read block length "
		    "must be between 1 and %d", LIM_FS_BLOCK);
		return;
	}
	if ((hs = handles_of(call)) == NULL)
		return;
	if ((hp = lookup(call, hs, &id, &idlen)) == NULL)
		goto out;
	if ((data = malloc(len)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if (*hp == NULL) {
		unknown(call, id);
		goto out;
	}
	/* Fill the block unless the file ends first. */
	while (got < len) {
		if (off > INT64_MAX - got) {
			errno = EINVAL;
			n = -1;
		} else
			n = pread((*hp)->fd, data + got, len - got,
			    (off_t)(off + got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			/* The reference loses the handle when a read fails. */
			fs_fail_errno(call, errno);
			drop(hs, hp);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	jw_obj(&call->w);
	jw_key(&call->w, "chunk");
	jw_b64(&call->w, data, got);
	jw_key(&call->w, "eof");
	jw_bool(&call->w, got < len);
	jw_obj_end(&call->w);
out:
	free(data);
}

static const struct schema_param write_params[] = {
	{ "handleId", P_STR, P_REQ, NULL, NULL, NULL },
	{ "offset", P_U64, P_REQ, NULL, NULL, NULL },
	{ "chunk", P_B64, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_write_block(struct rpc_call *call)
{
	struct handles		 *hs;
	struct fs_handle	**hp;
	struct b64_err		  be;
	const char		 *id, *s;
	char			 *data = NULL;
	uint64_t		  off;
	size_t			  idlen, slen, put = 0;
	long long		  len;
	ssize_t			  n;

	if (fsjob_admit(call) == -1 || id_ok(call) == -1)
		return;
	off = rpc_u64(call, call->params, "offset", 0);
	if ((s = rpc_str(call, rpc_arg(call, "chunk"), &slen)) == NULL ||
	    (data = malloc(b64_dec_max(slen) + 1)) == NULL) {
		rpc_fail(call, RPC_INTERNAL, "out of memory");
		goto out;
	}
	if ((len = b64_decode(data, s, slen, &be)) < 0)
		len = 0;	/* the schema has checked it */
	if (len < 1 || len > LIM_FS_BLOCK) {
		rpc_fail(call, RPC_INVALID_REQUEST, "file write block length "
		    "must be between 1 and %d", LIM_FS_BLOCK);
		goto out;
	}
	if (off > (uint64_t)INT64_MAX - (uint64_t)len) {
		rpc_fail(call, RPC_INVALID_REQUEST, "file write range exceeds "
		    "the signed 64-bit file offset limit");
		goto out;
	}
	if ((hs = handles_of(call)) == NULL)
		goto out;
	if ((hp = lookup(call, hs, &id, &idlen)) == NULL)
		goto out;
	if (*hp == NULL) {
		unknown(call, id);
		goto out;
	}
	fsjob_drain(call->rc);
	while (put < (size_t)len) {
		n = pwrite((*hp)->fd, data + put, (size_t)len - put,
		    (off_t)(off + put));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fs_fail_errno(call, errno);
			goto out;
		}
		put += (size_t)n;
	}
	jw_obj(&call->w);
	jw_obj_end(&call->w);
out:
	free(data);
}

static const struct schema_param close_params[] = {
	{ "handleId", P_STR, P_REQ, NULL, NULL, NULL },
	{ NULL, P_END, 0, NULL, NULL, NULL }
};

static void
m_close(struct rpc_call *call)
{
	struct handles		 *hs;
	struct fs_handle	**hp;
	const char		 *id;
	size_t			  len;

	if (fsjob_admit(call) == -1 || (hs = handles_of(call)) == NULL)
		return;
	if ((hp = lookup(call, hs, &id, &len)) == NULL)
		return;
	if (*hp != NULL)
		drop(hs, hp);
	jw_obj(&call->w);
	jw_obj_end(&call->w);
}

static const struct rpc_method methods[] = {
	{ "fs/open", "filesystem", "WireFsOpenParams", open_params, m_open },
	{ "fs/readBlock", "filesystem", "FsReadBlockParams", read_params,
	    m_read_block },
	{ "fs/writeBlock", "filesystem", "FsWriteBlockParams", write_params,
	    m_write_block },
	{ "fs/close", "filesystem", "FsCloseParams", close_params, m_close },
	{ NULL, NULL, NULL, NULL, NULL }
};

const struct rpc_module fshandle_module = { methods, NULL, NULL, conn_gone };
