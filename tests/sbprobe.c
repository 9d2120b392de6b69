/*
 * sbprobe.c: one attempt at something a sandbox should stop, for
 * t4001-sandbox.sh.
 *
 *   sbprobe ACTION [ARG ...]
 *
 * Prints one line: "ok" when the attempt succeeded, else the symbolic
 * name of its errno ("EACCES", or "errno N" for one not in the table);
 * a few actions print a value instead (caps, nnp, seccomp,
 * landlock-abi).  The exit status is 0 either way, 2 on a usage error.
 * A PID argument may be "server": the exec-server above us, found up
 * the PPid chain of /proc (the host's, even in a PID namespace) by its
 * name and its lack of a seccomp filter; "@SERVER@" in a path argument
 * is its PID too.
 *
 * The host side of the tests uses it too:
 *   listen KIND ADDR READY MS   KIND tcp, udp (ADDR ignored: the port
 *                               goes into READY), unix, unix-dgram (ADDR
 *                               a path), abstract (ADDR a name; READY
 *                               says "ready"); waits up to MS ms or
 *                               until SIGTERM and prints what came:
 *                               "connected", "got N" or "nothing".
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define E(x)		{ x, #x }

static const struct {
	int		 no;
	const char	*name;
} errnames[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
	E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
	E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENODATA),
	E(ENOTSOCK), E(EDESTADDRREQ), E(EPROTOTYPE), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EAFNOSUPPORT), E(EADDRINUSE),
	E(EADDRNOTAVAIL), E(ENETUNREACH), E(ECONNRESET), E(ENOTCONN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EALREADY), E(EINPROGRESS),
};

/* Something of ours to read with process_vm_readv(). */
static volatile char	 target = 'x';
static volatile sig_atomic_t stop;

static int
report(int rc)
{
	size_t	 i;
	int	 e = errno;

	if (rc != -1) {
		puts("ok");
		return 0;
	}
	for (i = 0; i < nitems(errnames); i++)
		if (errnames[i].no == e) {
			puts(errnames[i].name);
			return 0;
		}
	printf("errno %d\n", e);
	return 0;
}

/* "Name:\tvalue" of /proc/PID/status (PID 0: self), into v. */
static int
status_field(pid_t pid, const char *name, char *v, size_t size)
{
	FILE	*f;
	char	 line[256];
	size_t	 n = strlen(name);
	int	 rc = -1;

	if (pid == 0)
		snprintf(line, sizeof(line), "/proc/self/status");
	else
		snprintf(line, sizeof(line), "/proc/%d/status", (int)pid);
	if ((f = fopen(line, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			snprintf(v, size, "%s", line + n + 1 +
			    strspn(line + n + 1, " \t"));
			v[strcspn(v, "\n")] = '\0';
			rc = 0;
			break;
		}
	fclose(f);
	if (rc == -1)
		errno = ENOENT;
	return rc;
}

/* The exec-server's PID, up the PPid chain; -1 if none. */
static pid_t
server(void)
{
	char	 v[64];
	pid_t	 pid = 0;
	int	 i;

	for (i = 0; i < 16; i++) {
		if (status_field(pid, "PPid", v, sizeof(v)) == -1 ||
		    (pid = (pid_t)atoi(v)) <= 1)
			return -1;
		/* Not one of the sandbox's own (forked, seccomp'd) waiters. */
		if (status_field(pid, "Name", v, sizeof(v)) == 0 &&
		    strcmp(v, "exec-server") == 0 &&
		    status_field(pid, "Seccomp", v, sizeof(v)) == 0 &&
		    strcmp(v, "0") == 0)
			return pid;
	}
	return -1;
}

static pid_t
pidarg(const char *s)
{
	if (strcmp(s, "server") == 0)
		return server();
	return (pid_t)atoi(s);
}

/* path with "@SERVER@" replaced by the server's PID. */
static const char *
patharg(const char *path)
{
	static char	 b[4096];
	const char	*at;

	if ((at = strstr(path, "@SERVER@")) == NULL)
		return path;
	snprintf(b, sizeof(b), "%.*s%d%s", (int)(at - path), path,
	    (int)server(), at + 8);
	return b;
}

static struct sockaddr_in
loopback(const char *port)
{
	struct sockaddr_in	 sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(port));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

/* A UNIX address: a path, or an abstract name ("\0name"). */
static socklen_t
unixaddr(struct sockaddr_un *sun, const char *name, int abstract)
{
	size_t	 n = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n + 2 > sizeof(sun->sun_path))
		n = sizeof(sun->sun_path) - 2;
	memcpy(sun->sun_path + abstract, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	    abstract + !abstract);
}

static int
do_write(const char *path, int flags)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | flags, 0644)) == -1)
		return -1;
	if (write(fd, "x", 1) != 1) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int
