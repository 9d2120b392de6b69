/*
 * net.h: sockets.  Every descriptor is O_CLOEXEC and non-blocking.
 */
#ifndef NET_H
#define NET_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Parse "ws://IP:PORT" (IPv4 dotted quad or [IPv6], port 0-65535) into ss.
 * Returns 0, or -1 when it is not of that form.
 */
int	 net_parse_ws(const char *url, struct sockaddr_storage *ss,
	    socklen_t *sslen);
/* Is ss a loopback address (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104)? */
int	 net_loopback(const struct sockaddr_storage *ss);
/* Listen on ss; returns the socket or -1 with errno. */
int	 net_listen(const struct sockaddr_storage *ss, socklen_t sslen);
/* Accept one connection; -1 with errno (EAGAIN when none is pending). */
int	 net_accept(int lfd);
/* "IP:PORT" of a socket's own (local=1) or peer address. */
void	 net_addr(int fd, int local, char *out, size_t outlen);

#endif
