/*
 * jwt_fuzz.c: the WebSocket authentication (net/auth.c) in its JWT mode,
 * fed Authorization values.  Invariant: the verdict is a pass or one of
 * the 401 bodies, nothing else (the corpus holds tokens signed with the
 * target's secret, so that mutations reach the claims).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "fuzz.h"
#include "net/auth.h"
#include "net/http.h"

static int	 ready;

static void
setup(void)
{
	struct auth_opts	 o;
	struct buf		 err = { 0 };
	char			 path[] = "/tmp/jwt_fuzz.XXXXXX";
	int			 fd;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, "0123456789abcdef0123456789abcdef-fuzz\n", 38) != 38)
		abort();
	close(fd);
	memset(&o, 0, sizeof(o));
	o.mode = "signed-bearer-token";
	o.secret_file = path;
	o.issuer = "iss";
	o.audience = "aud";
	if (auth_setup(&o, &err) != 0)
		abort();
	unlink(path);
	buf_free(&err);
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	static const char *const ok[] = { "missing websocket bearer token",
	    "invalid authorization header", "invalid websocket jwt",
	    "expired websocket jwt", "websocket jwt is not valid yet",
	    "websocket jwt issuer mismatch",
	    "websocket jwt audience mismatch", NULL };
	struct http_req	 r;
	const char	*v;
	size_t		 i;

	if (!ready)
		setup();
	memset(&r, 0, sizeof(r));
	r.authorization.p = (const char *)p;
	r.authorization.len = n;
	r.nauthorization = 1;
	if ((v = auth_check(&r, 1800000000)) == NULL)
		return 0;
	for (i = 0; ok[i] != NULL && strcmp(ok[i], v) != 0; i++)
		;
	FUZZ_ASSERT(ok[i] != NULL);
	return 0;
}
