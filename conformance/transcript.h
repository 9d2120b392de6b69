/*
 * transcript.h: a transcript (format 1, README.md) read into lines of
 * parsed JSON, with its header's fields.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stddef.h>

#include "base/json.h"

struct line {
	char		*p;		/* the line, NUL-terminated */
	size_t		 len;
	int		 lineno;
	struct json_doc	 doc;
};

struct transcript {
	char		*path;
	char		*name;
	char		*text;
	struct line	*lines;
	size_t		 nlines;
	/* Header. */
	char		*description;
	int		 ws, stdio;	/* transports it applies to */
	int		 timeout_ms;	/* 0: the runner's default */
	int		 slow;
	int		 expect_fail;
	int		 multi;		/* uses more than one connection */
	char		 requires[128];	/* space-separated feature names */
	int		 server_args;	/* header token of "serverArgs", -1 */
	int		 server_prepare;	/* "serverPrepare", or -1 */
};

/*
 * Read the transcript at path; 0, or -1 with err (path:line: what).  On
 * -1 the transcript holds what was read: transcript_free() it either way.
 */
int	 transcript_load(struct transcript *, const char *path, char *err,
	    size_t errlen);
/* The same for len bytes at p (copied), name standing for the path. */
int	 transcript_parse(struct transcript *, const char *name,
	    const char *p, size_t len, char *err, size_t errlen);
void	 transcript_free(struct transcript *);

#endif
