/*
 * utf8.h: strict UTF-8 validation (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), incremental so that text split across WebSocket
 * fragments is checked as it arrives.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

struct utf8 {
	uint32_t	 cp;		/* code point being assembled */
	uint8_t		 need;		/* continuation bytes still expected */
	uint8_t		 lo, hi;	/* allowed range of the next byte */
};

void	 utf8_init(struct utf8 *);
/* Feed bytes: 0 while valid so far, -1 at the first invalid byte. */
int	 utf8_feed(struct utf8 *, const void *, size_t);
/* At end of input: 0 when no sequence is left incomplete. */
int	 utf8_done(const struct utf8 *);
/* One-shot: is (p, n) valid UTF-8?  Returns 1 or 0. */
int	 utf8_valid(const void *, size_t);
/*
 * Length of the well-formed sequence at s (n > 0 bytes), or 0 with *bad
 * the length of its maximal ill-formed prefix: the unit that becomes one
 * U+FFFD, as in Rust's from_utf8_lossy.
 */
size_t	 utf8_seq(const unsigned char *s, size_t n, size_t *bad);

#endif
