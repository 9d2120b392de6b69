/*
 * wids.c: a ring of the last `max` ids, compared by hash first.
 *
 * Lookups scan the ring: with the 4096 ids of a process that is a few
 * microseconds, and there is no table to grow or rehash.
 */
#include <stdlib.h>
#include <string.h>

#include "proc/wids.h"

struct wids_ent {
	uint64_t	 h;
	char		*s;
	size_t		 len;
};

/* FNV-1a. */
static uint64_t
hash(const char *s, size_t n)
{
	uint64_t	 h = 14695981039346656037ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

int
wids_seen(const struct wids *w, const char *id, size_t len)
{
	uint64_t	 h = hash(id, len);
	size_t		 i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].h == h && w->v[i].len == len &&
		    memcmp(w->v[i].s, id, len) == 0)
			return 1;
	return 0;
}

int
wids_add(struct wids *w, const char *id, size_t len)
{
	struct wids_ent	*e;
	char		*s;
	size_t		 cap;

	if (w->max == 0)
		return 0;
	if ((s = malloc(len + 1)) == NULL)
		return -1;
	memcpy(s, id, len);
	s[len] = '\0';
	if (w->n < w->max && w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 16;
		if (cap > w->max)
			cap = w->max;
		if ((e = reallocarray(w->v, cap, sizeof(*e))) == NULL) {
			free(s);
			return -1;
		}
		w->v = e;
		w->cap = cap;
	}
	if (w->n < w->max)
		e = &w->v[w->n++];
	else {
		e = &w->v[w->pos];
		w->pos = (w->pos + 1) % w->max;
		free(e->s);
	}
	e->h = hash(id, len);
	e->s = s;
	e->len = len;
	return 0;
}

void
wids_free(struct wids *w)
{
	size_t	 i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].s);
	free(w->v);
	w->v = NULL;
	w->n = w->pos = w->cap = 0;
}
