/*
 * uri_test.c: uri_to_path() against what the reference answers for
 * process/start's cwd and fs/getMetadata's path (measured on codex
 * 0.169.0): WHATWG parsing of the file scheme, hosts included, and the
 * reference's checks and words; then uri_host() and uri_scheme() alone,
 * as http:// URLs (httpc/hurl.c) use them.
 */
#include <stdio.h>
#include <string.h>

#include "base/jw.h"
#include "compat/uri.h"
#include "tap.h"

static void
good(const char *uri, const char *want)
{
	struct buf	 path = { 0 }, msg = { 0 };
	int		 code = 0, rc;

	rc = uri_to_path(uri, strlen(uri), &path, &code, &msg);
	ok(rc == 0 && strlen(want) == buf_used(&path) &&
	    memcmp(want, buf_data(&path), buf_used(&path)) == 0 &&
	    buf_data(&path)[buf_used(&path)] == '\0',
	    "\"%s\" -> \"%s\" (got %d \"%.*s\")", uri, want, rc,
	    (int)buf_used(&path), buf_data(&path));
	buf_free(&path);
	buf_free(&msg);
}

static void
bad(const char *uri, int want_code, const char *want)
{
	struct buf	 path = { 0 }, msg = { 0 };
	int		 code = 0, rc;

	rc = uri_to_path(uri, strlen(uri), &path, &code, &msg);
	ok(rc == -1 && code == want_code && strlen(want) == buf_used(&msg) &&
	    memcmp(want, buf_data(&msg), buf_used(&msg)) == 0,
	    "\"%s\" -> %d \"%s\" (got %d %d \"%.*s\")", uri, want_code, want,
	    rc, code, (int)buf_used(&msg), buf_data(&msg));
	buf_free(&path);
	buf_free(&msg);
}

static void
put(const char *path, const char *want)
{
	struct buf	 b = { 0 };
	struct jw	 w;

	jw_init(&w, &b);
	uri_put(&w, path);
	ok(!b.oom && strlen(want) == buf_used(&b) &&
	    memcmp(want, buf_data(&b), buf_used(&b)) == 0,
	    "uri_put \"%s\" -> %s (got %.*s)", path, want,
	    (int)buf_used(&b), buf_data(&b));
	buf_free(&b);
}

/* uri_host(): rc, then the host written, or the words of the error. */
static void
host(const char *h, int want_rc, const char *want)
{
	struct buf	 out = { 0 }, err = { 0 };
	struct buf	*got;
	int		 rc;

	rc = uri_host(h, strlen(h), &out, &err);
	got = rc == URI_HOST_BAD ? &err : &out;
	ok(rc == want_rc && strlen(want) == buf_used(got) &&
	    memcmp(want, buf_data(got), buf_used(got)) == 0 &&
	    (rc == URI_HOST_BAD ? buf_used(&out) : buf_used(&err)) == 0,
	    "uri_host \"%s\" -> %d \"%s\" (got %d \"%.*s\")", h, want_rc,
	    want, rc, (int)buf_used(got), buf_data(got));
	buf_free(&out);
	buf_free(&err);
}

