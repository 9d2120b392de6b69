/*
 * fsbox.h: an fs/ call under a sandbox that confines files, run in a
 * short-lived confined child (fsbox.c).
 */
#ifndef FSBOX_H
#define FSBOX_H

#include "rpc/rpc.h"

/*
 * For fs_admit(): 0 when the call goes on here (its sandbox confines no
 * file, or this is the confined child already); -1 after rpc_fail(), or
 * when the call went to a child (call->deferred): the handler returns.
 */
int	 fsbox_admit(struct rpc_call *);
/* Are we a confined child?  (Jobs then run to their end at once.) */
int	 fsbox_child(void);
/* In a child, is path outside all its policy lets it see (NotFound)? */
int	 fsbox_hidden(const char *path);
/* At end of input, the calls still in children are waited for. */
extern const struct rpc_module fsbox_module;

#endif
