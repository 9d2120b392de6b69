/*
 * seccomp_test.c: the sandbox's seccomp filter (sandbox/seccomp.c).  The
 * programs' shape, then every check in a forked child that sets
 * no_new_privs, installs a filter and makes one call: a denied call must
 * fail with the exact errno (or the child die by the exact signal), an
 * allowed one must work.
 *
 * A denied call is proved denied by the filter, not by the kernel (we
 * may be root or not), with a mark: a second filter, installed first,
 * that fails the call under test with MARK_ERRNO.  Between two errno
 * actions the most recently installed filter's wins, and any errno beats
 * ALLOW, so the call gets the filter's errno if the filter denies it,
 * MARK_ERRNO if it allows it, and is never run either way.
 */
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include <linux/keyctl.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/seccomp.h"
#include "tap.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define MARK_ERRNO	ENOTUNIQ	/* no call here fails so by itself */
#define SETUP_FAILED	200		/* a step before the call failed */
#define SIG(n)		(1000 + (n))	/* the child died by signal n */
#define NONE		(-1)		/* no filter, or no call to mark */

struct probe {
	const char	*what;
	long		 nr;		/* the call to mark, or NONE */
	int		(*fn)(void);	/* 0, or the errno of the call */
	int		 want;		/* 0, an errno, or SIG(n) */
};

static struct sock_fprog	 progs[3];	/* base, NET_RESTRICTED, NO_METADATA */
static char			 tmp[64];

/* A system call's result as the child's exit status. */
static int
res(long r)
{
	return r == -1 ? errno : 0;
}

static const char *
in_tmp(const char *name)
{
	static char	 p[96];

	snprintf(p, sizeof(p), "%s/%s", tmp, name);
	return p;
}

static socklen_t
unaddr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", in_tmp(name));
	return sizeof(*sun);
}

/* Always denied. */
static int
t_io_uring_setup(void)
{
	char	 params[120];		/* struct io_uring_params */

	memset(params, 0, sizeof(params));
	return res(syscall(__NR_io_uring_setup, 1, params));
}

static int
t_io_uring_enter(void)
{
	return res(syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0));
}

