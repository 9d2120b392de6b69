/*
 * pstart.h: the params of process/start, decoded and checked
 * (protocol.md §7.5, §10, §11).
 */
#ifndef PSTART_H
#define PSTART_H

#include <stddef.h>

#include "base/buf.h"
#include "proc/envpol.h"
#include "rpc/rpc.h"

struct pstart {
	const char		*id;		/* lives as long as the call */
	size_t			 idlen;
	char			**argv;		/* NULL-ended; strings: the call's */
	size_t			 argc;
	const char		*arg0;		/* or NULL */
	struct buf		 cwd;		/* host path, NUL-terminated */
	int			 tty;
	int			 pipe_stdin;
	const char		*sandbox_type;	/* "none" or "linuxSeccomp" */
	int			 sandbox;	/* its token, -1: none */
	struct envpol_env	 env;
	char			**envp;		/* from pstart_env() */
};

extern const struct schema_param pstart_params[];

/*
 * Decode and check everything a serde decoder or the reference's request
 * validation would reject, and refuse what this server cannot honour
 * (a sandbox, managed-network enforcement, a network proxy).  Returns 0,
 * or -1 after rpc_fail().
 */
int	 pstart_parse(struct rpc_call *, struct pstart *);
/*
 * Build the child's environment (and check argv for NUL bytes): what the
 * reference only finds out when it spawns.  Returns 0, or -1 after
 * rpc_fail().
 */
int	 pstart_env(struct rpc_call *, struct pstart *);
void	 pstart_free(struct pstart *);

#endif
