/*
 * spawn.h: start one child, with pipes or on a pseudo-terminal.
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

#include "base/buf.h"

struct confine;

struct spawn_req {
	char *const	*argv;		/* NULL-ended, argv[0] non-empty */
	const char	*arg0;		/* replaces argv[0], or NULL */
	char *const	*envp;		/* the complete environment */
	const char	*cwd;		/* working directory */
	int		 tty;		/* a 24x80 terminal, else pipes */
	int		 pipe_stdin;	/* pipes: stdin is a pipe, not /dev/null */
	const struct confine *confine;	/* the sandbox, or NULL */
};

/* Descriptors are the parent's ends, O_NONBLOCK and O_CLOEXEC. */
struct spawn_res {
	pid_t	 pid;		/* also the process group and session */
	int	 out;		/* stdout, or the terminal */
	int	 err;		/* stderr; -1 with a terminal */
	int	 in;		/* stdin, or the terminal again; -1: none */
};

/*
 * Start the child.  Returns 0 once it runs the program, or -1 with msg
 * worded as the reference words the failure ("No such file or directory
 * (os error 2)", "Unable to spawn x because:\n...").
 */
int	 spawn_start(const struct spawn_req *, struct spawn_res *,
	    struct buf *msg);

#endif