do_read(const char *path)
{
	char	 c;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (read(fd, &c, 1) == -1) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int
tcp_connect(const char *port)
{
	struct sockaddr_in	 sin = loopback(port);
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	return close(s);
}

static int
tcp_bind(void)
{
	struct sockaddr_in	 sin = loopback("0");
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	return close(s);
}

static int
udp_send(const char *port)
{
	struct sockaddr_in	 sin = loopback(port);
	int			 s;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		return -1;
	return close(s);
}

static int
unix_connect(const char *name, int abstract)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = unixaddr(&sun, name, abstract);
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(s, (struct sockaddr *)&sun, len) == -1)
		return -1;
	return close(s);
}

static int
unix_dgram(const char *path)
{
	struct sockaddr_un	 sun;
	struct msghdr		 msg;
	struct iovec		 iov;
	int			 s;

	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &sun;
	msg.msg_namelen = unixaddr(&sun, path, 0);
	iov.iov_base = "x";
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    sendmsg(s, &msg, 0) == -1)
		return -1;
	return close(s);
}

static int
socketpair_stream(void)
{
	char	 c = 0;
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1 ||
	    send(sv[0], "x", 1, 0) != 1 || recv(sv[1], &c, 1, 0) != 1)
		return -1;
	if (c != 'x') {
		errno = EIO;
		return -1;
	}
	close(sv[0]);
	return close(sv[1]);
}

static int
do_ptrace(pid_t pid)
{
	int	 status;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) == -1)
		return -1;
	(void)waitpid(pid, &status, __WALL);
	return (int)ptrace(PTRACE_DETACH, pid, NULL, NULL);
}

static int
vm_read(pid_t pid)
{
	struct iovec	 local, remote;
	char		 c;

	local.iov_base = &c;
	local.iov_len = 1;
	remote.iov_base = (void *)&target;
	remote.iov_len = 1;
	return process_vm_readv(pid, &local, 1, &remote, 1, 0) == -1 ? -1 : 0;
}

/* A signal through a /proc/PID directory used as a pidfd. */
static int
pidfd_kill(pid_t pid, int sig)
{
	char	 path[64];
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    syscall(__NR_pidfd_send_signal, fd, sig, NULL, 0) == -1)
		return -1;
	return close(fd);
}

static int
io_uring(void)
{
	struct io_uring_params	 p;
	int			 fd;

	memset(&p, 0, sizeof(p));
	if ((fd = (int)syscall(__NR_io_uring_setup, 1, &p)) == -1)
		return -1;
	return close(fd);
}

static int
do_mount(const char *dir)
{
	if (mount("tmpfs", dir, "tmpfs", 0, "size=4k") == -1)
		return -1;
	return umount2(dir, MNT_DETACH);
}

static int
do_clone3(void)
{
	uint64_t	 args[8];	/* struct clone_args, version 0 */
	long		 pid;

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD;		/* exit_signal */
	if ((pid = syscall(__NR_clone3, args, sizeof(args))) == -1)
		return -1;
	if (pid == 0)
		_exit(0);
	return waitpid((pid_t)pid, NULL, 0) == -1 ? -1 : 0;
}

static int
do_bpf(void)
{
	union bpf_attr	 a;
	int		 fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	if ((fd = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a))) == -1)
		return -1;
	return close(fd);
}

static int
perf(void)
{
	struct perf_event_attr	 a;
	int			 fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.disabled = 1;
	if ((fd = (int)syscall(__NR_perf_event_open, &a, 0, -1, -1, 0)) == -1)
		return -1;
	return close(fd);
}

static int
uffd(void)
{
	int	 fd;

	if ((fd = (int)syscall(__NR_userfaultfd, O_CLOEXEC)) == -1)
		return -1;
	return close(fd);
}

static int
caps(void)
{
	char	 eff[64], prm[64], bnd[64];

	if (status_field(0, "CapEff", eff, sizeof(eff)) == -1 ||
	    status_field(0, "CapPrm", prm, sizeof(prm)) == -1 ||
	    status_field(0, "CapBnd", bnd, sizeof(bnd)) == -1)
		return report(-1);
	printf("ok CapEff=%s CapPrm=%s CapBnd=%s\n", eff, prm, bnd);
	return 0;
}

static int
field(const char *name)
{
	char	 v[64];

	if (status_field(0, name, v, sizeof(v)) == -1)
		return report(-1);
	puts(v);
	return 0;
}

