/*
 * tomlout.h: keep what a client asked for of a parsed TOML document and
 * write it back as the reference's toml crate writes it (tomlout.c).
 */
#ifndef TOMLOUT_H
#define TOMLOUT_H

#include <stddef.h>

#include "base/buf.h"
#include "compat/toml.h"

/*
 * Keep what the paths name (whole values at their ends, the tables on
 * the way) and serialise it.  Returns the number of top-level keys kept:
 * 0 means nothing was written.
 */
size_t		 tomlout_select(const struct tval *, const struct tpath *,
		    size_t npaths, struct buf *out);

#endif
