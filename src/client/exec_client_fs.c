/*
 * exec_client_fs.c: exec-client's file commands: get (fs/readFile), put
 * (fs/writeFile, or fs/open and fs/writeBlock for big files) and ls
 * (fs/readDirectory, sorted).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "client/exec_client_fs.h"
#include "client/xc.h"

#define BLOCK		(1024 * 1024)	/* fs/writeBlock size */

/*
 * Call method with {"path": remote} and wait for its result: *d and *res
 * hold it; the returned text backs them (free it after json_doc_free).
 */
static char *
path_call(struct client *c, const char *method, const char *remote,
    struct json_doc *d, int *res)
{
	struct buf	 b = { 0 };
	struct jw	 j;
	int64_t		 id;

	id = xc_begin(c, &j, &b, method, c->next_id++);
	jw_obj(&j);
	jw_key(&j, "path");
	xc_remote_uri(&j, remote);
	jw_obj_end(&j);
	jw_obj_end(&j);
	xc_send(c, &b);
	buf_free(&b);
	return xc_await(c, id, remote, d, res);
}

int
exec_client_fs_get(struct client *c, const char *remote, const char *local)
{
	struct json_doc	 d;
	struct b64_err	 be;
	char		*t, *s, *dec;
	size_t		 n;
	long long	 dn;
	int		 res, fd = 1;

	t = path_call(c, "fs/readFile", remote, &d, &res);
	s = json_str_dup(&d, json_get(&d, res, "dataBase64"), &n);
	dec = s != NULL ? malloc(b64_dec_max(n) + 1) : NULL;
	if (dec == NULL || (dn = b64_decode(dec, s, n, &be)) < 0)
		xc_die("%s: bad dataBase64 in the answer", remote);
	if (local != NULL && strcmp(local, "-") != 0 &&
	    (fd = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		xc_die("%s: %s", local, strerror(errno));
	c->sigpipe = 0;
	xc_write_out(c, fd, dec, (size_t)dn);
	if (fd != 1 && close(fd) == -1)
		xc_die("%s: %s", local, strerror(errno));
	free(dec);
	free(s);
	json_doc_free(&d);
	free(t);
	return 0;
}

/* One request whose result we only need to be a success. */
static void
call_ok(struct client *c, struct buf *b, int64_t id, const char *what)
{
	struct json_doc	 d;
	char		*t;
	int		 res;

	xc_send(c, b);
	t = xc_await(c, id, what, &d, &res);
	json_doc_free(&d);
	free(t);
}

int
exec_client_fs_put(struct client *c, const char *local, const char *remote)
{
	struct buf	 data = { 0 }, b = { 0 };
	struct jw	 j;
	char		 chunk[65536];
	ssize_t		 n;
	size_t		 off;
	int		 fd = 0;
	int64_t		 id;
	char		 hid[32];

	if (strcmp(local, "-") != 0 &&
	    (fd = open(local, O_RDONLY | O_CLOEXEC)) == -1)
		xc_die("%s: %s", local, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			xc_die("%s: %s", local, strerror(errno));
		buf_add(&data, chunk, (size_t)n);
	}
	if (fd != 0)
		close(fd);
	if (data.oom)
		xc_die("out of memory");
	if (buf_used(&data) <= 8 * BLOCK) {
		id = xc_begin(c, &j, &b, "fs/writeFile", c->next_id++);
		jw_obj(&j);
		jw_key(&j, "path");
		xc_remote_uri(&j, remote);
		jw_key(&j, "dataBase64");
		jw_b64(&j, buf_data(&data), buf_used(&data));
		jw_obj_end(&j);
		jw_obj_end(&j);
		call_ok(c, &b, id, remote);
		goto out;
	}
	/* Big files go in blocks through a file handle. */
	snprintf(hid, sizeof(hid), "put-%ld", (long)getpid());
	id = xc_begin(c, &j, &b, "fs/open", c->next_id++);
	jw_obj(&j);
	jw_key(&j, "handleId");
	jw_cstr(&j, hid);
	jw_key(&j, "path");
	xc_remote_uri(&j, remote);
	jw_key(&j, "mode");
	jw_cstr(&j, "replace");
	jw_obj_end(&j);
	jw_obj_end(&j);
	call_ok(c, &b, id, remote);
	for (off = 0; off < buf_used(&data); off += BLOCK) {
		id = xc_begin(c, &j, &b, "fs/writeBlock", c->next_id++);
		jw_obj(&j);
		jw_key(&j, "handleId");
		jw_cstr(&j, hid);
		jw_key(&j, "offset");
		jw_u64(&j, off);
		jw_key(&j, "chunk");
		jw_b64(&j, buf_data(&data) + off, buf_used(&data) - off >
		    BLOCK ? BLOCK : buf_used(&data) - off);
		jw_obj_end(&j);
		jw_obj_end(&j);
		call_ok(c, &b, id, remote);
	}
	id = xc_begin(c, &j, &b, "fs/close", c->next_id++);
	jw_obj(&j);
	jw_key(&j, "handleId");
	jw_cstr(&j, hid);
	jw_obj_end(&j);
	jw_obj_end(&j);
	call_ok(c, &b, id, remote);
out:
	buf_free(&b);
	buf_free(&data);
	return 0;
}

struct entry {
	char	*name;
	int	 dir;
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
	    ((const struct entry *)b)->name);
}

int
exec_client_fs_ls(struct client *c, const char *remote)
{
	struct json_doc	 d;
	struct entry	*e;
	char		*t;
	int		 res, list, el;
	uint32_t	 i, n;

	t = path_call(c, "fs/readDirectory", remote, &d, &res);
	list = json_get(&d, res, "entries");
	n = list >= 0 ? d.tok[list].size : 0;
	if ((e = calloc(n + 1, sizeof(*e))) == NULL)
		xc_die("out of memory");
	for (i = 0; i < n; i++) {
		el = json_at(&d, list, i);
		e[i].name = json_str_dup(&d, json_get(&d, el, "fileName"),
		    NULL);
		if (e[i].name == NULL)
			xc_die("bad entry in the answer");
		e[i].dir = d.tok[json_get(&d, el, "isDirectory")].type ==
		    JSON_TRUE;
	}
	qsort(e, n, sizeof(*e), by_name);
	for (i = 0; i < n; i++) {
		printf("%s%s\n", e[i].name, e[i].dir ? "/" : "");
		free(e[i].name);
	}
	free(e);
	json_doc_free(&d);
	free(t);
	return fflush(stdout) == 0 ? 0 : EXIT_TOOL;
}
