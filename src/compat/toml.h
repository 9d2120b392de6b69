/*
 * toml.h: enough TOML 1.0 for environmentConfig/read: parse a Codex
 * config file (toml.c); tomlout.h keeps the keys a client asked for and
 * writes them back the way the reference's toml crate does.
 */
#ifndef TOML_H
#define TOML_H

#include <stddef.h>

#include "base/buf.h"

struct tval;

/* One requested key path ("features", "foo"). */
struct tpath {
	const char	**seg;
	const size_t	 *len;
	size_t		  n;
};

/*
 * Parse a document.  NULL on error with "LINE:COL: message" in err
 * (also on ENOMEM: "out of memory").
 */
struct tval	*toml_parse(const char *, size_t, struct buf *err);
void		 toml_free(struct tval *);
#endif
