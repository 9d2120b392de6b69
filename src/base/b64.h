/*
 * b64.h: RFC 4648 base64, standard alphabet, with padding; and base64url
 * without padding.
 *
 * Decoding is strict like the reference's (Rust base64 STANDARD): padding
 * required, no whitespace, non-zero trailing bits rejected.
 */
#ifndef B64_H
#define B64_H

#include <stddef.h>

/* Encoded length of n bytes (no NUL); SIZE_MAX on overflow. */
size_t	 b64_enc_len(size_t n);
/* Encode n bytes of src into dst (b64_enc_len(n) bytes). */
void	 b64_encode(char *dst, const void *src, size_t n);

struct b64_err {
	int	 kind;		/* B64_BADSYM, B64_BADLEN, B64_BADPAD, B64_BADLAST */
	size_t	 off;		/* bad symbol's offset; BADLEN: length */
	unsigned char sym;
};
#define B64_BADSYM	1	/* "Invalid symbol 37, offset 0." */
#define B64_BADLEN	2	/* "Invalid input length: 5" */
#define B64_BADPAD	3	/* "Invalid padding" */
#define B64_BADLAST	4	/* "Invalid last symbol 66, offset 3." */

/* Most bytes src of length n can decode to. */
size_t	 b64_dec_max(size_t n);
/*
 * Decode; dst holds b64_dec_max(n).  Returns decoded length, or -1 with
 * *e filled.  Message text in b64_strerror().
 */
long long b64_decode(void *dst, const char *src, size_t n, struct b64_err *e);
/* Render e as the reference (Rust base64 crate) words it. */
void	 b64_strerror(const struct b64_err *e, char *out, size_t outlen);

/*
 * RFC 4648 §5 base64url without padding, as JWS uses it (RFC 7515 §2).
 * Decoding is strict: only A-Z a-z 0-9 - _, no '=', no whitespace, no
 * length of 4k+1, the unused bits of the last symbol zero; so each byte
 * string has exactly one encoding.  dst holds b64_dec_max(n).  Returns
 * the decoded length, or -1.
 */
size_t	 b64_url_enc_len(size_t n);
void	 b64_url_encode(char *dst, const void *src, size_t n);
long long b64_url_decode(void *dst, const char *src, size_t n);

#endif