static int
t_ptrace(void)
{
	return res(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}

static int
t_process_vm_readv(void)
{
	char		 b[1];
	struct iovec	 l = { b, 1 }, r = { b, 1 };

	return res(process_vm_readv(getppid(), &l, 1, &r, 1, 0));
}

static int
t_pidfd_getfd(void)
{
	return res(syscall(__NR_pidfd_getfd, -1, 0, 0));
}

static int
t_keyctl(void)
{
	return res(syscall(__NR_keyctl, KEYCTL_GET_KEYRING_ID,
	    KEY_SPEC_SESSION_KEYRING, 0));
}

static int
t_add_key(void)
{
	return res(syscall(__NR_add_key, "user", "seccomp_test", "x", 1,
	    KEY_SPEC_PROCESS_KEYRING));
}

static int
t_perf_event_open(void)
{
	char	 attr[128];		/* struct perf_event_attr */

	memset(attr, 0, sizeof(attr));
	return res(syscall(__NR_perf_event_open, attr, 0, -1, -1, 0));
}

static int
t_userfaultfd(void)
{
	return res(syscall(__NR_userfaultfd, O_CLOEXEC));
}

static int
t_bpf(void)
{
	char	 attr[64];		/* union bpf_attr */

	memset(attr, 0, sizeof(attr));
	return res(syscall(__NR_bpf, 0, attr, sizeof(attr)));
}

static int
t_mount(void)
{
	return res(mount("none", in_tmp("mnt"), "tmpfs", 0, NULL));
}

static int
t_umount2(void)
{
	return res(umount2(in_tmp("mnt"), MNT_DETACH));
}

static int
t_fsopen(void)
{
	return res(syscall(__NR_fsopen, "tmpfs", 0));
}

static int
t_open_tree_attr(void)
{
	return res(syscall(467, AT_FDCWD, "/", 0, NULL, 0));
}

static int
t_setns(void)
{
	return res(setns(-1, 0));
}

static int
t_chroot(void)
{
	return res(chroot("/"));
}

static int
t_open_by_handle_at(void)
{
	return res(syscall(__NR_open_by_handle_at, AT_FDCWD, NULL, O_RDONLY));
}

static int
t_unshare_user(void)
{
	return res(unshare(CLONE_NEWUSER));
}

static int
t_unshare_ns(void)
{
	return res(unshare(CLONE_NEWNS));
}

static int
t_unshare_files_net(void)
{
	return res(unshare(CLONE_FILES | CLONE_NEWNET));
}

static int
t_clone_user(void)
{
	long	 r;

	r = syscall(__NR_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	return res(r);
}

static int
t_clone3(void)
{
	uint64_t	 args[8];	/* struct clone_args, version 0 */
	long		 r;

	memset(args, 0, sizeof(args));
	args[4] = SIGCHLD;		/* exit_signal */
	r = syscall(__NR_clone3, args, sizeof(args));
	if (r == 0)
		_exit(0);
	return res(r);
}

static int
t_tiocsti(void)
{
	char	 c = 'x';

	return res(ioctl(0, TIOCSTI, &c));
}

static int
t_tioclinux(void)
{
	char	 c = 2;			/* TIOCL_SETSEL */

	return res(ioctl(0, TIOCLINUX, &c));
}

static int
t_mknodat_chr(void)
{
	return res(mknodat(AT_FDCWD, in_tmp("null"), S_IFCHR | 0600,
	    makedev(1, 3)));
}

static int
t_mknodat_blk(void)
{
	return res(mknodat(AT_FDCWD, in_tmp("blk"), S_IFBLK | 0600,
	    makedev(7, 0)));
}

static int
t_personality32(void)
{
	return res(personality(PER_LINUX32));
}

#ifdef __x86_64__
static int
t_mknod_chr(void)
{
	return res(syscall(__NR_mknod, in_tmp("null"), S_IFCHR | 0600,
	    makedev(1, 3)));
}

static int
t_iopl(void)
{
	return res(syscall(__NR_iopl, 0));
}

/* getpid by the x32 ABI. */
static int
t_x32(void)
{
	return res(syscall(0x40000000 | __NR_getpid));
}

/* getpid (20) by the i386 ABI. */
static int
t_int80(void)
{
	long	 r;

	signal(SIGSEGV, SIG_DFL);	/* no i386 ABI: a plain SIGSEGV */
	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(20L)
	    : "memory", "r8", "r9", "r10", "r11");
	return r > 0 ? 0 : 1;
}
#endif

/* Denied with SECCOMP_NET_RESTRICTED. */
static int
t_socket_inet(void)
{
	return res(socket(AF_INET, SOCK_STREAM, 0));
}

static int
t_socket_inet6(void)
{
	return res(socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

static int
t_socket_netlink(void)
{
	return res(socket(AF_NETLINK, SOCK_RAW, 0));
}

static int
t_socket_unix_dgram(void)
{
	return res(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

static int
t_socket_unix_raw(void)
{
	return res(socket(AF_UNIX, SOCK_RAW, 0));
}

static int
t_socketpair_dgram(void)
{
	int	 sv[2];

	return res(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
}

static int
t_socketpair_inet(void)
{
	int	 sv[2];

	return res(socketpair(AF_INET, SOCK_STREAM, 0, sv));
}

static int
t_connect(void)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = unaddr(&sun, "sock");
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SETUP_FAILED;
	return res(connect(s, (struct sockaddr *)&sun, len));
}

static int
t_bind(void)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = unaddr(&sun, "sock");
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SETUP_FAILED;
	return res(bind(s, (struct sockaddr *)&sun, len));
}

static int
t_listen(void)
{
	int	 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SETUP_FAILED;
	return res(listen(s, 1));
}

static int
t_accept4(void)
{
	int	 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SETUP_FAILED;
	return res(accept4(s, NULL, NULL, SOCK_CLOEXEC));
}

static int
t_sendto_addr(void)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = unaddr(&sun, "sock");
	int			 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return SETUP_FAILED;
	return res(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&sun, len));
}

/* A destination whose low half is 0: the high half is checked too. */
static int
t_sendto_addr_high(void)
{
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return SETUP_FAILED;
	return res(syscall(__NR_sendto, sv[0], "x", 1, 0,
	    (uintptr_t)1 << 32, 16));
}

/* Allowed. */
static int
t_getppid(void)
{
	return res(syscall(__NR_getppid));	/* the wrapper ignores errors */
}

static int
t_socket_unix_stream(void)
{
	return res(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
}

static int
t_socket_unix_seqpacket(void)
{
	return res(socket(AF_UNIX, SOCK_SEQPACKET, 0));
}

static int
t_socketpair_io(void)
{
	char	 b[4];
	int	 sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return errno;
	if (send(sv[0], "ab", 2, 0) != 2)
		return errno;
	if (sendto(sv[0], "c", 1, 0, NULL, 0) != 1)
		return errno;
	if (recv(sv[1], b, 3, MSG_WAITALL) != 3)
		return errno;
	return memcmp(b, "abc", 3) == 0 ? 0 : SETUP_FAILED;
}

static int
t_pipe_io(void)
{
	char	 b[2];
	int	 p[2], n;

	if (pipe(p) == -1 || write(p[1], "xy", 2) != 2)
		return errno;
	if (ioctl(p[0], FIONREAD, &n) == -1)
		return errno;
	if (n != 2 || read(p[0], b, 2) != 2)
		return SETUP_FAILED;
	return 0;
}

static int
t_open_null(void)
{
	return res(open("/dev/null", O_RDWR | O_CLOEXEC));
}

static int
t_fork(void)
{
	pid_t	 pid;
	int	 st;

	if ((pid = fork()) == -1)
		return errno;
	if (pid == 0)
		_exit(7);
	if (waitpid(pid, &st, 0) == -1)
		return errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : SETUP_FAILED;
}

static int
t_unshare_files(void)
{
	return res(unshare(CLONE_FILES));
}

static int
t_mkfifo(void)
{
	char	 p[128];

	snprintf(p, sizeof(p), "%s/fifo.%d", tmp, (int)getpid());
	if (mkfifo(p, 0600) == -1)
		return errno;
	return res(unlink(p));
}

/* A file of this child's in tmp, for the metadata calls. */
static int
meta_file(char *p, size_t sz)
{
	int	 fd;

	snprintf(p, sz, "%s/meta.%d", tmp, (int)getpid());
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
	    -1)
		return -1;
	return fd;
}

static int
meta_end(const char *p, int fd, int e)
{
	close(fd);
	unlink(p);
	return e;
}

static int
t_chmod(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd, res(chmod(p, 0644)));
}

static int
t_fchmod(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd, res(fchmod(fd, 0644)));
}

