/*
 * auth.c: WebSocket authentication, the reference's two modes:
 *
 *   capability-token     Authorization: Bearer TOKEN, where SHA-256(TOKEN)
 *                        is the digest of --ws-token-file's contents or
 *                        --ws-token-sha256;
 *   signed-bearer-token  Authorization: Bearer JWT, a compact JWS signed
 *                        with HMAC-SHA256 under --ws-shared-secret-file,
 *                        with exp (required), nbf, iss and aud checked
 *                        as the reference checks them, a clock skew
 *                        allowed on both sides.
 *
 * Secrets are compared in constant time (equal()): digests of the token,
 * and the MAC.  Everything is checked in the reference's order with its
 * 401 bodies; where it is lax this is stricter, as docs/protocol.md says:
 * a second Authorization field, and a JWS header with "crit" (RFC 7515
 * §4.1.11: an extension we do not know must be refused), are refused.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/b64.h"
#include "base/lim.h"
#include "base/json.h"
#include "base/sha256.h"
#include "compat/oserr.h"
#include "net/auth.h"

#define MODE_NONE	0
#define MODE_TOKEN	1
#define MODE_JWT	2

#define DEFAULT_SKEW	30

static struct {
	int		 mode;
	uint8_t		 digest[SHA256_LEN];	/* MODE_TOKEN */
	char		*secret;		/* MODE_JWT */
	size_t		 secret_len;
	char		*issuer, *audience;	/* NULL: not checked */
	int64_t		 skew;
} auth;

/* Constant time in the length: every byte is looked at. */
static int
equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t	 d = 0;
	size_t			 i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The file at path, trimmed, into *out (NUL-terminated); a warning when
 * others may read it.  0, or -1 with the reference's words in err.
 */
static int
read_secret(const char *path, char **out, size_t *outlen, struct buf *err)
{
	struct stat	 st;
	struct buf	 b = { 0 };
	char		 chunk[4096];
	size_t		 s, e;
	ssize_t		 n;
	int		 fd, rc = -1;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		buf_addf(err, "failed to read websocket auth secret %s: ",
		    path);
		oserr_fmt(err, errno);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		buf_addf(err, "failed to read websocket auth secret %s: ",
		    path);
		oserr_fmt(err, EISDIR);
		goto out;
	}
	if (st.st_mode & (S_IRGRP | S_IROTH))
		fprintf(stderr, "exec-server: warning: %s can be read by other "
		    "users (mode %03o); chmod 600 it\n", path,
		    (unsigned)(st.st_mode & 0777));
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			buf_addf(err, "failed to read websocket auth secret "
			    "%s: ", path);
			oserr_fmt(err, errno);
			goto out;
		}
		if (n == 0)
			break;
		buf_add(&b, chunk, (size_t)n);
		if (buf_used(&b) > LIM_AUTH_SECRET) {
			buf_addf(err, "websocket auth secret %s is larger than "
			    "%d bytes", path, LIM_AUTH_SECRET);
			goto out;
		}
	}
	for (s = 0; s < buf_used(&b) && is_space(b.p[s]); s++)
		;
	for (e = buf_used(&b); e > s && is_space(b.p[e - 1]); e--)
		;
	if (e == s) {
		buf_addf(err, "websocket auth secret %s must not be empty", path);
		goto out;
	}
	if (b.oom || (*out = malloc(e - s + 1)) == NULL) {
		buf_adds(err, "out of memory");
		goto out;
	}
	memcpy(*out, b.p + s, e - s);
	(*out)[e - s] = '\0';
	*outlen = e - s;
	rc = 0;
out:
	if (b.p != NULL)
		memset(b.p, 0, b.cap);
	buf_free(&b);
	if (fd != -1)
		close(fd);
	return rc;
}