/* file://HOST/x: code 0 for a local path ("/x"), else the error. */
static const struct {
	const char	*uri;
	int		 code;
	const char	*want;
} hosts[] = {
	{ "file://ex%41mple.com/x", -32600,
	    "'file://example.com/x' is invalid on 'linux'" },
	{ "file://a.b.c/x", -32600,
	    "'file://a.b.c/x' is invalid on 'linux'" },
	{ "file://.a/x", -32600,
	    "'file://.a/x' is invalid on 'linux'" },
	{ "file://a../x", -32600,
	    "'file://a../x' is invalid on 'linux'" },
	{ "file://../x", -32600,
	    "'file://../x' is invalid on 'linux'" },
	{ "file://a.1b/x", -32600,
	    "'file://a.1b/x' is invalid on 'linux'" },
	{ "file://ho%23st/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%2Fst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%3Cst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%3Fst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%5Bst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%5Dst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%7Cst/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%00st/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%2Est/x", -32600,
	    "'file://ho.st/x' is invalid on 'linux'" },
	{ "file://%2e%2e/x", -32600,
	    "'file://../x' is invalid on 'linux'" },
	{ "file://ho%/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://ho%C3%BCst/x", -32600,
	    "'file://xn--host-1ra/x' is invalid on 'linux'" },
	{ "file://ho%C3st/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://xn--a%2Db/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://1.2.3/x", -32600,
	    "'file://1.2.0.3/x' is invalid on 'linux'" },
	{ "file://0x7f.1/x", -32600,
	    "'file://127.0.0.1/x' is invalid on 'linux'" },
	{ "file://0177.0.0.1/x", -32600,
	    "'file://127.0.0.1/x' is invalid on 'linux'" },
	{ "file://2130706433/x", -32600,
	    "'file://127.0.0.1/x' is invalid on 'linux'" },
	{ "file://4294967296/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://1.2.3.4./x", -32600,
	    "'file://1.2.3.4/x' is invalid on 'linux'" },
	{ "file://1.2.3.4.5/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://1.2.65536/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://09.1/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://0x.0x/x", -32600,
	    "'file://0.0.0.0/x' is invalid on 'linux'" },
	{ "file://1.2.3.09/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://a.1/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://1..2/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://%31.2.3.4/x", -32600,
	    "'file://1.2.3.4/x' is invalid on 'linux'" },
	{ "file://\xef\xbc\x91\xef\xbc\x92\xef\xbc"
	    "\x97.\xef\xbc\x90.\xef\xbc\x90.\xef\xbc\x91/x", -32600,
	    "'file://127.0.0.1/x' is invalid on 'linux'" },
	{ "file://1.2.3.0x7fffffffff/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://[::]/x", -32600,
	    "'file://[::]/x' is invalid on 'linux'" },
	{ "file://[::FFFF:1.2.3.4]/x", -32600,
	    "'file://[::ffff:102:304]/x' is invalid on 'linux'" },
	{ "file://[1:2:3:4:5:6:7:8]/x", -32600,
	    "'file://[1:2:3:4:5:6:7:8]/x' is invalid on 'linux'" },
	{ "file://[1:0:0:1:0:0:0:1]/x", -32600,
	    "'file://[1:0:0:1::1]/x' is invalid on 'linux'" },
	{ "file://[::1.2.3.4]/x", -32600,
	    "'file://[::102:304]/x' is invalid on 'linux'" },
	{ "file://[1:2:3:4:5:6:7:8:9]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[::1.2.3.04]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[12345::]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[:1]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[fe80::1%25eth0]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://localhost/x", 0,
	    "/x" },
	{ "file://LOCALHOST/x", 0,
	    "/x" },
	{ "file://LocalHost/x", 0,
	    "/x" },
	{ "file://localhost./x", -32600,
	    "'file://localhost./x' is invalid on 'linux'" },
	{ "file://%6Cocalhost/x", 0,
	    "/x" },
	{ "file://localhost%2E/x", -32600,
	    "'file://localhost./x' is invalid on 'linux'" },
	{ "file://localhost.localdomain/x", -32600,
	    "'file://localhost.localdomain/x' is invalid on 'linux'" },
	{ "file://a\xef\xbc\x8e" "b/x", -32600,
	    "'file://a.b/x' is invalid on 'linux'" },
	{ "file://\xc2\xad/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xcd\x8f/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xe1\xa0\x8b/x", -32602,
	    "invalid URI: empty host" },
	{ "file://xn--tda%C3%BC/x", -32602,
	    "invalid URI: invalid international domain name" },
	{ "file://\xef\xbc\x90/x", -32600,
	    "'file://0.0.0.0/x' is invalid on 'linux'" },
	{ "file://\xe2\x80\x8b/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xe2\x81\xa0/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xef\xbb\xbf/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xef\xb8\x8f/x", -32602,
	    "invalid URI: empty host" },
	{ "file://\xf3\xa0\x84\x80/x", -32602,
	    "invalid URI: empty host" },
	{ "file://0/x", -32600,
	    "'file://0.0.0.0/x' is invalid on 'linux'" },
	{ "file://0.0/x", -32600,
	    "'file://0.0.0.0/x' is invalid on 'linux'" },
	{ "file://0X10.0x0.00.1/x", -32600,
	    "'file://16.0.0.1/x' is invalid on 'linux'" },
	{ "file://256.0.0.0/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://4294967295./x", -32600,
	    "'file://255.255.255.255/x' is invalid on 'linux'" },
	{ "file://0x1.0x1000000/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://1.16777215/x", -32600,
	    "'file://1.255.255.255/x' is invalid on 'linux'" },
	{ "file://1.2.0x10000/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://07/x", -32600,
	    "'file://0.0.0.7/x' is invalid on 'linux'" },
	{ "file://1.2.3.\xef\xbc\x94/x", -32600,
	    "'file://1.2.3.4/x' is invalid on 'linux'" },
	{ "file://a.0x/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://a.09/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://a.0x1./x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://1e.1/x", -32602,
	    "invalid URI: invalid IPv4 address" },
	{ "file://[0::0]/x", -32600,
	    "'file://[::]/x' is invalid on 'linux'" },
	{ "file://[::2:3:4:5:6:7:8]/x", -32600,
	    "'file://[0:2:3:4:5:6:7:8]/x' is invalid on 'linux'" },
	{ "file://[1::]/x", -32600,
	    "'file://[1::]/x' is invalid on 'linux'" },
	{ "file://[0:1:0:0:1:0:0:0]/x", -32600,
	    "'file://[0:1:0:0:1::]/x' is invalid on 'linux'" },
	{ "file://[::ffff:0:0]/x", -32600,
	    "'file://[::ffff:0:0]/x' is invalid on 'linux'" },
	{ "file://[1:2:3:4:5:6:7:1.2.3.4]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[::1.2.3.4x]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[::00001]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[fffff::]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[1:::]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[::1:]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[[::1]]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[]]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[ ::1]/x", -32602,
	    "invalid URI: invalid IPv6 address" },
	{ "file://[A:B:C:D:E:F:0:0]/x", -32600,
	    "'file://[a:b:c:d:e:f::]/x' is invalid on 'linux'" },
	{ "file://[a:0:0:b::]/x", -32600,
	    "'file://[a:0:0:b::]/x' is invalid on 'linux'" },
	{ "file://localhost../x", -32600,
	    "'file://localhost../x' is invalid on 'linux'" },
	{ "file://LOCALHOST./x", -32600,
	    "'file://localhost./x' is invalid on 'linux'" },
	{ "file://localhost.x/x", -32600,
	    "'file://localhost.x/x' is invalid on 'linux'" },
	{ "file://xlocalhost/x", -32600,
	    "'file://xlocalhost/x' is invalid on 'linux'" },
	{ "file://%4C%4F%43%41%4C%48%4F%53%54/x", 0,
	    "/x" },
	{ "file://localhost\xc2\xad/x", 0,
	    "/x" },
	{ "file://localhost\xe3\x80\x82/x", -32600,
	    "'file://localhost./x' is invalid on 'linux'" },
};

