/*
 * outlog.h: the retained output of one process, oldest first
 * (protocol.md §7.6, §7.7).
 */
#ifndef OUTLOG_H
#define OUTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "base/jw.h"

struct outlog_chunk;

struct outlog {
	struct outlog_chunk	*head, *tail;
	size_t			 bytes, n;
	size_t			 max_bytes, max_chunks;	/* retention */
	const char *const	*streams;		/* names by number */
};

/* Append a chunk, evicting the oldest beyond the limits.  -1 on ENOMEM. */
int	 outlog_add(struct outlog *, uint64_t seq, int stream,
	    const void *data, size_t len);
/* Seq of the newest chunk, 0 when empty. */
uint64_t outlog_last(const struct outlog *);
/*
 * Write the chunks after `after` as process/read's "chunks" array: while
 * the total stays within max (the first chunk always goes), stopping once
 * it reaches max.  Returns the number written; *last gets the last seq.
 */
size_t	 outlog_write(const struct outlog *, struct jw *, uint64_t after,
	    int has_max, uint64_t max, uint64_t *last);
/*
 * Does the retained output of the streams in mask (bit 1 << stream),
 * joined in seq order and lowercased (ASCII), contain one of words?
 * -1 when out of memory.
 */
int	 outlog_grep(const struct outlog *, unsigned mask,
	    const char *const *words);
void	 outlog_free(struct outlog *);

#endif
