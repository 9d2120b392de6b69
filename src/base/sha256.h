/*
 * sha256.h: FIPS 180-4 SHA-256 and RFC 2104 HMAC-SHA256 (sha256.c), for
 * the WebSocket authentication (net/auth.c).
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_BLOCK	64

struct sha256 {
	uint32_t	 h[8];
	uint64_t	 n;		/* bytes hashed */
	uint8_t		 blk[SHA256_BLOCK];
	size_t		 used;
};

void	 sha256_init(struct sha256 *);
void	 sha256_update(struct sha256 *, const void *, size_t);
/* The digest; the state is wiped. */
void	 sha256_final(struct sha256 *, uint8_t out[SHA256_LEN]);
/* The digest of (p, n) in one call. */
void	 sha256(const void *p, size_t n, uint8_t out[SHA256_LEN]);
/* HMAC-SHA256 of msg under key (any length: a long key is hashed). */
void	 sha256_hmac(const void *key, size_t klen, const void *msg,
	    size_t mlen, uint8_t out[SHA256_LEN]);

#endif
