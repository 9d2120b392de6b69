/*
 * wids.h: the most recent ids seen, for process/write's writeId
 * deduplication (protocol.md §7.8).
 */
#ifndef WIDS_H
#define WIDS_H

#include <stddef.h>
#include <stdint.h>

struct wids_ent;

struct wids {
	struct wids_ent	*v;		/* ring */
	size_t		 n, pos, cap;
	size_t		 max;		/* remember this many */
};

/* Has id (len bytes, any content) been added and not yet forgotten? */
int	 wids_seen(const struct wids *, const char *id, size_t len);
/* Remember id, forgetting the oldest beyond max.  -1 on ENOMEM. */
int	 wids_add(struct wids *, const char *id, size_t len);
void	 wids_free(struct wids *);

#endif
