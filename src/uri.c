/*
 * uri.c: file:// URIs.
 *
 * Encoding follows the WHATWG path percent-encode set plus '%' (what
 * Rust's url crate does for Url::from_file_path): C0 controls, space,
 * '"', '#', '<', '>', '?', '`', '{', '}', '%', DEL and every non-ASCII
 * byte become %XX; '/' separates segments.
 */
#include "uri.h"

static int
must_escape(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 1;
	switch (c) {
	case '"': case '#': case '<': case '>': case '?':
	case '`': case '{': case '}': case '%':
		return 1;
	}
	return 0;
}

void
uri_from_path(struct buf *b, const char *path, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i;
	unsigned char		 c;

	buf_adds(b, "file://");
	for (i = 0; i < len; i++) {
		c = (unsigned char)path[i];
		if (must_escape(c)) {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else
			buf_addc(b, (char)c);
	}
}
