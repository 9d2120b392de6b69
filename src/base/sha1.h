/*
 * sha1.h: RFC 3174 SHA-1, for the WebSocket accept key only.
 */
#ifndef SHA1_H
#define SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN	20

struct sha1 {
	uint32_t	 h[5];
	uint64_t	 n;		/* bytes hashed */
	uint8_t		 blk[64];
	size_t		 used;
};

void	 sha1_init(struct sha1 *);
void	 sha1_update(struct sha1 *, const void *, size_t);
void	 sha1_final(struct sha1 *, uint8_t out[SHA1_LEN]);

#endif