static int
t_chown(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd,
	    res(fchownat(AT_FDCWD, p, getuid(), getgid(), 0)));
}

static int
t_fchown(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd,
	    res(fchown(fd, getuid(), getgid())));
}

static int
t_setxattr(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));
	int	 e;

	if (fd == -1)
		return SETUP_FAILED;
	e = res(setxattr(p, "user.t", "v", 1, 0));
	/* A file system without user xattrs answers ENOTSUP: no filter. */
	return meta_end(p, fd, e);
}

static int
t_removexattr(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd,
	    res(fremovexattr(fd, "user.none")));
}

static int
t_utimens(void)
{
	char	 p[128];
	int	 fd = meta_file(p, sizeof(p));

	return fd == -1 ? SETUP_FAILED : meta_end(p, fd,
	    res(utimensat(AT_FDCWD, p, NULL, 0)));
}

static int
t_personality_query(void)
{
	return res(personality(0xffffffff));
}

static int
t_personality_linux(void)
{
	return res(personality(PER_LINUX));
}

static int
t_connect_missing(void)
{
	struct sockaddr_un	 sun;
	socklen_t		 len = unaddr(&sun, "missing");
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SETUP_FAILED;
	return res(connect(s, (struct sockaddr *)&sun, len));
}

/* Every sandbox, under both programs. */
static const struct probe both[] = {
	{ "io_uring_setup", __NR_io_uring_setup, t_io_uring_setup, EPERM },
	{ "io_uring_enter", __NR_io_uring_enter, t_io_uring_enter, EPERM },
	{ "ptrace(PTRACE_TRACEME)", __NR_ptrace, t_ptrace, EPERM },
	{ "process_vm_readv", __NR_process_vm_readv, t_process_vm_readv,
	    EPERM },
	{ "pidfd_getfd", __NR_pidfd_getfd, t_pidfd_getfd, EPERM },
	{ "keyctl", __NR_keyctl, t_keyctl, EPERM },
	{ "add_key", __NR_add_key, t_add_key, EPERM },
	{ "perf_event_open", __NR_perf_event_open, t_perf_event_open, EPERM },
	{ "userfaultfd", __NR_userfaultfd, t_userfaultfd, EPERM },
	{ "bpf", __NR_bpf, t_bpf, EPERM },
	{ "mount", __NR_mount, t_mount, EPERM },
	{ "umount2", __NR_umount2, t_umount2, EPERM },
	{ "fsopen", __NR_fsopen, t_fsopen, EPERM },
	{ "open_tree_attr", 467, t_open_tree_attr, EPERM },
	{ "setns", __NR_setns, t_setns, EPERM },
	{ "chroot", __NR_chroot, t_chroot, EPERM },
	{ "open_by_handle_at", __NR_open_by_handle_at, t_open_by_handle_at,
	    EPERM },
	{ "unshare(CLONE_NEWUSER)", __NR_unshare, t_unshare_user, EPERM },
	{ "unshare(CLONE_NEWNS)", __NR_unshare, t_unshare_ns, EPERM },
	{ "unshare(CLONE_FILES|CLONE_NEWNET)", __NR_unshare,
	    t_unshare_files_net, EPERM },
	{ "clone(CLONE_NEWUSER)", __NR_clone, t_clone_user, EPERM },
	{ "clone3", __NR_clone3, t_clone3, ENOSYS },
	{ "ioctl(0, TIOCSTI)", __NR_ioctl, t_tiocsti, EPERM },
	{ "ioctl(0, TIOCLINUX)", __NR_ioctl, t_tioclinux, EPERM },
	{ "mknodat(S_IFCHR)", __NR_mknodat, t_mknodat_chr, EPERM },
	{ "mknodat(S_IFBLK)", __NR_mknodat, t_mknodat_blk, EPERM },
	{ "personality(PER_LINUX32)", __NR_personality, t_personality32,
	    EPERM },
#ifdef __x86_64__
	{ "mknod(S_IFCHR)", __NR_mknod, t_mknod_chr, EPERM },
	{ "iopl", __NR_iopl, t_iopl, EPERM },
	{ "getpid with the x32 bit", NONE, t_x32, SIG(SIGSYS) },
#endif
	/* The mark itself: an allowed call gets MARK_ERRNO. */
	{ "getppid, marked", __NR_getppid, t_getppid, MARK_ERRNO },
	{ "ioctl(FIONREAD), marked", __NR_ioctl, t_pipe_io, MARK_ERRNO },
	{ "mkfifo, marked (mknodat)", __NR_mknodat, t_mkfifo, MARK_ERRNO },
	{ "personality(query), marked", __NR_personality,
	    t_personality_query, MARK_ERRNO },
	{ "unshare(CLONE_FILES), marked", __NR_unshare, t_unshare_files,
	    MARK_ERRNO },
	{ "socketpair(AF_UNIX, SOCK_STREAM) + send/sendto(NULL)/recv",
	    NONE, t_socketpair_io, 0 },
	{ "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC)", NONE,
	    t_socket_unix_stream, 0 },
	{ "socket(AF_UNIX, SOCK_SEQPACKET)", NONE, t_socket_unix_seqpacket, 0 },
	{ "pipe + write + FIONREAD + read", NONE, t_pipe_io, 0 },
	{ "open(/dev/null)", NONE, t_open_null, 0 },
	{ "fork + waitpid", NONE, t_fork, 0 },
	{ "unshare(CLONE_FILES)", NONE, t_unshare_files, 0 },
	{ "mkfifo in a temporary directory", NONE, t_mkfifo, 0 },
	{ "personality(0xffffffff), the query", NONE, t_personality_query, 0 },
	{ "personality(PER_LINUX)", NONE, t_personality_linux, 0 },
};

