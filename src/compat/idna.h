/*
 * idna.h: the host of a special URL to ASCII (UTS #46 ToASCII as the
 * WHATWG URL standard runs it), and Punycode (RFC 3492).
 */
#ifndef IDNA_H
#define IDNA_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * WHATWG "domain to ASCII" of p[0..len) (percent-decoded, any bytes),
 * as Rust's idna crate 1.x does it for the url crate: UTS #46 mapping,
 * NFC, Punycode labels checked, the URL forbidden domain code points
 * refused, CheckBidi and CheckJoiners on, CheckHyphens and
 * VerifyDnsLength off.  Returns 0 with the ASCII form appended to *out
 * (possibly empty), -1 when it is not a valid domain, -2 out of memory.
 */
int	 idna_to_ascii(const char *p, size_t len, struct buf *out);

/*
 * Punycode (RFC 3492) of the label p[0..len) without its "xn--", with
 * the idna crate's strictness: decoded into out[], which must have room
 * for len code points; *n is set to their number.  Returns 0, or -1 for
 * a bad digit, a truncated number, an overflow or a code point that is
 * not a Unicode scalar value.
 */
int	 idna_punycode_decode(const char *p, size_t len, uint32_t *out,
	    size_t *n);

/* Append the Punycode of in[0..n), without "xn--".  0, or -1 on overflow. */
int	 idna_punycode_encode(const uint32_t *in, size_t n, struct buf *out);

#endif