static void
onterm(int sig)
{
	(void)sig;
	stop = 1;
}

/* Write s into path whole: write a temporary, rename it. */
static int
announce(const char *path, const char *s)
{
	char	 tmp[4096];
	FILE	*f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "we")) == NULL)
		return -1;
	fputs(s, f);
	if (fclose(f) == EOF)
		return -1;
	return rename(tmp, path);
}

static int
listener(const char *kind, const char *addr, const char *ready, int ms)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	struct sigaction	 sa;
	struct pollfd		 pfd;
	struct timespec		 t0, t;
	socklen_t		 len;
	char			 b[64];
	ssize_t			 n;
	int			 s, c, type, stream;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onterm;
	sigaction(SIGTERM, &sa, NULL);
	stream = strcmp(kind, "udp") != 0 && strcmp(kind, "unix-dgram") != 0;
	type = (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC;
	if (strcmp(kind, "tcp") == 0 || strcmp(kind, "udp") == 0) {
		sin = loopback("0");
		if ((s = socket(AF_INET, type, 0)) == -1 ||
		    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			return report(-1);
		len = sizeof(sin);
		if (getsockname(s, (struct sockaddr *)&sin, &len) == -1)
			return report(-1);
		snprintf(b, sizeof(b), "%u\n", ntohs(sin.sin_port));
	} else {
		len = unixaddr(&sun, addr, strcmp(kind, "abstract") == 0);
		(void)unlink(strcmp(kind, "abstract") == 0 ? "" : addr);
		if ((s = socket(AF_UNIX, type, 0)) == -1 ||
		    bind(s, (struct sockaddr *)&sun, len) == -1)
			return report(-1);
		snprintf(b, sizeof(b), "ready\n");
	}
	if ((stream && listen(s, 8) == -1) || announce(ready, b) == -1)
		return report(-1);
	pfd.fd = s;
	pfd.events = POLLIN;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (stop || (t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			break;
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if (stream) {
			len = sizeof(ss);
			if ((c = accept(s, (struct sockaddr *)&ss, &len)) == -1)
				continue;
			puts("connected");
			return 0;
		}
		if ((n = recv(s, b, sizeof(b), 0)) >= 0) {
			printf("got %zd\n", n);
			return 0;
		}
	}
	puts("nothing");
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: sbprobe action [arg ...]\n");
	return 2;
}

int
main(int argc, char *argv[])
{
	const char	*a;
	char		 c = ' ';
	long		 abi;

	if (argc < 2)
		return usage();
	a = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);

#define ARGS(n)	if (argc != 2 + (n)) return usage()
	if (strcmp(a, "write") == 0) {
		ARGS(1);
		return report(do_write(patharg(argv[2]), O_CREAT | O_TRUNC));
	} else if (strcmp(a, "append") == 0) {
		ARGS(1);
		return report(do_write(argv[2], O_APPEND));
	} else if (strcmp(a, "read") == 0) {
		ARGS(1);
		return report(do_read(patharg(argv[2])));
	} else if (strcmp(a, "mkdir") == 0) {
		ARGS(1);
		return report(mkdir(argv[2], 0755));
	} else if (strcmp(a, "rename") == 0) {
		ARGS(2);
		return report(rename(argv[2], argv[3]));
	} else if (strcmp(a, "link") == 0) {
		ARGS(2);
		return report(link(argv[2], argv[3]));
	} else if (strcmp(a, "symlink") == 0) {
		ARGS(2);
		return report(symlink(argv[2], argv[3]));
	} else if (strcmp(a, "chmod") == 0) {
		ARGS(2);
		return report(chmod(argv[2], (mode_t)strtol(argv[3], NULL, 8)));
	} else if (strcmp(a, "utime") == 0) {
		struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

		ARGS(1);
		return report(utimensat(AT_FDCWD, argv[2], ts, 0));
	} else if (strcmp(a, "setxattr") == 0) {
		ARGS(1);
		return report(setxattr(argv[2], "user.sbprobe", "x", 1, 0));
	} else if (strcmp(a, "getxattr") == 0) {
		ARGS(1);
		return report((int)getxattr(argv[2], "user.sbprobe", &c, 1));
	} else if (strcmp(a, "truncate") == 0) {
		ARGS(1);
		return report(truncate(argv[2], 0));
	} else if (strcmp(a, "tcp-connect") == 0) {
		ARGS(1);
		return report(tcp_connect(argv[2]));
	} else if (strcmp(a, "tcp-bind") == 0) {
		ARGS(0);
		return report(tcp_bind());
	} else if (strcmp(a, "udp-send") == 0) {
		ARGS(1);
		return report(udp_send(argv[2]));
	} else if (strcmp(a, "unix-connect") == 0) {
		ARGS(1);
		return report(unix_connect(argv[2], 0));
	} else if (strcmp(a, "unix-dgram") == 0) {
		ARGS(1);
		return report(unix_dgram(argv[2]));
	} else if (strcmp(a, "socketpair-stream") == 0) {
		ARGS(0);
		return report(socketpair_stream());
	} else if (strcmp(a, "abstract") == 0) {
		ARGS(1);
		return report(unix_connect(argv[2], 1));
	} else if (strcmp(a, "netlink") == 0) {
		ARGS(0);
		return report(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
		    NETLINK_ROUTE));
	} else if (strcmp(a, "io-uring") == 0) {
		ARGS(0);
		return report(io_uring());
	} else if (strcmp(a, "ptrace") == 0) {
		ARGS(1);
		return report(do_ptrace(pidarg(argv[2])));
	} else if (strcmp(a, "vm-read") == 0) {
		ARGS(1);
		return report(vm_read(pidarg(argv[2])));
	} else if (strcmp(a, "kill") == 0) {
		if (argc != 3 && argc != 4)
			return usage();
		return report(kill(pidarg(argv[2]), argc == 4 ?
		    atoi(argv[3]) : 0));
	} else if (strcmp(a, "pidfd-kill") == 0) {
		if (argc != 3 && argc != 4)
			return usage();
		return report(pidfd_kill(pidarg(argv[2]), argc == 4 ?
		    atoi(argv[3]) : 0));
	} else if (strcmp(a, "server-pid") == 0) {
		ARGS(0);
		printf("%d\n", (int)server());
		return 0;
	} else if (strcmp(a, "unshare-user") == 0) {
		ARGS(0);
		return report(unshare(CLONE_NEWUSER));
	} else if (strcmp(a, "unshare-mount") == 0) {
		ARGS(0);
		return report(unshare(CLONE_NEWNS));
	} else if (strcmp(a, "mount") == 0) {
		ARGS(1);
		return report(do_mount(argv[2]));
	} else if (strcmp(a, "tiocsti") == 0) {
		ARGS(0);
		return report(ioctl(0, TIOCSTI, &c));
	} else if (strcmp(a, "clone3") == 0) {
		ARGS(0);
		return report(do_clone3());
	} else if (strcmp(a, "keyctl") == 0) {
		ARGS(0);
		return report((int)syscall(__NR_keyctl, KEYCTL_GET_KEYRING_ID,
		    KEY_SPEC_SESSION_KEYRING, 0));
	} else if (strcmp(a, "add-key") == 0) {
		ARGS(0);
		return report((int)syscall(__NR_add_key, "user", "sbprobe",
		    "x", 1, KEY_SPEC_PROCESS_KEYRING));
	} else if (strcmp(a, "bpf") == 0) {
		ARGS(0);
		return report(do_bpf());
	} else if (strcmp(a, "perf") == 0) {
		ARGS(0);
		return report(perf());
	} else if (strcmp(a, "userfaultfd") == 0) {
		ARGS(0);
		return report(uffd());
	} else if (strcmp(a, "mknod-char") == 0) {
		ARGS(1);
		return report(mknod(argv[2], S_IFCHR | 0600, makedev(1, 3)));
	} else if (strcmp(a, "mkfifo") == 0) {
		ARGS(1);
		return report(mkfifo(argv[2], 0600));
	} else if (strcmp(a, "caps") == 0) {
		ARGS(0);
		return caps();
	} else if (strcmp(a, "nnp") == 0) {
		ARGS(0);
		return field("NoNewPrivs");
	} else if (strcmp(a, "seccomp") == 0) {
		ARGS(0);
		return field("Seccomp");
	} else if (strcmp(a, "devnull") == 0) {
		ARGS(0);
		return report(do_write("/dev/null", O_TRUNC));
	} else if (strcmp(a, "exec") == 0) {
		if (argc < 3)
			return usage();
		execv(argv[2], argv + 2);
		return report(-1);
	} else if (strcmp(a, "landlock-abi") == 0) {
		ARGS(0);
		if ((abi = syscall(444, NULL, 0, 1)) == -1)
			return report(-1);
		printf("%ld\n", abi);
		return 0;
	} else if (strcmp(a, "listen") == 0) {
		ARGS(4);
		return listener(argv[2], argv[3], argv[4], atoi(argv[5]));
	}
	return usage();
}