int
auth_setup(const struct auth_opts *o, struct buf *err)
{
	const char	*p;
	char		*tok;
	size_t		 len, i;
	unsigned long long v;
	int		 jwt_flags, tok_flags;

	tok_flags = o->token_file != NULL || o->token_sha256 != NULL;
	jwt_flags = o->secret_file != NULL || o->issuer != NULL ||
	    o->audience != NULL || o->skew != NULL;
	if (o->mode == NULL) {
		if (!tok_flags && !jwt_flags)
			return 0;
		buf_adds(err, "websocket auth flags require `--ws-auth "
		    "capability-token` or `--ws-auth signed-bearer-token`");
		return -1;
	}
	if (strcmp(o->mode, "capability-token") == 0) {
		auth.mode = MODE_TOKEN;
		if (jwt_flags) {
			buf_adds(err, "`--ws-shared-secret-file`, `--ws-issuer`, "
			    "`--ws-audience`, and `--ws-max-clock-skew-seconds` "
			    "require `--ws-auth signed-bearer-token`");
			return -1;
		}
		if (o->token_file != NULL && o->token_sha256 != NULL) {
			buf_adds(err, "`--ws-token-file` and `--ws-token-sha256` "
			    "are mutually exclusive");
			return -1;
		}
		if (!tok_flags) {
			buf_adds(err, "`--ws-token-file` or `--ws-token-sha256` "
			    "is required when `--ws-auth capability-token` is "
			    "set");
			return -1;
		}
		if ((p = o->token_sha256) != NULL) {
			if (strlen(p) != 2 * SHA256_LEN)
				goto badhex;
			for (i = 0; i < SHA256_LEN; i++) {
				if (hexval(p[2 * i]) == -1 ||
				    hexval(p[2 * i + 1]) == -1)
					goto badhex;
				auth.digest[i] = (uint8_t)(hexval(p[2 * i]) << 4 |
				    hexval(p[2 * i + 1]));
			}
		}
	} else if (strcmp(o->mode, "signed-bearer-token") == 0) {
		auth.mode = MODE_JWT;
		if (tok_flags) {
			buf_adds(err, "`--ws-token-file` and `--ws-token-sha256` "
			    "require `--ws-auth capability-token`, not "
			    "`signed-bearer-token`");
			return -1;
		}
		if (o->secret_file == NULL) {
			buf_adds(err, "`--ws-shared-secret-file` is required when "
			    "`--ws-auth signed-bearer-token` is set");
			return -1;
		}
		auth.skew = DEFAULT_SKEW;
		if (o->skew != NULL) {
			/* Whole seconds, at most about 31 years. */
			for (p = o->skew, v = 0; *p >= '0' && *p <= '9' &&
			    v <= 1000000000ULL; p++)
				v = v * 10 + (unsigned)(*p - '0');
			if (*p != '\0' || p == o->skew || v > 1000000000ULL) {
				buf_addf(err, "invalid --ws-max-clock-skew-seconds "
				    "`%s`; expected whole seconds, at most "
				    "1000000000", o->skew);
				return -2;
			}
			auth.skew = (int64_t)v;
		}
	} else {
		buf_addf(err, "invalid value `%s` for --ws-auth; expected "
		    "`capability-token` or `signed-bearer-token`", o->mode);
		return -2;
	}
	if (o->stdio) {
		buf_adds(err, "WebSocket auth requires a WebSocket listener, not "
		    "stdio");
		return -1;
	}
	if (auth.mode == MODE_TOKEN && o->token_file != NULL) {
		if (read_secret(o->token_file, &tok, &len, err) == -1)
			return -1;
		sha256(tok, len, auth.digest);
		memset(tok, 0, len);
		free(tok);
	}
	if (auth.mode == MODE_JWT) {
		if (read_secret(o->secret_file, &auth.secret, &auth.secret_len,
		    err) == -1)
			return -1;
		if (auth.secret_len < 32) {
			buf_addf(err, "signed websocket bearer secret %s must be "
			    "at least 32 bytes", o->secret_file);
			return -1;
		}
		if ((o->issuer != NULL &&
		    (auth.issuer = strdup(o->issuer)) == NULL) ||
		    (o->audience != NULL &&
		    (auth.audience = strdup(o->audience)) == NULL)) {
			buf_adds(err, "out of memory");
			return -1;
		}
	}
	return 0;
badhex:
	buf_adds(err, "--ws-token-sha256 must be a 64-character hex SHA-256 "
	    "digest");
	return -1;
}

int
auth_enabled(void)
{
	return auth.mode != MODE_NONE;
}

