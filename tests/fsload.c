/*
 * fsload.c: large-payload filesystem calls for the shell tests, which
 * rpcpipe's line-oriented scripts cannot carry.
 *
 *   fsload [-t ms] TARGET put URI FILE    fs/writeFile with FILE's bytes
 *   fsload [-t ms] TARGET get URI FILE    fs/readFile into FILE
 *   fsload [-t ms] ws://IP:PORT stall URI
 *   fsload [-t ms] ws://IP:PORT wstall URI FILE N
 *   fsload [-t ms] ws://IP:PORT during METHOD PARAMS URI
 *   fsload [-t ms] TARGET hslow URL PAUSE_MS
 *
 * TARGET is ws://IP:PORT or "stdio:COMMAND" (a stdio server started
 * with /bin/sh -c).  put and get print "ok BYTES MS" or the error
 * response.  stall opens two connections: the first reads URI while the
 * second sends environment/status back to back; it prints
 * "ok LEN read_ms=N max_gap_ms=M pings=K" (LEN: the response's length),
 * where max_gap_ms is the longest any status call waited: how long the
 * read held up another connection.  wstall does the same with N
 * fs/writeFile calls of FILE's bytes sent back to back.
 * during sends METHOD with PARAMS (a JSON object) on one connection and,
 * until its answer is there, fs/getMetadata of URI on another, back to
 * back; it prints "ok pings=K max_gap_ms=M op_ms=T", K the getMetadata
 * answers that came before the call's (a server that does the call in
 * one go answers at most one), then the call's answer on a line.
 * hslow streams URL with http/request (streamResponse), reads nothing
 * for PAUSE_MS after the answer (printing "paused" when it starts and
 * "reading" when it ends: the caller looks at the server meanwhile),
 * then reads every bodyDelta and prints "ok BYTES DELTAS" when their
 * seqs run 1, 2, ... and the last is done without error.
 * Exit status 0 when the call succeeded, 1 when it failed, 2 on misuse
 * or transport errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/jw.h"
#include "client/wsc.h"

static int64_t	 timeout = 60000;

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "fsload: %s: %s\n", what, why);
	exit(2);
}

static struct wsc *
open_target(const char *target)
{
	struct wsc	*c;
	char		 err[256];

	if (strncmp(target, "stdio:", 6) == 0)
		c = wsc_spawn(target + 6, -1, err, sizeof(err));
	else
		c = wsc_connect(target, NULL, wsc_now() + timeout, NULL, err,
		    sizeof(err));
	if (c == NULL)
		die(target, err);
	return c;
}

static void
send_msg(struct wsc *c, const char *p, size_t n)
{
	if (wsc_send(c, p, n, 0, wsc_now() + timeout) == -1)
		die("send", wsc_error(c));
}

/* Wait for the response to id; its text stays in *out. */
static void
await(struct wsc *c, int64_t id, struct buf *out)
{
	struct wsc_event	 ev;
	struct json_doc		 d;
	int64_t			 got;
	int			 t;

	for (;;) {
		switch (wsc_recv(c, &ev, wsc_now() + timeout)) {
		case WSC_EV_MESSAGE:
			break;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			continue;
		case WSC_EV_TIMEOUT:
			die("recv", "timed out");
			break;
		default:
			die("recv", "connection ended");
		}
		memset(&d, 0, sizeof(d));
		if (json_parse(&d, ev.data, ev.len) == 0 &&
		    (t = json_get(&d, 0, "id")) >= 0 &&
		    json_i64(&d, t, &got) == 0 && got == id) {
			buf_reset(out);
			buf_add(out, ev.data, ev.len);
			json_doc_free(&d);
			return;
		}
		json_doc_free(&d);
	}
}

static void
hello(struct wsc *c)
{
	static const char	 init[] = "{\"id\":0,\"method\":\"initialize\","
	    "\"params\":{\"clientName\":\"fsload\"}}";
	static const char	 done[] = "{\"method\":\"initialized\"}";
	struct buf		 b = { 0 };

	send_msg(c, init, strlen(init));
	await(c, 0, &b);
	send_msg(c, done, strlen(done));
	buf_free(&b);
}

