/*
 * policy.h: a `sandbox` parameter (FileSystemSandboxContext) read into
 * one plain structure, every path resolved (policy.c).  Nothing here
 * enforces anything: plan.c turns a policy into what the child applies.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stddef.h>

#include "rpc/rpc.h"

enum policy_kind {
	POLICY_NONE,		/* no sandbox, or {"type":"disabled"} */
	POLICY_EXTERNAL,	/* someone else confines the files */
	POLICY_UNRESTRICTED,	/* managed, file_system unrestricted */
	POLICY_RESTRICTED	/* managed, file_system restricted */
};

#define POLICY_READ	1
#define POLICY_WRITE	2
#define POLICY_DENY	3

struct policy_entry {
	char	*path;		/* absolute and normalised, or a glob */
	int	 access;	/* POLICY_READ, POLICY_WRITE, POLICY_DENY */
	int	 glob;		/* path is a glob pattern */
	int	 platform;	/* from `minimal`: read, never narrowing */
};

struct policy {
	enum policy_kind	 kind;
	int			 net_restricted;
	char			*cwd;		/* the policy's base directory */
	struct policy_entry	*entries;	/* in the order given */
	size_t			 nentries;
	size_t			 glob_depth;	/* glob_scan_max_depth */
	const char		*home;		/* $HOME while parsing: `~` */
};

/*
 * Read the sandbox object at token tok (-1: none) of a call.  cwd is the
 * directory the policy falls back to when the object has no `cwd` (the
 * process's, for process/start), or NULL; envp the environment `tmpdir`
 * reads $TMPDIR from (the child's).  0, or -1 after rpc_fail() (-32602
 * with the reference's words for what the schema cannot say).
 */
int	 policy_parse(struct rpc_call *, int tok, const char *cwd,
	    char *const *envp, struct policy *);
void	 policy_free(struct policy *);
/*
 * The access a restricted policy gives path (absolute, normalised): the
 * deepest entry at or above it wins, at equal depth deny over write over
 * read; no entry: POLICY_DENY.  Any other kind: POLICY_WRITE.
 */
int	 policy_access(const struct policy *, const char *path);
/*
 * May it write everywhere (a `root` write entry, and nothing narrower:
 * no glob, no other non-write entry but those a write entry on the same
 * path overrides)?  Then nothing confines files.  Any other kind than
 * restricted: yes.
 */
int	 policy_full_write(const struct policy *);
/* May it read everywhere (a `root` read or write entry, no deny)? */
int	 policy_full_read(const struct policy *);
/*
 * Would a child see path at all?  A restricted policy shows only its
 * readable roots and the directories above them (the reference's helper
 * starts from an empty root); everything else does not exist.
 */
int	 policy_visible(const struct policy *, const char *path);
/* Does path lie at or beneath root, component-wise? */
int	 policy_beneath(const char *path, const char *root);

#endif