/* a + b and a - b, held at the ends of int64_t. */
static int64_t
sat_add(int64_t a, int64_t b)
{
	return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static int64_t
sat_sub(int64_t a, int64_t b)
{
	return a < INT64_MIN + b ? INT64_MIN : a - b;
}

/* Decode a base64url part into a new buffer; NULL if it is not one. */
static uint8_t *
part(const char *p, size_t n, size_t *outlen)
{
	uint8_t		*d;
	long long	 r;

	if ((d = malloc(b64_dec_max(n) + 1)) == NULL)
		return NULL;
	if ((r = b64_url_decode(d, p, n)) < 0) {
		free(d);
		return NULL;
	}
	*outlen = (size_t)r;
	return d;
}

/* Is the value at t absent or null? */
static int
missing(const struct json_doc *d, int t)
{
	return t < 0 || d->tok[t].type == JSON_NULL;
}

/* Does aud (a string, or an array of strings) name want?  -1: bad type. */
static int
aud_has(const struct json_doc *d, int t, const char *want)
{
	uint32_t	 i;
	int		 e, found = 0;

	if (d->tok[t].type == JSON_STRING)
		return json_str_eq(d, t, want);
	if (d->tok[t].type != JSON_ARRAY)
		return -1;
	for (i = 0; i < d->tok[t].size; i++) {
		e = json_at(d, t, i);
		if (d->tok[e].type != JSON_STRING)
			return -1;
		if (json_str_eq(d, e, want))
			found = 1;
	}
	return found;
}

/*
 * A compact JWS: header.claims.signature, base64url each.  The header
 * must say HS256 and carry no "crit"; the MAC must match before the
 * claims are read at all; then exp, nbf, iss, aud in the reference's
 * order.
 */
static const char *
check_jwt(const char *tok, size_t n, int64_t now)
{
	static const char	 invalid[] = "invalid websocket jwt";
	struct json_doc		 hd, cd;
	const char		*dot1, *dot2, *verdict = invalid;
	uint8_t			*h = NULL, *c = NULL, *sig = NULL;
	uint8_t			 mac[SHA256_LEN];
	size_t			 hl, cl, sl;
	int64_t			 exp, nbf;
	int			 t, hok = 0, cok = 0;

	memset(&hd, 0, sizeof(hd));
	memset(&cd, 0, sizeof(cd));
	if ((dot1 = memchr(tok, '.', n)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', n - (size_t)(dot1 + 1 - tok))) ==
	    NULL || memchr(dot2 + 1, '.', n - (size_t)(dot2 + 1 - tok)) != NULL)
		goto out;
	if ((h = part(tok, (size_t)(dot1 - tok), &hl)) == NULL ||
	    (c = part(dot1 + 1, (size_t)(dot2 - dot1 - 1), &cl)) == NULL ||
	    (sig = part(dot2 + 1, n - (size_t)(dot2 + 1 - tok), &sl)) == NULL)
		goto out;
	hok = json_parse(&hd, (const char *)h, hl) == 0;
	if (!hok || hd.tok[0].type != JSON_OBJECT ||
	    (t = json_get(&hd, 0, "alg")) < 0 || !json_str_eq(&hd, t, "HS256") ||
	    json_get(&hd, 0, "crit") >= 0)
		goto out;
	sha256_hmac(auth.secret, auth.secret_len, tok, (size_t)(dot2 - tok),
	    mac);
	if (sl != SHA256_LEN || !equal(mac, sig, SHA256_LEN))
		goto out;
	cok = json_parse(&cd, (const char *)c, cl) == 0;
	if (!cok || cd.tok[0].type != JSON_OBJECT)
		goto out;
	/* The shapes first, all of them: a bad one is an invalid token. */
	if ((t = json_get(&cd, 0, "exp")) < 0 || json_i64(&cd, t, &exp) == -1)
		goto out;
	t = json_get(&cd, 0, "nbf");
	if (!missing(&cd, t) && json_i64(&cd, t, &nbf) == -1)
		goto out;
	if (missing(&cd, t))
		nbf = INT64_MIN;
	t = json_get(&cd, 0, "iss");
	if (!missing(&cd, t) && cd.tok[t].type != JSON_STRING)
		goto out;
	t = json_get(&cd, 0, "aud");
	if (!missing(&cd, t) && aud_has(&cd, t, "") == -1)
		goto out;
	if (now > sat_add(exp, auth.skew))
		verdict = "expired websocket jwt";
	else if (now < sat_sub(nbf, auth.skew))
		verdict = "websocket jwt is not valid yet";
	else if (auth.issuer != NULL && (missing(&cd, t = json_get(&cd, 0,
	    "iss")) || !json_str_eq(&cd, t, auth.issuer)))
		verdict = "websocket jwt issuer mismatch";
	else if (auth.audience != NULL && (missing(&cd, t = json_get(&cd, 0,
	    "aud")) || aud_has(&cd, t, auth.audience) != 1))
		verdict = "websocket jwt audience mismatch";
	else
		verdict = NULL;
out:
	json_doc_free(&hd);
	json_doc_free(&cd);
	free(h);
	free(c);
	free(sig);
	return verdict;
}

const char *
auth_check(const struct http_req *r, int64_t now)
{
	const char	*v;
	uint8_t		 d[SHA256_LEN];
	size_t		 n;

	if (auth.mode == MODE_NONE)
		return NULL;
	if (r->authorization.p == NULL)
		return "missing websocket bearer token";
	/* "Bearer", any case, one space, the token (trimmed). */
	v = r->authorization.p;
	n = r->authorization.len;
	if (r->nauthorization > 1 || n < 7 ||
	    strncasecmp(v, "bearer", 6) != 0 || v[6] != ' ')
		return "invalid authorization header";
	v += 7;
	n -= 7;
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	if (n == 0)
		return "invalid authorization header";
	if (auth.mode == MODE_TOKEN) {
		sha256(v, n, d);
		return equal(d, auth.digest, SHA256_LEN) ? NULL :
		    "invalid websocket bearer token";
	}
	if (n > LIM_AUTH_JWT)
		return "invalid websocket jwt";
	return check_jwt(v, n, now);
}
