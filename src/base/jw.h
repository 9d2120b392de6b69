/*
 * jw.h: the JSON writer: appends compact JSON to a buf, inserting commas
 * itself.  Errors (ENOMEM) are sticky in the buf.
 */
#ifndef JW_H
#define JW_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define JW_MAXDEPTH	32

struct jw {
	struct buf	*b;
	int		 depth;
	uint8_t		 first[JW_MAXDEPTH];
	uint8_t		 key;		/* a key was just written */
};

void	 jw_init(struct jw *, struct buf *);
void	 jw_obj(struct jw *);		/* { */
void	 jw_obj_end(struct jw *);	/* } */
void	 jw_arr(struct jw *);		/* [ */
void	 jw_arr_end(struct jw *);	/* ] */
void	 jw_key(struct jw *, const char *);
void	 jw_str(struct jw *, const char *, size_t);
void	 jw_cstr(struct jw *, const char *);
void	 jw_i64(struct jw *, int64_t);
void	 jw_u64(struct jw *, uint64_t);
void	 jw_bool(struct jw *, int);
void	 jw_null(struct jw *);
/* An already-encoded JSON value. */
void	 jw_raw(struct jw *, const char *, size_t);
/* Base64 of bytes as a JSON string, without an intermediate copy. */
void	 jw_b64(struct jw *, const void *, size_t);

/* Append s as a quoted, escaped JSON string (bytes that are not valid UTF-8
 * become U+FFFD). */
void	 jw_quote(struct buf *, const char *, size_t);

#endif