/* A response: print "ok ..." with the data written to file, or itself. */
static int
result(const struct buf *r, const char *file, int64_t ms, const char *extra)
{
	struct json_doc	 d;
	struct b64_err	 e;
	char		*s = NULL, *data = NULL;
	size_t		 n;
	long long	 len = 0;
	int		 t, fd, rc = 1;

	memset(&d, 0, sizeof(d));
	if (json_parse(&d, buf_data(r), buf_used(r)) == -1 ||
	    (t = json_get(&d, 0, "result")) < 0) {
		printf("%.*s\n", (int)buf_used(r), buf_data(r));
		goto out;
	}
	if (file != NULL) {
		if ((t = json_get(&d, t, "dataBase64")) < 0 ||
		    (s = json_str_dup(&d, t, &n)) == NULL ||
		    (data = malloc(b64_dec_max(n) + 1)) == NULL)
			die("response", "no dataBase64");
		if ((len = b64_decode(data, s, n, &e)) < 0)
			die("response", "bad base64");
		if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0644)) == -1 || write(fd, data, (size_t)len) != len ||
		    close(fd) == -1)
			die(file, strerror(errno));
	}
	printf("ok %lld %s%lld\n", len, extra, (long long)ms);
	rc = 0;
out:
	free(s);
	free(data);
	json_doc_free(&d);
	return rc;
}

static void
read_file(const char *file, struct buf *b)
{
	struct stat	 st;
	int		 fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || buf_reserve(b, (size_t)st.st_size) == -1 ||
	    read(fd, b->p + b->len, (size_t)st.st_size) != st.st_size)
		die(file, strerror(errno));
	b->len += (size_t)st.st_size;
	close(fd);
}

static void
write_request(struct buf *msg, const char *uri, const char *file)
{
	struct buf	 data = { 0 };
	struct jw	 w;

	read_file(file, &data);
	jw_init(&w, msg);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_i64(&w, 1);
	jw_key(&w, "method");
	jw_cstr(&w, "fs/writeFile");
	jw_key(&w, "params");
	jw_obj(&w);
	jw_key(&w, "path");
	jw_cstr(&w, uri);
	jw_key(&w, "dataBase64");
	jw_b64(&w, buf_data(&data), buf_used(&data));
	jw_obj_end(&w);
	jw_obj_end(&w);
	if (msg->oom)
		die("write", "out of memory");
	buf_free(&data);
}

static int
put(struct wsc *c, const char *uri, const char *file)
{
	struct buf	 msg = { 0 }, r = { 0 };
	int64_t		 t0;
	int		 rc;

	write_request(&msg, uri, file);
	t0 = wsc_now();
	send_msg(c, buf_data(&msg), buf_used(&msg));
	await(c, 1, &r);
	rc = result(&r, NULL, wsc_now() - t0, "");
	buf_free(&msg);
	buf_free(&r);
	return rc;
}

/* {"id":id,"method":method,"params":{"path":uri}} into msg. */
static void
path_request(struct buf *msg, int64_t id, const char *method,
    const char *uri)
{
	struct jw	 w;

	buf_reset(msg);
	jw_init(&w, msg);
	jw_obj(&w);
	jw_key(&w, "id");
	jw_i64(&w, id);
	jw_key(&w, "method");
	jw_cstr(&w, method);
	jw_key(&w, "params");
	jw_obj(&w);
	jw_key(&w, "path");
	jw_cstr(&w, uri);
	jw_obj_end(&w);
	jw_obj_end(&w);
}

static int
get(struct wsc *c, const char *uri, const char *file)
{
	struct buf	 msg = { 0 }, r = { 0 };
	int64_t		 t0;
	int		 rc;

	path_request(&msg, 1, "fs/readFile", uri);
	t0 = wsc_now();
	send_msg(c, buf_data(&msg), buf_used(&msg));
	await(c, 1, &r);
	rc = result(&r, file, wsc_now() - t0, "");
	buf_free(&msg);
	buf_free(&r);
	return rc;
}

/*
 * A child reads the file on one connection while this process sends
 * environment/status on another, back to back, until the child is done:
 * two processes, so that receiving the big answer does not hold up the
 * pings.
 */
