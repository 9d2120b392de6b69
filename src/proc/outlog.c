/*
 * outlog.c: retained output chunks, a singly linked FIFO.
 *
 * The reference keeps the most recent 1 MiB of a process's output (and
 * at most 50 000 chunks); a reader that asks for older seqs simply gets
 * the oldest retained ones, and the gap tells it what was evicted.
 */
#include <stdlib.h>
#include <string.h>

#include "base/jw.h"
#include "proc/outlog.h"

struct outlog_chunk {
	struct outlog_chunk	*next;
	uint64_t		 seq;
	size_t			 len;
	int			 stream;
	unsigned char		 data[];
};

int
outlog_add(struct outlog *o, uint64_t seq, int stream, const void *data,
    size_t len)
{
	struct outlog_chunk	*c, *old;

	if ((c = malloc(sizeof(*c) + len)) == NULL)
		return -1;
	c->next = NULL;
	c->seq = seq;
	c->len = len;
	c->stream = stream;
	memcpy(c->data, data, len);
	if (o->tail != NULL)
		o->tail->next = c;
	else
		o->head = c;
	o->tail = c;
	o->bytes += len;
	o->n++;
	while (o->head != NULL && (o->bytes > o->max_bytes ||
	    o->n > o->max_chunks)) {
		old = o->head;
		if ((o->head = old->next) == NULL)
			o->tail = NULL;
		o->bytes -= old->len;
		o->n--;
		free(old);
	}
	return 0;
}

uint64_t
outlog_last(const struct outlog *o)
{
	return o->tail != NULL ? o->tail->seq : 0;
}

size_t
outlog_write(const struct outlog *o, struct jw *w, uint64_t after,
    int has_max, uint64_t max, uint64_t *last)
{
	const struct outlog_chunk	*c;
	uint64_t			 total = 0;
	size_t				 n = 0;

	*last = 0;
	jw_arr(w);
	for (c = o->head; c != NULL; c = c->next) {
		if (c->seq <= after)
			continue;
		if (n > 0 && has_max && (c->len > max || total > max - c->len))
			break;
		jw_obj(w);
		jw_key(w, "seq");
		jw_u64(w, c->seq);
		jw_key(w, "stream");
		jw_cstr(w, o->streams[c->stream]);
		jw_key(w, "chunk");
		jw_b64(w, c->data, c->len);
		jw_obj_end(w);
		total += c->len;
		*last = c->seq;
		n++;
		if (has_max && total >= max)
			break;
	}
	jw_arr_end(w);
	return n;
}

void
outlog_free(struct outlog *o)
{
	struct outlog_chunk	*c;

	while ((c = o->head) != NULL) {
		o->head = c->next;
		free(c);
	}
	o->tail = NULL;
	o->bytes = o->n = 0;
}

int
outlog_grep(const struct outlog *o, unsigned mask, const char *const *words)
{
	const struct outlog_chunk	*c;
	char				*text, *p;
	size_t				 n = 0, i;
	int				 found = 0;

	for (c = o->head; c != NULL; c = c->next)
		if (mask & (1U << c->stream))
			n += c->len;
	if ((text = malloc(n + 1)) == NULL)
		return -1;
	for (c = o->head, p = text; c != NULL; c = c->next)
		if (mask & (1U << c->stream)) {
			for (i = 0; i < c->len; i++)
				*p++ = c->data[i] >= 'A' && c->data[i] <= 'Z' ?
				    (char)(c->data[i] + 'a' - 'A') :
				    (char)c->data[i];
		}
	for (; *words != NULL && !found; words++)
		found = memmem(text, n, *words, strlen(*words)) != NULL;
	free(text);
	return found;
}
