/*
 * prepare.c: the "prepare" step, which lays out files under ${WORK}
 * before (or between) the messages that use them.  Every path must lie
 * inside the transcript's scratch directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "prepare.h"
#include "run.h"
#include "tok.h"
#include "vars.h"

/* A string field of op with placeholders substituted; NULL if absent. */
static char *
field(struct run *r, const struct json_doc *d, int op, const char *key,
    size_t *lenp, char *err, size_t errlen)
{
	struct buf	 b = { 0 };
	int		 k = json_get(d, op, key);

	if (k < 0 || d->tok[k].type != JSON_STRING)
		return NULL;
	if (vars_subst_str(&b, &r->vars, d, k, err, errlen) == -1 || b.oom) {
		buf_free(&b);
		return NULL;
	}
	buf_addc(&b, '\0');
	if (lenp != NULL)
		*lenp = buf_used(&b) - 1;
	return b.p;
}

static int
inside(struct run *r, const char *path)
{
	size_t	 n = strlen(r->work);

	return strncmp(path, r->work, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/') && strstr(path, "/../") ==
	    NULL;
}

static int
mkdirs(const char *path, mode_t mode)
{
	char	*p, *s;
	int	 r = 0;

	if ((p = strdup(path)) == NULL)
		return -1;
	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			r = -1;
		*s = '/';
	}
	if (r == 0 && mkdir(p, mode) == -1 && errno != EEXIST)
		r = -1;
	free(p);
	return r;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path) == -1 && errno != ENOENT ? -1 : 0;
}

static int
get_mode(const struct json_doc *d, int op, mode_t def)
{
	int	 k = json_get(d, op, "mode");
	char	*s;
	int64_t	 v;
	mode_t	 m = def;

	if (k < 0)
		return (int)def;
	if (d->tok[k].type == JSON_STRING) {
		if ((s = json_str_dup(d, k, NULL)) != NULL)
			m = (mode_t)strtoul(s, NULL, 8);
		free(s);
	} else if (json_i64(d, k, &v) == 0)
		m = (mode_t)v;
	return (int)m;
}

/* File contents: "text", "base64", or "repeat":{"text","count"}. */
static int
contents(struct run *r, const struct json_doc *d, int op, struct buf *b,
    char *err, size_t errlen)
{
	char		*s;
	size_t		 n;
	int		 k, tk;
	int64_t		 count, i;

	if ((s = field(r, d, op, "text", &n, err, errlen)) != NULL) {
		buf_add(b, s, n);
		free(s);
		return 0;
	}
	if ((k = json_get(d, op, "base64")) >= 0) {
		if (tok_b64(d, k, b) == 0)
			return 0;
		snprintf(err, errlen, "bad base64");
		return -1;
	}
	if ((k = json_get(d, op, "repeat")) >= 0) {
		tk = json_get(d, k, "text");
		if (tk < 0 ||
		    tok_int(d, json_get(d, k, "count"), &count) == -1 ||
		    (s = json_str_dup(d, tk, &n)) == NULL) {
			snprintf(err, errlen, "repeat needs text and count");
			return -1;
		}
		for (i = 0; i < count; i++)
			buf_add(b, s, n);
		free(s);
	}
	return 0;
}

static int
one_op(struct run *r, const struct json_doc *d, int op, char *err,
    size_t errlen)
{
	static const char *const verbs[] = { "mkdir", "write", "symlink",
	    "chmod", "remove", "mkfifo" };
	struct buf	 data = { 0 };
	char		*path = NULL, *target = NULL, *slash;
	size_t		 v;
	int		 fd, rc = -1;

	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if ((path = field(r, d, op, verbs[v], NULL, err, errlen)) !=
		    NULL)
			break;
	if (path == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "unknown prepare operation");
		return -1;
	}
	if (!inside(r, path)) {
		snprintf(err, errlen, "%s is outside ${WORK}", path);
		goto out;
	}
	/* Parents of what is created are made as needed. */
	if (v != 0 && v != 3 && v != 4 && (slash = strrchr(path, '/')) !=
	    NULL && slash != path) {
		*slash = '\0';
		mkdirs(path, 0755);
		*slash = '/';
	}
	switch (v) {
	case 0:
		rc = mkdirs(path, (mode_t)get_mode(d, op, 0755));
		break;
	case 1:
		if (contents(r, d, op, &data, err, errlen) == -1)
			goto out;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    (mode_t)get_mode(d, op, 0644));
		if (fd == -1)
			break;
		rc = write(fd, buf_data(&data), buf_used(&data)) ==
		    (ssize_t)buf_used(&data) ? 0 : -1;
		close(fd);
		if (rc == 0 && json_get(d, op, "mode") >= 0)
			rc = chmod(path, (mode_t)get_mode(d, op, 0644));
		break;
	case 2:
		if ((target = field(r, d, op, "target", NULL, err, errlen)) ==
		    NULL) {
			snprintf(err, errlen, "symlink needs a target");
			goto out;
		}
		rc = symlink(target, path);
		break;
	case 3:
		rc = chmod(path, (mode_t)get_mode(d, op, 0644));
		break;
	case 4:
		rc = nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		if (rc == -1 && errno == ENOENT)
			rc = 0;
		break;
	case 5:
		rc = mkfifo(path, (mode_t)get_mode(d, op, 0644));
		break;
	}
	if (rc == -1 && err[0] == '\0')
		snprintf(err, errlen, "%s %s: %s", verbs[v], path,
		    strerror(errno));
out:
	buf_free(&data);
	free(path);
	free(target);
	return rc;
}

int
prepare_run(struct run *r, const struct json_doc *d, int arr)
{
	char		 err[512];
	uint32_t	 i;

	if (arr < 0 || d->tok[arr].type != JSON_ARRAY)
		return -1;
	for (i = 0; i < d->tok[arr].size; i++) {
		err[0] = '\0';
		if (one_op(r, d, json_at(d, arr, i), err, sizeof(err)) == -1) {
			run_fail(r, 0, "prepare: %s", err);
			return -1;
		}
	}
	return 0;
}