static int
stall(const char *url, const char *uri, const char *file, int n)
{
	static const char	 ping[] = "{\"id\":2,\"method\":"
	    "\"environment/status\"}";
	struct wsc_event	 ev;
	struct wsc		*a, *b;
	struct buf		 msg = { 0 }, pr = { 0 };
	int64_t			 t0, t1, gap, maxgap = 0, at = 0;
	int64_t			 pings = 0;
	pid_t			 pid;
	int			 st, rc, i;

	b = open_target(url);
	hello(b);
	t0 = wsc_now();
	if ((pid = fork()) == -1)
		die("fork", strerror(errno));
	if (pid == 0) {
		a = open_target(url);
		hello(a);
		if (file != NULL)
			write_request(&msg, uri, file);
		else
			path_request(&msg, 1, "fs/readFile", uri);
		t0 = wsc_now();
		for (i = 0; i < n; i++)
			send_msg(a, buf_data(&msg), buf_used(&msg));
		for (i = 0; i < n; i++) {
			do
				rc = wsc_recv(a, &ev, wsc_now() + timeout);
			while (rc == WSC_EV_PING || rc == WSC_EV_PONG);
			if (rc != WSC_EV_MESSAGE || ev.len < 17 ||
			    memcmp(ev.data, "{\"id\":1,\"result\":", 17) != 0)
				_exit(1);
		}
		printf("ok %zu %s_ms=%lld ", ev.len, file != NULL ? "write" :
		    "read", (long long)(wsc_now() - t0));
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &st, WNOHANG) == 0) {
		t1 = wsc_now();
		send_msg(b, ping, strlen(ping));
		await(b, 2, &pr);
		if ((gap = wsc_now() - t1) > maxgap) {
			maxgap = gap;
			at = t1 - t0;
		}
		pings++;
		if (wsc_now() - t0 > timeout)
			die("stall", "timed out");
	}
	rc = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
	printf("%smax_gap_ms=%lld (at %lld ms) pings=%lld\n",
	    rc ? "failed " : "", (long long)maxgap, (long long)at,
	    (long long)pings);
	wsc_close(b, 0);
	buf_free(&msg);
	buf_free(&pr);
	return rc;
}

/* Is the answer to id there already?  Never waits. */
static int
arrived(struct wsc *c, int64_t id, struct buf *out)
{
	struct wsc_event	 ev;
	struct json_doc		 d;
	int64_t			 got;
	int			 t, yes;

	for (;;) {
		switch (wsc_recv(c, &ev, wsc_now())) {
		case WSC_EV_MESSAGE:
			break;
		case WSC_EV_PING:
		case WSC_EV_PONG:
			continue;
		case WSC_EV_TIMEOUT:
			return 0;
		default:
			die("recv", "connection ended");
		}
		memset(&d, 0, sizeof(d));
		yes = json_parse(&d, ev.data, ev.len) == 0 &&
		    (t = json_get(&d, 0, "id")) >= 0 &&
		    json_i64(&d, t, &got) == 0 && got == id;
		json_doc_free(&d);
		if (yes) {
			buf_reset(out);
			buf_add(out, ev.data, ev.len);
			return 1;
		}
	}
}

/*
 * One process, two connections: the call on a, fs/getMetadata on b until
 * the call's answer has come.  Answers are small enough to wait in the
 * socket while b is served.
 */
static int
during(const char *url, const char *method, const char *params,
    const char *uri)
{
	struct wsc	*a, *b;
	struct buf	 msg = { 0 }, r = { 0 }, pr = { 0 };
	int64_t		 t0, t1, gap, maxgap = 0, pings = 0, id = 2;

	a = open_target(url);
	hello(a);
	b = open_target(url);
	hello(b);
	buf_addf(&msg, "{\"id\":1,\"method\":\"%s\",\"params\":%s}",
	    method, params);
	t0 = wsc_now();
	send_msg(a, buf_data(&msg), buf_used(&msg));
	while (!arrived(a, 1, &r)) {
		path_request(&msg, id, "fs/getMetadata", uri);
		t1 = wsc_now();
		send_msg(b, buf_data(&msg), buf_used(&msg));
		await(b, id++, &pr);
		if ((gap = wsc_now() - t1) > maxgap)
			maxgap = gap;
		pings++;
		if (wsc_now() - t0 > timeout)
			die("during", "timed out");
	}
	printf("ok pings=%lld max_gap_ms=%lld op_ms=%lld\n%.*s\n",
	    (long long)pings, (long long)maxgap, (long long)(wsc_now() - t0),
	    (int)buf_used(&r), buf_data(&r));
	wsc_close(a, 0);
	wsc_close(b, 0);
	buf_free(&msg);
	buf_free(&r);
	buf_free(&pr);
	return 0;
}

