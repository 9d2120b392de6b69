/*
 * exec_client_fs.h: exec-client's file commands.  Each returns the exit
 * status, or exits with EXIT_TOOL (xc.h) on an error.
 */
#ifndef EXEC_CLIENT_FS_H
#define EXEC_CLIENT_FS_H

struct client;

/* Copy REMOTE to LOCAL (NULL or "-": our stdout), with fs/readFile. */
int	 exec_client_fs_get(struct client *, const char *remote,
	    const char *local);
/*
 * Copy LOCAL ("-": our stdin) to REMOTE, with fs/writeFile, or fs/open
 * and fs/writeBlock for big files.
 */
int	 exec_client_fs_put(struct client *, const char *local,
	    const char *remote);
/* Print the names in REMOTE, sorted, directories with a slash. */
int	 exec_client_fs_ls(struct client *, const char *remote);

#endif
