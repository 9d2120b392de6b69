/*
 * runner.c: exec-conformance, run transcripts against an exec-server.
 *
 *	exec-conformance [--url ws://IP:PORT | --stdio CMD | --spawn CMD]
 *	    [--todo FILE] [--filter SUBSTR] [--with FEATURE] [--slow] [-v]
 *	    [--keep] [--timeout-mult N] transcript.jsonl ...
 *	exec-conformance --record scenario.jsonl --out transcript.jsonl
 *	    [--url URL | --stdio CMD | --spawn CMD]
 *
 * Prints TAP: one test per transcript, "# TODO" for the names listed in
 * the todo file, "# SKIP" for transcripts that do not apply, and the
 * first difference as "# " lines.  Exits 1 when a transcript that is
 * neither TODO nor skipped fails.
 *
 * The modules, each using only those below it:
 *	runner.c	the command line, the servers and the TAP output
 *	steps.c		the steps: send, expect, absent, sleep, dispatch
 *	links.c		the connection steps: open, close, closed, drop
 *	record.c	--record: an expect step written as what arrived
 *	prepare.c	the "prepare" operations (files under ${WORK})
 *	run.c		one transcript's run: failures, deadlines, payloads
 *	session.c	the connections, their messages, process records
 *	match.c		a received value against an expected one
 *	transcript.c	a transcript file read and its header
 *	vars.c		placeholders: bindings, templates, substitution
 *	show.c		values cut short for diagnostics
 *	stream.c	the names of a process's output streams
 *	tok.c		helpers for the tokens of a parsed JSON document
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "client/wsc.h"
#include "prepare.h"
#include "run.h"
#include "steps.h"
#include "transcript.h"
#include "vars.h"

struct opts {
	const char	*url;
	const char	*stdio;
	const char	*spawn;
	const char	*todo;
	const char	*filter;
	const char	*record;
	const char	*out;
	const char	*workdir;
	char		 with[512];
	const char	*token_file;	/* --token-file */
	const char	*auth;		/* its Authorization field, or NULL */
	int		 slow;
	int		 verbose;
	int		 keep;
	double		 mult;
	int		 timeout;
};

static char	**todo_names;
static size_t	  ntodo;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: exec-conformance [--url ws://IP:PORT | --stdio CMD | "
	    "--spawn CMD]\n"
	    "           [--todo FILE] [--filter SUBSTR] [--with FEATURE] "
	    "[--slow] [-v]\n"
	    "           [--keep] [--timeout-mult N] [--token-file PATH] "
	    "transcript.jsonl ...\n"
	    "       exec-conformance --record SCENARIO --out TRANSCRIPT "
	    "[--url | --stdio | --spawn ...]\n");
	exit(2);
}

static void
load_todo(const char *path)
{
	FILE	*f;
	char	 line[512], *p;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "exec-conformance: %s: %s\n", path,
		    strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		n = strcspn(line, " \t\r\n");
		line[n] = '\0';
		if (n == 0)
			continue;
		if ((n = strlen(line)) > 6 &&
		    strcmp(line + n - 6, ".jsonl") == 0)
			line[n - 6] = '\0';
		todo_names = reallocarray(todo_names, ntodo + 1,
		    sizeof(*todo_names));
		if (todo_names == NULL || (todo_names[ntodo] = strdup(line)) ==
		    NULL) {
			fprintf(stderr, "exec-conformance: out of memory\n");
			exit(2);
		}
		ntodo++;
	}
	fclose(f);
}

static int
is_todo(const char *name)
{
	size_t	 i;

	for (i = 0; i < ntodo; i++)
		if (strcmp(todo_names[i], name) == 0)
			return 1;
	return 0;
}

