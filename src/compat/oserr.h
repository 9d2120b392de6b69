/*
 * oserr.h: operating-system errors worded the way the reference reports
 * them.
 *
 * The reference is a Rust program linked with musl: an io::Error reads
 * "<musl strerror text> (os error N)", whatever libc this server uses.
 */
#ifndef OSERR_H
#define OSERR_H

#include "base/buf.h"

/* musl's text for errno e ("No such file or directory"). */
const char	*oserr_str(int e);
/* Append "<text> (os error <e>)". */
void		 oserr_fmt(struct buf *, int e);

#endif
