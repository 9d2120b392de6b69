/*
 * tok.h: small helpers for the tokens of a parsed JSON document, which
 * accept an absent token (-1) wherever one is looked up.
 */
#ifndef TOK_H
#define TOK_H

#include <stdint.h>

#include "base/buf.h"
#include "base/json.h"

/* Member key of object obj; -1 if absent or obj is -1. */
int	 tok_key(const struct json_doc *, int obj, const char *key);
/* Is token t the string s? */
int	 tok_is_str(const struct json_doc *, int t, const char *s);
/* Token t as an integer: 0, or -1 if absent or not one. */
int	 tok_int(const struct json_doc *, int t, int64_t *);
/* Is token t true? */
int	 tok_bool(const struct json_doc *, int t);
/* String token t, decoded, to free; NULL if absent or not a string. */
char	*tok_dup(const struct json_doc *, int t);
/* Append the bytes of base64 string token t to b: 0, or -1 if invalid. */
int	 tok_b64(const struct json_doc *, int t, struct buf *b);

#endif
