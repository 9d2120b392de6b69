/*
 * net.c: listening and accepting, with the address formats the CLI uses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"

static int
parse_port(const char *p, unsigned *port)
{
	unsigned long	 v = 0;

	if (*p == '\0')
		return -1;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > 65535)
			return -1;
	}
	*port = (unsigned)v;
	return 0;
}

int
net_parse_ws(const char *url, struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 host[64];
	const char		*h, *colon, *end;
	unsigned		 port;
	size_t			 n;

	if (strncmp(url, "ws://", 5) != 0)
		return -1;
	h = url + 5;
	memset(ss, 0, sizeof(*ss));
	if (*h == '[') {
		if ((end = strchr(h, ']')) == NULL || end[1] != ':')
			return -1;
		n = (size_t)(end - h - 1);
		colon = end + 1;
		h++;
	} else {
		if ((colon = strrchr(h, ':')) == NULL)
			return -1;
		n = (size_t)(colon - h);
	}
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	if (parse_port(colon + 1, &port) == -1)
		return -1;
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*sin6);
		return 0;
	}
	return -1;
}

int
net_listen(const struct sockaddr_storage *ss, socklen_t sslen)
{
	int	 fd, one = 1, saved;

	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    bind(fd, (const struct sockaddr *)ss, sslen) == -1 ||
	    listen(fd, 128) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int
net_accept(int lfd)
{
	int	 fd, one = 1;

	do
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	while (fd == -1 && errno == EINTR);
	if (fd != -1)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

void
net_addr(int fd, int local, char *out, size_t outlen)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	char			 ip[INET6_ADDRSTRLEN];
	int			 r;

	r = local ? getsockname(fd, (struct sockaddr *)&ss, &len) :
	    getpeername(fd, (struct sockaddr *)&ss, &len);
	if (r == -1) {
		snprintf(out, outlen, "unknown");
		return;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(out, outlen, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(out, outlen, "%s:%u", ip, ntohs(s4->sin_port));
	}
}

int
net_loopback(const struct sockaddr_storage *ss)
{
	static const uint8_t	 v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;
	const uint8_t			*a;

	if (ss->ss_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)ss;
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family != AF_INET6)
		return 0;
	s6 = (const struct sockaddr_in6 *)(const void *)ss;
	a = s6->sin6_addr.s6_addr;
	if (memcmp(a, v4mapped, sizeof(v4mapped)) == 0)
		return a[12] == 127;
	return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
}
