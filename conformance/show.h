/*
 * show.h: values and bytes rendered for diagnostics, cut to a length.
 */
#ifndef SHOW_H
#define SHOW_H

#include <stddef.h>

#include "base/buf.h"
#include "base/json.h"

/* Render a value compactly, cut to max bytes, for diagnostics. */
void	 show_json(struct buf *, const struct json_doc *, int t, size_t max);
/* Bytes as a JSON string, cut to max bytes. */
void	 show_text(struct buf *, const char *, size_t, size_t max);
/* A received message as it is (newlines blanked), cut to max bytes. */
void	 show_raw(struct buf *, const char *, size_t, size_t max);

#endif