/* With SECCOMP_NET_RESTRICTED only. */
static const struct probe net[] = {
	{ "socket(AF_INET, SOCK_STREAM)", __NR_socket, t_socket_inet, EPERM },
	{ "socket(AF_INET6, SOCK_DGRAM)", __NR_socket, t_socket_inet6, EPERM },
	{ "socket(AF_NETLINK)", __NR_socket, t_socket_netlink, EPERM },
	{ "socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC)", __NR_socket,
	    t_socket_unix_dgram, EPERM },
	{ "socket(AF_UNIX, SOCK_RAW), a datagram socket", __NR_socket,
	    t_socket_unix_raw, EPERM },
	{ "socketpair(AF_UNIX, SOCK_DGRAM)", __NR_socketpair,
	    t_socketpair_dgram, EPERM },
	{ "socketpair(AF_INET)", __NR_socketpair, t_socketpair_inet, EPERM },
	{ "connect on an AF_UNIX stream socket", __NR_connect, t_connect,
	    EPERM },
	{ "bind on an AF_UNIX stream socket", __NR_bind, t_bind, EPERM },
	{ "listen", __NR_listen, t_listen, EPERM },
	{ "accept4", __NR_accept4, t_accept4, EPERM },
	{ "sendto with an address", __NR_sendto, t_sendto_addr, EPERM },
	{ "sendto with an address above 4 GiB", __NR_sendto,
	    t_sendto_addr_high, EPERM },
	{ "socket(AF_UNIX, SOCK_STREAM), marked", __NR_socket,
	    t_socket_unix_stream, MARK_ERRNO },
	{ "sendto(NULL), marked", __NR_sendto, t_socketpair_io, MARK_ERRNO },
};

