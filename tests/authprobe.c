/*
 * authprobe.c: the tools of tests/t0006-auth.sh.
 *
 *	authprobe jwt SECRET_FILE HEADER_JSON CLAIMS_JSON
 *		print the compact JWS of the two JSON texts, signed with
 *		HMAC-SHA256 under the file's contents (trimmed), as a client
 *		of --ws-auth signed-bearer-token makes it;
 *	authprobe get URL [FIELD]...
 *		upgrade with these extra "Name: value" fields; print "101",
 *		or the status, the body, and the answer's head;
 *	authprobe raw URL
 *		send standard input as it is, print the answer.
 *
 * Built from this project's own SHA-256, HMAC and base64url, so the
 * tests need no openssl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/buf.h"
#include "base/sha256.h"
#include "client/wsc.h"

#define T	5000

static void
put_b64url(struct buf *out, const void *p, size_t n)
{
	char	*e;

	if ((e = malloc(b64_url_enc_len(n) + 1)) == NULL)
		exit(2);
	b64_url_encode(e, p, n);
	buf_add(out, e, b64_url_enc_len(n));
	free(e);
}

static int
jwt(const char *secret_file, const char *header, const char *claims)
{
	struct buf	 key = { 0 }, out = { 0 };
	uint8_t		 mac[SHA256_LEN];
	char		 chunk[4096];
	size_t		 s, e;
	ssize_t		 n;
	FILE		*f;

	if ((f = fopen(secret_file, "r")) == NULL) {
		perror(secret_file);
		return 2;
	}
	while ((n = (ssize_t)fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&key, chunk, (size_t)n);
	fclose(f);
	for (s = 0; s < buf_used(&key) &&
	    strchr(" \t\r\n", buf_data(&key)[s]) != NULL; s++)
		;
	for (e = buf_used(&key); e > s &&
	    strchr(" \t\r\n", buf_data(&key)[e - 1]) != NULL; e--)
		;
	put_b64url(&out, header, strlen(header));
	buf_addc(&out, '.');
	put_b64url(&out, claims, strlen(claims));
	sha256_hmac(buf_data(&key) + s, e - s, buf_data(&out), buf_used(&out),
	    mac);
	buf_addc(&out, '.');
	put_b64url(&out, mac, sizeof(mac));
	printf("%.*s\n", (int)buf_used(&out), buf_data(&out));
	buf_free(&key);
	buf_free(&out);
	return 0;
}

static int
get(const char *url, char **fields, int n)
{
	struct wsc_http	 h;
	struct wsc	*c;
	struct buf	 hdr = { 0 };
	char		 err[256];
	int		 i;

	for (i = 0; i < n; i++) {
		buf_adds(&hdr, fields[i]);
		buf_adds(&hdr, "\r\n");
	}
	buf_addc(&hdr, '\0');
	memset(&h, 0, sizeof(h));
	c = wsc_connect(url, buf_data(&hdr), wsc_now() + T, &h, err,
	    sizeof(err));
	buf_free(&hdr);
	if (c != NULL) {
		printf("101\n");
		wsc_close(c, 1000);
		return 0;
	}
	if (h.status == 0) {
		fprintf(stderr, "authprobe: %s\n", err);
		return 1;
	}
	printf("%d\n%.*s\n%.*s", h.status, (int)buf_used(&h.body),
	    buf_data(&h.body), (int)buf_used(&h.head), buf_data(&h.head));
	wsc_http_free(&h);
	return 0;
}

static int
raw(const char *url)
{
	struct wsc		*c;
	struct wsc_event	 ev;
	struct buf		 in = { 0 };
	char			 chunk[4096], err[256];
	ssize_t			 n;
	int64_t			 dl = wsc_now() + T;

	while ((n = read(0, chunk, sizeof(chunk))) > 0)
		buf_add(&in, chunk, (size_t)n);
	if ((c = wsc_connect_raw(url, dl, err, sizeof(err))) == NULL ||
	    wsc_send_raw(c, buf_data(&in), buf_used(&in), dl) == -1) {
		fprintf(stderr, "authprobe: %s\n", err);
		return 1;
	}
	while (wsc_recv(c, &ev, dl) == WSC_EV_DATA)
		fwrite(ev.data, 1, ev.len, stdout);
	wsc_close(c, 0);
	buf_free(&in);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "jwt") == 0)
		return jwt(argv[2], argv[3], argv[4]);
	if (argc >= 3 && strcmp(argv[1], "get") == 0)
		return get(argv[2], argv + 3, argc - 3);
	if (argc == 3 && strcmp(argv[1], "raw") == 0)
		return raw(argv[2]);
	fprintf(stderr, "usage: authprobe jwt SECRET_FILE HEADER CLAIMS\n"
	    "       authprobe get URL [FIELD]...\n"
	    "       authprobe raw URL\n");
	return 2;
}
