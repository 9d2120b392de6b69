/*
 * schema.h: check request params against a method's declared schema,
 * wording failures the way the reference's serde decoder does.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include "base/buf.h"
#include "base/json.h"
#include "rpc/rpc.h"

/*
 * Check token `tok` (-1: params absent) against struct `sname` with
 * fields `p` (sname NULL: unit params).  Returns 0, or -1 with the
 * message in msg.
 */
int	 schema_check(const struct json_doc *, int tok, const char *sname,
	    const struct rpc_param *p, struct buf *msg);

/* How serde names the value of token t: "null", "string \"x\"", "map"... */
void	 schema_unexpected(const struct json_doc *, int t, struct buf *);

#endif
