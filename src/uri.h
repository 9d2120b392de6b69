/*
 * uri.h: file:// URIs, the protocol's only way of naming paths (§6).
 */
#ifndef URI_H
#define URI_H

#include <stddef.h>

#include "buf.h"

/* Append "file://" + path, percent-encoded as the reference does. */
void	 uri_from_path(struct buf *, const char *path, size_t len);

#endif