static int
hslow(const char *target, const char *url, int pause)
{
	struct wsc		*c = open_target(target);
	struct wsc_event	 ev;
	struct json_doc		 d;
	struct buf		 m = { 0 };
	int64_t			 seq, want = 1, bytes = 0;
	int			 p, t;
	size_t			 n;

	hello(c);
	buf_addf(&m, "{\"id\":1,\"method\":\"http/request\",\"params\":"
	    "{\"method\":\"GET\",\"url\":\"%s\",\"requestId\":\"s\","
	    "\"streamResponse\":true}}", url);
	send_msg(c, buf_data(&m), buf_used(&m));
	await(c, 1, &m);
	printf("paused\n");
	fflush(stdout);
	usleep((useconds_t)pause * 1000);
	printf("reading\n");
	fflush(stdout);
	for (;;) {
		if (wsc_recv(c, &ev, wsc_now() + timeout) != WSC_EV_MESSAGE)
			die("recv", "no message");
		memset(&d, 0, sizeof(d));
		if (json_parse(&d, ev.data, ev.len) != 0 ||
		    (p = json_get(&d, 0, "params")) < 0 ||
		    (t = json_get(&d, p, "seq")) < 0 ||
		    json_i64(&d, t, &seq) == -1) {
			json_doc_free(&d);
			continue;
		}
		if (seq != want++)
			die("seq", "out of order");
		t = json_get(&d, p, "deltaBase64");
		n = d.tok[t].end - d.tok[t].start - 2;
		bytes += (int64_t)(n / 4 * 3) - (n > 0 &&
		    d.p[d.tok[t].end - 2] == '=') - (n > 1 &&
		    d.p[d.tok[t].end - 3] == '=');
		if (d.tok[json_get(&d, p, "done")].type == JSON_TRUE) {
			t = json_get(&d, p, "error");
			if (d.tok[t].type != JSON_NULL)
				die("stream", "ended with an error");
			json_doc_free(&d);
			break;
		}
		json_doc_free(&d);
	}
	printf("ok %lld %lld\n", (long long)bytes, (long long)want - 1);
	buf_free(&m);
	wsc_close(c, 1000);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct wsc	*c;
	int		 ch, rc;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			goto usage;
		timeout = atoll(optarg);
	}
	argc -= optind;
	argv += optind;
	if (argc == 3 && strcmp(argv[1], "stall") == 0)
		return stall(argv[0], argv[2], NULL, 1);
	if (argc == 5 && strcmp(argv[1], "wstall") == 0)
		return stall(argv[0], argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && strcmp(argv[1], "during") == 0)
		return during(argv[0], argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "hslow") == 0)
		return hslow(argv[0], argv[2], atoi(argv[3]));
	if (argc != 4)
		goto usage;
	c = open_target(argv[0]);
	hello(c);
	if (strcmp(argv[1], "put") == 0)
		rc = put(c, argv[2], argv[3]);
	else if (strcmp(argv[1], "get") == 0)
		rc = get(c, argv[2], argv[3]);
	else
		goto usage;
	wsc_close(c, 1000);
	return rc;
usage:
	fprintf(stderr, "usage: fsload [-t ms] TARGET put|get URI FILE\n"
	    "       fsload [-t ms] ws://IP:PORT stall URI\n"
	    "       fsload [-t ms] ws://IP:PORT wstall URI FILE N\n"
	    "       fsload [-t ms] ws://IP:PORT during METHOD PARAMS URI\n"
	    "       fsload [-t ms] TARGET hslow URL PAUSE_MS\n");
	return 2;
}
