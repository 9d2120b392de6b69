/*
 * plan.h: a policy turned into what a sandboxed child applies (plan.c).
 */
#ifndef PLAN_H
#define PLAN_H

#include <stddef.h>

#include "base/buf.h"
#include "sandbox/confine.h"
#include "sandbox/landlock.h"
#include "sandbox/policy.h"

struct plan {
	struct landlock_rule	*rules;		/* paths borrowed from the policy */
	size_t			 nrules;
	struct confine_mount	*mounts;	/* owned */
	size_t			 nmounts;
	char			**held;		/* placeholders taken, owned */
	size_t			 nheld;
	int			 net_restricted;
	int			 rdonly_root;	/* all but writable roots read-only */
};

/*
 * Build the plan of policy p (which must outlive it); protect: keep the
 * protected names of writable roots read-only (placeholders and mounts).
 * 0, or -1 with the reason in why: what this server cannot enforce is
 * refused, never run less confined.
 */
int	 plan_build(const struct policy *p, struct plan *, int protect,
	    struct buf *why);
/* Forget the CONFINE_WRITE mounts (no read-only tree to undo). */
void	 plan_drop_writes(struct plan *);
/* Free the rules; mounts and placeholders are free()d unless taken. */
void	 plan_free(struct plan *);

/*
 * Placeholders: an empty directory made (0555) where a protected name is
 * missing, so that a read-only mount can stop its creation.  Counted by
 * path across processes; the last release removes it if still empty.
 */
int	 plan_hold(struct plan *, const char *path, struct buf *why);
void	 plan_release(char **held, size_t n);

#endif
