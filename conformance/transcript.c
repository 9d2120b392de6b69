/*
 * transcript.c: read a transcript (format 1, README.md) into lines of
 * parsed JSON and its header.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "tok.h"
#include "transcript.h"

#define FORMAT	1		/* the transcript format this reads */

static char *
slurp(const char *path, size_t *lenp, char *err, size_t errlen)
{
	FILE	*f;
	char	*p = NULL, *np;
	size_t	 len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 131072;
			if ((np = realloc(p, cap + 1)) == NULL) {
				snprintf(err, errlen, "out of memory");
				free(p);
				fclose(f);
				return NULL;
			}
			p = np;
		}
		n = fread(p + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	p[len] = '\0';
	*lenp = len;
	return p;
}

/* Does step s name a connection other than c1, or open one twice? */
static void
note_conns(struct transcript *t, const struct json_doc *d, int *opens)
{
	static const char *const keys[] = { "conn", "open", "close", "drop",
	    "closed" };
	size_t	 i;
	int	 k;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		k = json_get(d, 0, keys[i]);
		if (k >= 0 && d->tok[k].type == JSON_STRING &&
		    !json_str_eq(d, k, "c1"))
			t->multi = 1;
	}
	if (json_get(d, 0, "open") >= 0 && ++*opens > 1)
		t->multi = 1;
}

static int
header(struct transcript *t, char *err, size_t errlen)
{
	const struct json_doc	*d = &t->lines[0].doc;
	int			 k, e;
	int64_t			 v;
	uint32_t		 i;
	size_t			 n;
	char			*s;

	if (tok_int(d, json_get(d, 0, "format"), &v) == -1 || v != FORMAT) {
		snprintf(err, errlen, "%s: line 1 is not a format %d header",
		    t->path, FORMAT);
		return -1;
	}
	if ((s = tok_dup(d, json_get(d, 0, "name"))) != NULL) {
		free(t->name);
		t->name = s;
	}
	t->description = tok_dup(d, json_get(d, 0, "description"));
	t->ws = t->stdio = 1;
	if ((k = json_get(d, 0, "transports")) >= 0) {
		/* Found by the fuzzer: [] made a transcript for nothing. */
		if (d->tok[k].type != JSON_ARRAY || d->tok[k].size == 0) {
			snprintf(err, errlen, "%s: transports: not a non-empty "
			    "array of \"ws\" and \"stdio\"", t->path);
			return -1;
		}
		t->ws = t->stdio = 0;
		for (i = 0; i < d->tok[k].size; i++) {
			e = json_at(d, k, i);
			if (tok_is_str(d, e, "ws"))
				t->ws = 1;
			else if (tok_is_str(d, e, "stdio"))
				t->stdio = 1;
			else {
				snprintf(err, errlen, "%s: unknown transport",
				    t->path);
				return -1;
			}
		}
	}
	if (tok_int(d, json_get(d, 0, "timeoutMs"), &v) == 0)
		t->timeout_ms = (int)v;
	t->slow = tok_bool(d, json_get(d, 0, "slow"));
	t->expect_fail = tok_bool(d, json_get(d, 0, "expectFail"));
	if ((k = json_get(d, 0, "requires")) >= 0 &&
	    d->tok[k].type == JSON_ARRAY) {
		for (i = 0; i < d->tok[k].size; i++) {
			if ((s = tok_dup(d, json_at(d, k, i))) == NULL)
				continue;
			n = strlen(t->requires);
			snprintf(t->requires + n, sizeof(t->requires) - n,
			    "%s%s", n > 0 ? " " : "", s);
			free(s);
		}
	}
	t->server_args = json_get(d, 0, "serverArgs");
	t->server_prepare = json_get(d, 0, "serverPrepare");
	return 0;
}

/*
 * The lines of t->text (len bytes, NUL-terminated by slurp or
 * transcript_parse), each cut at its newline; where names the text in
 * messages.
 */
static int
split(struct transcript *t, size_t len, const char *where, char *err,
    size_t errlen)
{
	char		*p, *nl, *end = t->text + len;
	size_t		 n, cap = 0;
	struct line	*nlines;
	int		 lineno = 0, opens = 0;

	if (memchr(t->text, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: a NUL byte in the text", where);
		return -1;
	}
	for (p = t->text; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		p[n] = '\0';
		if (strspn(p, " \t") == n)
			continue;
		if (t->nlines == cap) {
			cap = cap ? cap * 2 : 64;
			nlines = reallocarray(t->lines, cap, sizeof(*nlines));
			if (nlines == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			t->lines = nlines;
		}
		memset(&t->lines[t->nlines], 0, sizeof(struct line));
		t->lines[t->nlines].p = p;
		t->lines[t->nlines].len = n;
		t->lines[t->nlines].lineno = lineno;
		if (json_parse(&t->lines[t->nlines].doc, p, n) == -1) {
			snprintf(err, errlen, "%s:%d: %s", where, lineno,
			    t->lines[t->nlines].doc.err_msg);
			t->nlines++;
			return -1;
		}
		t->nlines++;
		if (t->lines[t->nlines - 1].doc.tok[0].type != JSON_OBJECT) {
			snprintf(err, errlen, "%s:%d: not an object", where,
			    lineno);
			return -1;
		}
		if (t->nlines > 1)
			note_conns(t, &t->lines[t->nlines - 1].doc, &opens);
	}
	if (t->nlines == 0) {
		snprintf(err, errlen, "%s: empty transcript", where);
		return -1;
	}
	return header(t, err, errlen);
}

/* name: the path, or what stands for it; the transcript's name from it. */
static int
names(struct transcript *t, const char *path, char *err, size_t errlen)
{
	const char	*base;
	char		*dot;

	base = strrchr(path, '/');
	if ((t->path = strdup(path)) == NULL ||
	    (t->name = strdup(base != NULL ? base + 1 : path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((dot = strrchr(t->name, '.')) != NULL && strcmp(dot, ".jsonl") == 0)
		*dot = '\0';
	return 0;
}

int
transcript_load(struct transcript *t, const char *path, char *err,
    size_t errlen)
{
	size_t	 len;

	memset(t, 0, sizeof(*t));
	t->server_args = t->server_prepare = -1;
	if (names(t, path, err, errlen) == -1 ||
	    (t->text = slurp(path, &len, err, errlen)) == NULL)
		return -1;
	return split(t, len, path, err, errlen);
}

int
transcript_parse(struct transcript *t, const char *name, const char *p,
    size_t len, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->server_args = t->server_prepare = -1;
	if (names(t, name, err, errlen) == -1)
		return -1;
	if (len == SIZE_MAX || (t->text = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (len > 0)
		memcpy(t->text, p, len);
	t->text[len] = '\0';
	return split(t, len, name, err, errlen);
}

void
transcript_free(struct transcript *t)
{
	size_t	 i;

	for (i = 0; i < t->nlines; i++)
		json_doc_free(&t->lines[i].doc);
	free(t->lines);
	free(t->text);
	free(t->path);
	free(t->name);
	free(t->description);
	memset(t, 0, sizeof(*t));
}