/* Is every word of need among the words of have? */
static const char *
missing_feature(const char *need, const char *have)
{
	static char	 word[64];
	const char	*p = need, *h;
	size_t		 n, hn;

	while (*p != '\0') {
		n = strcspn(p, " ");
		for (h = have; *h != '\0'; h += hn + (h[hn] == ' ')) {
			hn = strcspn(h, " ");
			if (hn == n && strncmp(h, p, n) == 0)
				break;
		}
		if (*h == '\0') {
			snprintf(word, sizeof(word), "%.*s", (int)n, p);
			return word;
		}
		p += n + (p[n] == ' ');
	}
	return NULL;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

/* Single-quote s for /bin/sh. */
static void
shquote(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	buf_addc(b, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, s[i]);
	}
	buf_addc(b, '\'');
}

/* Start --spawn's server; its first stdout line is the URL. */
static struct wsc *
start_server(struct run *r, const char *cmd, char *url, size_t urllen)
{
	const struct json_doc	*h = &r->t->lines[0].doc;
	struct buf		 full = { 0 }, arg = { 0 };
	struct wsc		*w;
	struct wsc_event	 ev;
	char			 err[512];
	uint32_t		 i;
	int			 a = r->t->server_args;

	buf_adds(&full, cmd);
	if (a >= 0 && h->tok[a].type == JSON_ARRAY)
		for (i = 0; i < h->tok[a].size; i++) {
			buf_reset(&arg);
			if (vars_subst_str(&arg, &r->vars, h, json_at(h, a, i),
			    err, sizeof(err)) == -1) {
				run_fail(r, 1, "serverArgs: %s", err);
				goto fail;
			}
			buf_addc(&full, ' ');
			shquote(&full, buf_data(&arg), buf_used(&arg));
		}
	buf_addc(&full, '\0');
	if ((w = wsc_spawn(buf_data(&full), r->errfd, err, sizeof(err))) ==
	    NULL) {
		run_fail(r, 1, "cannot start the server: %s", err);
		goto fail;
	}
	if (wsc_recv(w, &ev, wsc_now() + 20000) != WSC_EV_MESSAGE ||
	    ev.len >= urllen || ev.len < 5 || strncmp(ev.data, "ws://", 5)) {
		run_fail(r, 1, "the server did not print a ws:// URL");
		wsc_close(w, 2000);
		goto fail;
	}
	memcpy(url, ev.data, ev.len);
	url[ev.len] = '\0';
	buf_free(&full);
	buf_free(&arg);
	return w;
fail:
	buf_free(&full);
	buf_free(&arg);
	return NULL;
}

/*
 * Run one transcript.  Returns 0 pass, 1 fail, 2 skip (why says why).
 * diag receives the "# " lines.
 */
static int
run_one(struct opts *o, const char *path, struct transcript *t,
    const char *base, struct buf *diag, char *why, size_t whylen,
    struct buf *record)
{
	struct run	 r;
	struct passwd	*pw;
	struct wsc	*srv = NULL;
	char		 url[256], work[1024];
	const char	*miss;
	int		 rc;

	memset(&r, 0, sizeof(r));
	r.t = t;
	if (o->stdio != NULL && !t->stdio) {
		snprintf(why, whylen, "WebSocket only");
		return 2;
	}
	if (o->stdio == NULL && !t->ws) {
		snprintf(why, whylen, "stdio only");
		return 2;
	}
	if (o->stdio != NULL && t->multi) {
		snprintf(why, whylen, "needs several connections");
		return 2;
	}
	if (t->slow && !o->slow && record == NULL) {
		snprintf(why, whylen, "slow (run with --slow)");
		return 2;
	}
	if ((miss = missing_feature(t->requires, o->with)) != NULL &&
	    record == NULL) {
		snprintf(why, whylen, "requires %s (--with %s)", miss, miss);
		return 2;
	}
	snprintf(work, sizeof(work), "%s/%s", base, t->name);
	if (mkdir(work, 0755) == -1 && errno != EEXIST) {
		buf_addf(diag, "# %s: %s\n", work, strerror(errno));
		return 1;
	}
	r.work = work;
	r.errfd = o->verbose ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC);
	r.default_timeout = o->timeout;
	r.timeout_mult = o->mult;
	r.verbose = o->verbose;
	r.record = record;
	r.transport = o->stdio != NULL ? WSC_STDIO : WSC_WS;
	r.stdio_cmd = o->stdio;
	r.url = o->url;
	r.auth = o->auth;
	vars_set_str(&r.vars, "WORK", work, strlen(work));
	if ((pw = getpwuid(getuid())) != NULL)
		vars_set_str(&r.vars, "PWHOME", pw->pw_dir,
		    strlen(pw->pw_dir));
	if (t->server_prepare >= 0)
		prepare_run(&r, &t->lines[0].doc, t->server_prepare);
	if (!r.failed && o->spawn != NULL) {
		if ((srv = start_server(&r, o->spawn, url, sizeof(url))) !=
		    NULL)
			r.url = url;
	}
	if (!r.failed)
		steps_run(&r);
	if (srv != NULL)
		wsc_close(srv, 3000);
	if (r.errfd >= 0)
		close(r.errfd);
	vars_free(&r.vars);
	rc = r.failed ? 1 : 0;
	buf_add(diag, buf_data(&r.diag), buf_used(&r.diag));
	buf_free(&r.diag);
	if (!o->keep)
		nftw(work, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	(void)path;
	return rc;
}