int
main(void)
{
	size_t	 i;

	diag("uri_to_path: good URIs, then errors");
	good("file:///tmp", "/tmp");
	good("file:///tmp/", "/tmp/");
	good("file:///", "/");
	good("file://", "/");
	good("file:", "/");
	good("file:/tmp", "/tmp");
	good("file:tmp", "/tmp");
	good("FILE:///tmp", "/tmp");
	good("  file:///tmp  ", "/tmp");
	good("file:///t\tm\rp", "/tmp");
	good("file://localhost/tmp", "/tmp");
	good("file://LocalHost/tmp", "/tmp");
	good("file:///tmp/a/../b/./c", "/tmp/b/c");
	good("file:///tmp/a/%2e%2E/b/%2e", "/tmp/b/");
	good("file:///..", "/");
	good("file:///a/..", "/");
	good("file:///a/.", "/a/");
	good("file:///tmp/sp%20ace", "/tmp/sp ace");
	good("file:///tmp/sp ace", "/tmp/sp ace");
	good("file:///tmp/%C3%A9", "/tmp/\xc3\xa9");
	good("file:///tmp/\xc3\xa9", "/tmp/\xc3\xa9");
	good("file:///tmp/%zz", "/tmp/%zz");
	good("file:///tmp/%2", "/tmp/%2");
	good("file:///tmp/%ff", "/tmp/\xff");
	good("file:///tmp/%2fx", "/tmp//x");
	good("file:///tmp\\x", "/tmp/x");
	good("file:\\\\\\tmp", "/tmp");
	good("file:////tmp", "//tmp");
	good("file:///C|/x", "/C|/x");

	bad("", -32602, "invalid URI: relative URL without a base");
	bad("/tmp", -32602, "invalid URI: relative URL without a base");
	bad("tmp", -32602, "invalid URI: relative URL without a base");
	bad("1a:x", -32602, "invalid URI: relative URL without a base");
	bad("a b:x", -32602, "invalid URI: relative URL without a base");
	bad("http://host/tmp/x", -32602, "unsupported path URI scheme `http`");
	bad("WS:x", -32602, "unsupported path URI scheme `ws`");
	bad("file:///tmp?x=1", -32602,
	    "query parameters are not allowed in path URIs");
	bad("file:///tmp?", -32602,
	    "query parameters are not allowed in path URIs");
	bad("file:///tmp#f", -32602, "fragments are not allowed in path URIs");
	bad("file:///tmp/%00x", -32602, "'file:///tmp/%00x' is invalid on 'linux'");
	bad("file://ho%20st/x", -32602,
	    "invalid URI: invalid international domain name");
	bad("file://host/tmp/x", -32600, "'file://host/tmp/x' is invalid on 'linux'");
	bad("file://Host.Example", -32600,
	    "'file://host.example/' is invalid on 'linux'");
	bad("file://%41/x", -32600, "'file://a/x' is invalid on 'linux'");
	bad("file://[::1]/tmp", -32600, "'file://[::1]/tmp' is invalid on 'linux'");
	/* Measured against the reference: host syntax errors are -32602. */
	bad("file://[::1/x", -32602, "invalid URI: invalid IPv6 address");
	bad("file://[zz]/x", -32602, "invalid URI: invalid IPv6 address");
	bad("file://1.2.3.999/x", -32602, "invalid URI: invalid IPv4 address");
	bad("file://a.0x1g/x", -32600, "'file://a.0x1g/x' is invalid on 'linux'");
	bad("file://a.0xfff1/x", -32602, "invalid URI: invalid IPv4 address");
	bad("file://1.2.3.4/x", -32600, "'file://1.2.3.4/x' is invalid on 'linux'");
	bad("http:", -32602, "invalid URI: empty host");
	bad("http://", -32602, "invalid URI: empty host");
	bad("https:///x", -32602, "unsupported path URI scheme `https`");
	bad("tcp:", -32602, "unsupported path URI scheme `tcp`");
	bad("file:///C:/x", -32600, "'file:///C:/x' is invalid on 'linux'");
	bad("file://C:/x", -32600, "'file:///C:/x' is invalid on 'linux'");
	bad("file:\\\\tmp", -32600, "'file://tmp/' is invalid on 'linux'");
	good("file:///tmp/<a b>/x\"", "/tmp/<a b>/x\"");
	bad("file://h/<a b>`{}\"", -32600,
	    "'file://h/%3Ca%20b%3E%60%7B%7D%22' is invalid on 'linux'");

	diag("uri_put: the URI as a JSON string, for a JSON writer");
	put("/tmp/a b", "\"file:///tmp/a%20b\"");
	put("/", "\"file:///\"");
	put("/x/\"%\\", "\"file:///x/%22%25%5C\"");

	diag("hosts: IPv4, IPv6, localhost, %%-escapes, empty after IDNA");
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		if (hosts[i].code == 0)
			good(hosts[i].uri, hosts[i].want);
		else
			bad(hosts[i].uri, hosts[i].code, hosts[i].want);
	}

	diag("uri_host, uri_scheme: what http:// URLs share");
	host("Ex%41mple.COM", URI_HOST_DOMAIN, "example.com");
	host("LocalHost", URI_HOST_DOMAIN, "localhost");
	host("\xc3\x9c" "ber.de", URI_HOST_DOMAIN, "xn--ber-goa.de");
	host("0x7f.1", URI_HOST_IPV4, "127.0.0.1");
	host("0300.0250.1.1.", URI_HOST_IPV4, "192.168.1.1");
	host("[::FFFF:1.2.3.4]", URI_HOST_IPV6, "[::ffff:102:304]");
	host("[::1:2]", URI_HOST_IPV6, "[::1:2]");
	host("[0:0:0:0:0:0:0:1]", URI_HOST_IPV6, "[::1]");
	host("", URI_HOST_BAD, "empty host");
	host("%C2%AD", URI_HOST_BAD, "empty host");
	host("a b", URI_HOST_BAD, "invalid international domain name");
	host("a%2fb", URI_HOST_BAD, "invalid international domain name");
	host("xn--zz", URI_HOST_BAD, "invalid international domain name");
	host("09", URI_HOST_BAD, "invalid IPv4 address");
	host("a.1.2.3.019", URI_HOST_BAD, "invalid IPv4 address");
	host("1.2.3.4.5", URI_HOST_BAD, "invalid IPv4 address");
	host("[::1", URI_HOST_BAD, "invalid IPv6 address");
	host("[1.2.3.4]", URI_HOST_BAD, "invalid IPv6 address");
	ok(uri_scheme("http://x", 8) == 4, "uri_scheme \"http://x\" -> 4");
	ok(uri_scheme("a+b-c.9:", 8) == 7, "uri_scheme \"a+b-c.9:\" -> 7");
	ok(uri_scheme("9a:", 3) == 0, "uri_scheme \"9a:\" -> 0");
	ok(uri_scheme("http", 4) == 0, "uri_scheme \"http\" -> 0");
	ok(uri_scheme(":x", 2) == 0, "uri_scheme \":x\" -> 0");
	ok(uri_scheme("a/b:", 4) == 0, "uri_scheme \"a/b:\" -> 0");
	return done_testing();
}
