/*
 * links.h: the connection steps: open, close (we end it), closed (the
 * server ends it) and drop.
 */
#ifndef LINKS_H
#define LINKS_H

#include "base/json.h"

struct run;

/* Each carries out step d: 0, or -1 after run_fail. */
int	 links_open(struct run *, const struct json_doc *d);
/* "close" when ours, else "closed". */
int	 links_end(struct run *, const struct json_doc *d, int ours);
int	 links_drop(struct run *, const struct json_doc *d);

#endif