/* Without it. */
static const struct probe base[] = {
	{ "socket(AF_INET, SOCK_STREAM)", NONE, t_socket_inet, 0 },
	{ "socket(AF_UNIX, SOCK_DGRAM)", NONE, t_socket_unix_dgram, 0 },
	{ "connect to a missing path", NONE, t_connect_missing, ENOENT },
	{ "socket(AF_INET), marked", __NR_socket, t_socket_inet, MARK_ERRNO },
};

/* With SECCOMP_NO_METADATA, and without. */
static const struct probe meta[] = {
	{ "chmod", NONE, t_chmod, EPERM },
	{ "fchmod", NONE, t_fchmod, EPERM },
	{ "fchownat to its own ids", NONE, t_chown, EPERM },
	{ "fchown to its own ids", NONE, t_fchown, EPERM },
	{ "setxattr user.t", NONE, t_setxattr, EPERM },
	{ "fremovexattr", NONE, t_removexattr, EPERM },
	{ "utimensat", NONE, t_utimens, EPERM },
};
static const struct probe nometa[] = {
	{ "chmod", NONE, t_chmod, 0 },
	{ "fchmod", NONE, t_fchmod, 0 },
	{ "fchownat to its own ids", NONE, t_chown, 0 },
	{ "fchown to its own ids", NONE, t_fchown, 0 },
	{ "fremovexattr of none", NONE, t_removexattr, ENODATA },
	{ "utimensat", NONE, t_utimens, 0 },
};

/* In the child: the mark on nr, the filter, the call. */
static int
child(int which, long nr, int (*fn)(void))
{
	struct sock_filter	 mark[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | MARK_ERRNO),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog	 mp = { nitems(mark), mark };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return 250;
	if (nr != NONE && seccomp_apply(&mp) != 0)
		return 251;
	if (which != NONE && seccomp_apply(&progs[which]) != 0)
		return 252;
	return fn();
}

/* Run a check in a child: its exit status, or SIG(n). */
static int
run(int which, long nr, int (*fn)(void))
{
	pid_t	 pid;
	int	 st;

	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0)
		_exit(child(which, nr, fn));
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(st))
		return SIG(WTERMSIG(st));
	return WEXITSTATUS(st);
}

static const char *
show(int code, char *b, size_t sz)
{
	if (code == 0)
		snprintf(b, sz, "success");
	else if (code >= SIG(0))
		snprintf(b, sz, "signal %s", strsignal(code - SIG(0)));
	else if (code >= SETUP_FAILED)
		snprintf(b, sz, "test failure %d", code);
	else
		snprintf(b, sz, "%s", strerror(code));
	return b;
}

static void
probes(const char *prefix, int which, const struct probe *p, size_t n)
{
	char	 b1[64], b2[64];
	size_t	 i;
	int	 got;

	for (i = 0; i < n; i++) {
		got = run(which, p[i].nr, p[i].fn);
		ok(got == p[i].want, "%s: %s: %s (got %s)", prefix, p[i].what,
		    show(p[i].want, b1, sizeof(b1)), show(got, b2, sizeof(b2)));
	}
}

