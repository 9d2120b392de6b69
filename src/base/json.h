/*
 * json.h: strict RFC 8259 JSON parser (the writer is jw.h).
 *
 * The parser is jsmn-shaped: it turns (p, len) into a flat array of tokens
 * holding offsets into the input, never needs a NUL and never copies.  It
 * validates everything RFC 8259 requires (grammar, UTF-8 including
 * overlongs and surrogates, \u escapes and their pairs, no control
 * characters in strings) and caps the nesting depth at LIM_JSON_DEPTH.
 * Errors carry serde_json-style messages with 1-based line and column, so
 * our parse errors read like the reference's.
 */
#ifndef JSON_H
#define JSON_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/*
 * One value.  Tokens are in document order; an object's members are
 * key (a JSON_STRING token) then value, for each of its `size` members.
 * `next` is the index just past this token's whole subtree, so siblings
 * are walked with i = tok[i].next.
 */
struct json_tok {
	enum json_type	 type;
	uint32_t	 start;		/* first byte (the quote, for strings) */
	uint32_t	 end;		/* one past the last byte */
	uint32_t	 size;		/* array elements / object members */
	uint32_t	 next;
	uint8_t		 esc;		/* string has escapes */
	uint8_t		 isint;		/* number is -?digits (no frac/exp) */
};

enum json_err {
	JSON_OK = 0,
	JSON_ERR_EOF,		/* input ended inside a value: need more */
	JSON_ERR_SYNTAX,	/* invalid input */
	JSON_ERR_DEPTH,		/* nesting deeper than LIM_JSON_DEPTH */
	JSON_ERR_NOMEM
};

struct json_doc {
	const char		*p;
	size_t			 len;
	struct json_tok		*tok;		/* owned */
	uint32_t		 ntok;
	uint32_t		 cap;
	/* Object keys seen so far: (object, key) token pairs, hashed. */
	uint64_t		*keys;		/* owned */
	uint32_t		 nkeys;
	uint32_t		 keycap;	/* a power of two, or 0 */
	/* Set on failure. */
	enum json_err		 err;
	size_t			 err_off;	/* byte offset of the error */
	unsigned		 err_line;	/* 1-based */
	unsigned		 err_col;	/* serde_json's column */
	char			 err_msg[128];	/* "trailing characters at line 1 column 40" */
};

/*
 * Parse exactly one JSON value, optionally surrounded by whitespace.
 * A key repeated within one object is an error, as in the reference
 * ("duplicate JSON object key `id` at line 1 column 12"): RFC 8259 leaves
 * duplicates to the implementation, and accepting them would let two
 * readers of one message disagree on its meaning.
 * Returns 0, or -1 with d->err and d->err_msg set.  Inputs over 4 GiB are
 * rejected (offsets are 32-bit).  Call json_doc_free() in both cases.
 */
int	 json_parse(struct json_doc *d, const char *p, size_t len);
void	 json_doc_free(struct json_doc *d);

/*
 * Look up member `key` of object token `obj`.  Returns its value's token
 * index, or -1 when absent (or when `obj` is not an object).  With
 * duplicate keys the last one wins, as in serde.
 */
int	 json_get(const struct json_doc *d, int obj, const char *key);
/* Index of element i of array token `arr`, or -1. */
int	 json_at(const struct json_doc *d, int arr, uint32_t i);
/* Does string token t equal s (after unescaping)? */
int	 json_str_eq(const struct json_doc *d, int t, const char *s);

/*
 * Decode string token t into a new NUL-terminated malloc'd buffer; *lenp
 * gets its length (it may contain NUL bytes from \u0000).  NULL on ENOMEM.
 */
char	*json_str_dup(const struct json_doc *d, int t, size_t *lenp);
/* Append the decoded bytes of string token t to b. */
void	 json_str_buf(const struct json_doc *d, int t, struct buf *b);

/*
 * Integer values.  Return 0, or -1 when t is not a number, has a fraction
 * or exponent, or does not fit.
 */
int	 json_i64(const struct json_doc *d, int t, int64_t *v);
int	 json_u64(const struct json_doc *d, int t, uint64_t *v);

/* Name of a type as serde prints it: "null", "boolean", "number", ... */
const char *json_type_name(enum json_type);

#endif