static void
print_diag(struct buf *diag)
{
	if (buf_used(diag) > 0)
		fwrite(buf_data(diag), 1, buf_used(diag), stdout);
}

static int
do_record(struct opts *o, const char *base)
{
	struct transcript	 t;
	struct buf		 diag = { 0 }, rec = { 0 };
	char			 err[1024], why[256];
	FILE			*f;
	int			 rc;

	if (transcript_load(&t, o->record, err, sizeof(err)) == -1) {
		fprintf(stderr, "exec-conformance: %s\n", err);
		return 2;
	}
	rc = run_one(o, o->record, &t, base, &diag, why, sizeof(why), &rec);
	if (rc == 2) {
		fprintf(stderr, "exec-conformance: cannot record: %s\n", why);
		return 2;
	}
	if (buf_used(&diag) > 0) {
		fprintf(stderr, "exec-conformance: warnings while "
		    "recording:\n");
		fwrite(buf_data(&diag), 1, buf_used(&diag), stderr);
	}
	if ((f = fopen(o->out, "w")) == NULL ||
	    fwrite(buf_data(&rec), 1, buf_used(&rec), f) != buf_used(&rec) ||
	    fclose(f) != 0) {
		fprintf(stderr, "exec-conformance: %s: %s\n", o->out,
		    strerror(errno));
		return 2;
	}
	transcript_free(&t);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts		 o;
	struct transcript	 t;
	struct buf		 diag = { 0 }, auth = { 0 };
	char			 base[1024], err[1024], why[256];
	const char		*tmp;
	int			 i, n = 0, nfiles, rc, bad = 0;
	int			 passed = 0, failed = 0, skipped = 0, todo = 0;
	size_t			 len;

	memset(&o, 0, sizeof(o));
	o.mult = 1.0;
	o.timeout = 10000;
	signal(SIGPIPE, SIG_IGN);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char	*a = argv[i];

#define ARG() (i + 1 < argc ? argv[++i] : (usage(), ""))
		if (strcmp(a, "--url") == 0)
			o.url = ARG();
		else if (strcmp(a, "--stdio") == 0)
			o.stdio = ARG();
		else if (strcmp(a, "--spawn") == 0)
			o.spawn = ARG();
		else if (strcmp(a, "--todo") == 0)
			o.todo = ARG();
		else if (strcmp(a, "--token-file") == 0)
			o.token_file = ARG();
		else if (strcmp(a, "--filter") == 0)
			o.filter = ARG();
		else if (strcmp(a, "--record") == 0)
			o.record = ARG();
		else if (strcmp(a, "--out") == 0)
			o.out = ARG();
		else if (strcmp(a, "--workdir") == 0)
			o.workdir = ARG();
		else if (strcmp(a, "--timeout-mult") == 0)
			o.mult = atof(ARG());
		else if (strcmp(a, "--timeout") == 0)
			o.timeout = atoi(ARG());
		else if (strcmp(a, "--with") == 0) {
			len = strlen(o.with);
			snprintf(o.with + len, sizeof(o.with) - len, "%s%s",
			    len > 0 ? " " : "", ARG());
		} else if (strcmp(a, "--slow") == 0)
			o.slow = 1;
		else if (strcmp(a, "--keep") == 0)
			o.keep = 1;
		else if (strcmp(a, "-v") == 0)
			o.verbose = 1;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage();
		else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else
			usage();
#undef ARG
	}
	if ((o.url != NULL) + (o.stdio != NULL) + (o.spawn != NULL) != 1 ||
	    o.mult <= 0 || (o.record != NULL) != (o.out != NULL))
		usage();
	if (o.todo != NULL)
		load_todo(o.todo);
	/* A secured server's token, for every connection it should take. */
	if (wsc_token(o.token_file, &auth, err, sizeof(err)) == -1) {
		fprintf(stderr, "exec-conformance: %s\n", err);
		return 2;
	}
	if (buf_used(&auth) > 0) {
		buf_addc(&auth, '\0');
		o.auth = buf_data(&auth);
	}
	tmp = o.workdir != NULL ? o.workdir : getenv("TMPDIR");
	snprintf(base, sizeof(base), "%s/exec-conformance.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(base) == NULL) {
		fprintf(stderr, "exec-conformance: %s: %s\n", base,
		    strerror(errno));
		return 2;
	}
	if (strpbrk(base, " %#?\"'\\") != NULL) {
		fprintf(stderr, "exec-conformance: the scratch directory %s "
		    "needs percent-encoding; use --workdir\n", base);
		return 2;
	}
	if (o.record != NULL) {
		rc = do_record(&o, base);
		if (!o.keep)
			rmdir(base);
		buf_free(&auth);
		return rc;
	}
	if (i >= argc)
		usage();
	nfiles = argc - i;
	if (o.filter != NULL) {
		for (rc = i, nfiles = 0; rc < argc; rc++)
			nfiles += strstr(argv[rc], o.filter) != NULL;
	}
	printf("1..%d\n", nfiles);
	fflush(stdout);
	for (; i < argc; i++) {
		if (o.filter != NULL && strstr(argv[i], o.filter) == NULL)
			continue;
		n++;
		buf_reset(&diag);
		if (transcript_load(&t, argv[i], err, sizeof(err)) == -1) {
			printf("not ok %d - %s\n# %s\n", n, argv[i], err);
			bad = 1;
			failed++;
			transcript_free(&t);
			continue;
		}
		rc = run_one(&o, argv[i], &t, base, &diag, why, sizeof(why),
		    NULL);
		if (rc == 2) {
			printf("ok %d - %s # SKIP %s\n", n, t.name, why);
			skipped++;
		} else if (t.expect_fail) {
			if (rc == 1) {
				printf("ok %d - %s (fails as it must)\n", n,
				    t.name);
				passed++;
				if (o.verbose)
					print_diag(&diag);
			} else {
				printf("not ok %d - %s # this mutant passed\n",
				    n, t.name);
				failed++;
				bad = 1;
			}
		} else if (is_todo(t.name)) {
			printf("%s %d - %s # TODO\n", rc == 0 ? "ok" : "not ok",
			    n, t.name);
			if (rc == 0)
				passed++;
			else
				todo++;
			if (rc != 0 && o.verbose)
				print_diag(&diag);
		} else if (rc == 0) {
			printf("ok %d - %s\n", n, t.name);
			passed++;
		} else {
			printf("not ok %d - %s\n", n, t.name);
			print_diag(&diag);
			failed++;
			bad = 1;
		}
		fflush(stdout);
		transcript_free(&t);
	}
	if (!o.keep)
		rmdir(base);
	if (todo > 0)
		printf("# %d TODO transcript(s) failed\n", todo);
	printf("exec-conformance: %d passed, %d failed, %d skipped\n", passed,
	    failed, skipped + todo);
	buf_free(&diag);
	buf_free(&auth);
	return bad;
}