/* Every jump lands inside the program, which ends in a return. */
static int
well_formed(const struct sock_fprog *p)
{
	const struct sock_filter	*f = p->filter;
	size_t				 i;

	if (p->len == 0 || p->len > BPF_MAXINSNS ||
	    BPF_CLASS(f[p->len - 1].code) != BPF_RET)
		return 0;
	for (i = 0; i < p->len; i++)
		if (BPF_CLASS(f[i].code) == BPF_JMP &&
		    (BPF_OP(f[i].code) == BPF_JA ||
		    i + 1 + f[i].jt >= p->len || i + 1 + f[i].jf >= p->len))
			return 0;
	return 1;
}

int
main(void)
{
	struct sock_fprog	 p;
	int			 e;
#ifdef __x86_64__
	char			 b[64];
#endif

	snprintf(tmp, sizeof(tmp), "/tmp/seccomp_test.XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		printf("1..0 # SKIP no temporary directory\n");
		return 0;
	}

	diag("the programs");
	ok(seccomp_build(&progs[0], 0) == 0, "build without flags");
	ok(seccomp_build(&progs[1], SECCOMP_NET_RESTRICTED) == 0,
	    "build with SECCOMP_NET_RESTRICTED");
	ok(seccomp_build(&progs[2], SECCOMP_NO_METADATA) == 0 &&
	    well_formed(&progs[2]) && progs[2].len > progs[0].len,
	    "build with SECCOMP_NO_METADATA (%u instructions)", progs[2].len);
	diag("%u instructions, %u with SECCOMP_NET_RESTRICTED",
	    progs[0].len, progs[1].len);
	ok(progs[0].len > 0 && progs[1].len > progs[0].len,
	    "the network rules make the program longer (%u > %u)",
	    progs[1].len, progs[0].len);
	ok(well_formed(&progs[0]) && well_formed(&progs[1]),
	    "both under BPF_MAXINSNS, every jump inside, ending in RET");
	ok(progs[0].filter[0].code == (BPF_LD | BPF_W | BPF_ABS) &&
	    progs[0].filter[0].k == offsetof(struct seccomp_data, arch),
	    "the first instruction loads arch");
	ok(progs[0].filter[progs[0].len - 1].k == SECCOMP_RET_ALLOW,
	    "the last allows");
	errno = 0;
	p.len = 1;
	ok(seccomp_build(&p, 0x80) == -1 && errno == EINVAL &&
	    p.filter == NULL && p.len == 0, "an unknown flag: EINVAL");
	ok(seccomp_build(&p, 0) == 0, "build again");
	seccomp_free(&p);
	ok(p.filter == NULL && p.len == 0, "seccomp_free empties it");
	seccomp_free(&p);
	ok(p.filter == NULL && p.len == 0, "seccomp_free twice is harmless");
	ok(seccomp_apply(&p) == EINVAL, "applying a freed program: EINVAL");
	e = run(NONE, __NR_getppid, t_getppid);
	ok(e == MARK_ERRNO, "the mark alone fails the marked call (%d)", e);

	diag("every sandbox");
	probes("base", 0, both, nitems(both));
	probes("net", 1, both, nitems(both));
#ifdef __x86_64__
	/* The i386 ABI, when this kernel has it. */
	e = run(NONE, NONE, t_int80);
	if (e == 0) {
		e = run(0, NONE, t_int80);
		ok(e == SIG(SIGSYS), "int 0x80 (i386 ABI): killed by SIGSYS "
		    "(got %s)", show(e, b, sizeof(b)));
	} else
		ok(1, "int 0x80 (i386 ABI) # SKIP no i386 ABI here (%s)",
		    show(e, b, sizeof(b)));
#endif

	diag("SECCOMP_NET_RESTRICTED");
	probes("net", 1, net, nitems(net));
	diag("without it");
	probes("base", 0, base, nitems(base));
	diag("SECCOMP_NO_METADATA");
	probes("meta", 2, meta, nitems(meta));
	diag("without it");
	probes("base", 0, nometa, nitems(nometa));

	seccomp_free(&progs[0]);
	seccomp_free(&progs[1]);
	seccomp_free(&progs[2]);
	rmdir(tmp);
	return done_testing();
}
