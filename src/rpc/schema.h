/*
 * schema.h: check request params against a method's declared schema,
 * wording failures the way the reference's serde decoder does.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include "base/buf.h"
#include "base/json.h"

/* A method's params, field by field. */
enum schema_type {
	P_END,
	P_STR,		/* string */
	P_BOOL,
	P_U64,
	P_OBJ,		/* struct with a sub-schema */
	P_STRARR,	/* array of strings */
	P_OBJARR,	/* array of structs with a sub-schema */
	P_STRMAP,	/* object of string values */
	P_ENUM,		/* string, one of `variants` */
	P_ANY,		/* anything; the handler checks it */
	P_URI,		/* string: a file:// URI (uri_to_path's -32602 checks) */
	P_URIARR,	/* array of P_URI */
	/*
	 * An internally tagged enum (serde's #[serde(tag = "type")]): an
	 * object whose member variants[0] names one entry of `sub`; each
	 * entry is a P_OBJ whose `sub` lists that variant's fields.  `sname`
	 * names the enum in messages.  serde buffers such a value first, so
	 * inside it numbers are described as "integer `5`".
	 */
	P_TAGGED,
	P_NZUSIZE,	/* integer > 0 (NonZeroUsize); only inside P_TAGGED */
	P_B64		/* string: strict base64 ("Invalid padding", ...) */
};
#define P_REQ		0x1	/* absent is an error */
#define P_NULL		0x2	/* null is the same as absent */

struct schema_param {
	const char			*name;
	enum schema_type		 type;
	unsigned			 flags;
	const struct schema_param	*sub;		/* P_OBJ, P_OBJARR */
	const char			*sname;		/* struct name, P_OBJ */
	const char *const		*variants;	/* P_ENUM, NULL-ended;
							   P_TAGGED: the tag */
};

/*
 * Check token `tok` (-1: params absent) against struct `sname` with
 * fields `p` (sname NULL: unit params).  Returns 0, or -1 with the
 * message in msg.
 */
int	 schema_check(const struct json_doc *, int tok, const char *sname,
	    const struct schema_param *p, struct buf *msg);

/* How serde names the value of token t: "null", "string \"x\"", "map"... */
void	 schema_unexpected(const struct json_doc *, int t, struct buf *);

#endif
