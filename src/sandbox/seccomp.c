/*
 * seccomp.c: the seccomp BPF filter of a sandboxed child: a table of
 * (system call, condition on one argument, action), the few lines that
 * turn it into classic BPF, and its installation.  The program:
 *  1. kills the process on a foreign ABI (another audit arch, e.g. i386
 *     by int 0x80; on x86_64 the x32 bit): its numbers are not these;
 *  2. runs the rules in table order.  Each is self-contained: load nr,
 *     another call: next rule; else load one 32-bit half of one
 *     argument, mask, compare, no match: next rule; return the action.
 *     The first match decides, so a call can allow early, deny after;
 *  3. allows the rest: a deny list under the rest of the sandbox.
 * A call in no rule reads only arch and nr, so the kernel's action cache
 * allows it without running the program.  The kernel reads the
 * arguments compared here as 32 bits (ioctl request, clone flags,
 * family, type, mode, persona): their low half is what it acts on.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "sandbox/seccomp.h"

/* The architectures with a table; anywhere else seccomp_build() fails. */
#if defined(__x86_64__)
#define SC_ARCH		AUDIT_ARCH_X86_64
#elif defined(__aarch64__) && defined(__AARCH64EL__)
#define SC_ARCH		AUDIT_ARCH_AARCH64
#endif

#ifdef SC_ARCH
/* Both are little-endian: the low half of an argument comes first. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "seccomp.c: argument halves assume little-endian"
#endif

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif
/* Linux 6.15; from 424 on, a call has one number on every arch. */
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr	467
#endif
#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd	443	/* Linux 5.14; musl's table lacks it */
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2		452	/* Linux 6.6 */
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat		463	/* Linux 6.13 */
#define __NR_removexattrat	466
#endif

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
/* x86_64: the bit of a system call number that selects the x32 ABI. */
#define X32_SYSCALL_BIT	0x40000000U

/* Every namespace a child could create with clone() or unshare(). */
#define NS_FLAGS	(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | \
	    CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | \
	    CLONE_NEWTIME)

/* What the filter reads: the number, the low or high half of args[i]. */
#define OFF_ARCH	offsetof(struct seccomp_data, arch)
#define OFF_NR		offsetof(struct seccomp_data, nr)
#define LO(i)		offsetof(struct seccomp_data, args[i])
#define HI(i)		(LO(i) + 4)

#define ALL32		0xffffffffU
#define DENY		(SECCOMP_RET_ERRNO | EPERM)
#define ALLOW		SECCOMP_RET_ALLOW

enum sc_op {
	OP_ALWAYS,	/* no condition */
	OP_EQ,		/* (arg & mask) == val */
	OP_NE,		/* (arg & mask) != val */
	OP_ANY,		/* (arg & mask) != 0 */
};

struct sc_rule {
	int		 nr;	/* __NR_* of the build target */
	enum sc_op	 op;
	uint32_t	 off;	/* LO(i) or HI(i) */
	uint32_t	 mask;
	uint32_t	 val;
	uint32_t	 ret;	/* SECCOMP_RET_* */
};

#define ALWAYS(nr, ret)			{ nr, OP_ALWAYS, 0, 0, 0, ret }
#define EQ(nr, off, mask, val, ret)	{ nr, OP_EQ, off, mask, val, ret }
#define NE(nr, off, mask, val, ret)	{ nr, OP_NE, off, mask, val, ret }
#define ANY(nr, off, mask, ret)		{ nr, OP_ANY, off, mask, 0, ret }

/*
 * Every sandbox.  A call of every supported architecture has no #ifdef:
 * a header without it fails the build rather than allow the call.
 */
static const struct sc_rule base_rules[] = {
	/*
	 * Frequent calls first.  TIOCSTI and TIOCLINUX push input into the
	 * terminal: commands for the user's shell, outside the sandbox.
	 */
	EQ(__NR_ioctl, LO(1), ALL32, TIOCSTI, DENY),
	EQ(__NR_ioctl, LO(1), ALL32, TIOCLINUX, DENY),
	/*
	 * No new namespace: a user namespace hands back every capability
	 * in it, the others replace the sandbox's view.  clone's flags are
	 * arg0 on x86_64 and aarch64.
	 */
	ANY(__NR_clone, LO(0), NS_FLAGS, DENY),
	ANY(__NR_unshare, LO(0), NS_FLAGS, DENY),
	/* clone3's flags are behind a pointer: libc falls back to clone. */
	ALWAYS(__NR_clone3, SECCOMP_RET_ERRNO | ENOSYS),
	/*
	 * No device nodes (raw disks, memory); FIFOs, sockets and regular
	 * files stay allowed.  mknod exists on x86_64 only.
	 */
#ifdef __x86_64__
	EQ(__NR_mknod, LO(1), S_IFMT, S_IFCHR, DENY),
	EQ(__NR_mknod, LO(1), S_IFMT, S_IFBLK, DENY),
#endif
	EQ(__NR_mknodat, LO(2), S_IFMT, S_IFCHR, DENY),
	EQ(__NR_mknodat, LO(2), S_IFMT, S_IFBLK, DENY),
	/*
	 * No setuid or setgid bit on any file: the child runs as the
	 * server's uid (often 0), and such a file left in a writable root
	 * would run as that uid for anyone on the host.  The mode is arg1
	 * of fchmod, chmod, creat, mknod; arg2 of fchmodat(2), mknodat,
	 * open; arg3 of openat.  openat2 keeps it behind a pointer: ENOSYS,
	 * and libc falls back to openat.
	 */
	ANY(__NR_openat, LO(3), S_ISUID | S_ISGID, DENY),
	ANY(__NR_fchmod, LO(1), S_ISUID | S_ISGID, DENY),
	ANY(__NR_fchmodat, LO(2), S_ISUID | S_ISGID, DENY),
	ANY(__NR_fchmodat2, LO(2), S_ISUID | S_ISGID, DENY),
	ANY(__NR_mknodat, LO(2), S_ISUID | S_ISGID, DENY),
	ALWAYS(__NR_openat2, SECCOMP_RET_ERRNO | ENOSYS),
#ifdef __x86_64__
	ANY(__NR_open, LO(2), S_ISUID | S_ISGID, DENY),
	ANY(__NR_creat, LO(1), S_ISUID | S_ISGID, DENY),
	ANY(__NR_chmod, LO(1), S_ISUID | S_ISGID, DENY),
	ANY(__NR_mknod, LO(1), S_ISUID | S_ISGID, DENY),
#endif
	/* PER_LINUX and the query only: no turning off ASLR and such. */
	EQ(__NR_personality, LO(0), ALL32, 0, ALLOW),
	EQ(__NR_personality, LO(0), ALL32, 0xffffffff, ALLOW),
	ALWAYS(__NR_personality, DENY),
	/* io_uring runs operations this filter never sees. */
	ALWAYS(__NR_io_uring_setup, DENY),
	ALWAYS(__NR_io_uring_enter, DENY),
	ALWAYS(__NR_io_uring_register, DENY),
	/* Other processes' memory, registers, fds (the server's, same uid). */
	ALWAYS(__NR_ptrace, DENY),
	ALWAYS(__NR_process_vm_readv, DENY),
	ALWAYS(__NR_process_vm_writev, DENY),
	ALWAYS(__NR_pidfd_getfd, DENY),
	ALWAYS(__NR_kcmp, DENY),
	/* Kernel keyrings are not namespaced: the user's keys are there. */
	ALWAYS(__NR_keyctl, DENY),
	ALWAYS(__NR_add_key, DENY),
	ALWAYS(__NR_request_key, DENY),
	/* Side channels and large kernel surfaces. */
	ALWAYS(__NR_perf_event_open, DENY),
	ALWAYS(__NR_bpf, DENY),
	/* Stalls kernel page faults at will: the usual tool to win races. */
	ALWAYS(__NR_userfaultfd, DENY),
	/* Replace or extend the kernel (a child running as root could). */
	ALWAYS(__NR_kexec_load, DENY),
	ALWAYS(__NR_kexec_file_load, DENY),
	ALWAYS(__NR_init_module, DENY),
	ALWAYS(__NR_finit_module, DENY),
	ALWAYS(__NR_delete_module, DENY),
	/* No change to the mount tree, the sandbox's view of files. */
	ALWAYS(__NR_mount, DENY),
	ALWAYS(__NR_umount2, DENY),
	ALWAYS(__NR_pivot_root, DENY),
	ALWAYS(__NR_move_mount, DENY),
	ALWAYS(__NR_open_tree, DENY),
	ALWAYS(__NR_open_tree_attr, DENY),
	ALWAYS(__NR_fsopen, DENY),
	ALWAYS(__NR_fsconfig, DENY),
	ALWAYS(__NR_fsmount, DENY),
	ALWAYS(__NR_fspick, DENY),
	ALWAYS(__NR_mount_setattr, DENY),
	/* Host-wide state. */
	ALWAYS(__NR_swapon, DENY),
	ALWAYS(__NR_swapoff, DENY),
	ALWAYS(__NR_reboot, DENY),
	ALWAYS(__NR_acct, DENY),
	ALWAYS(__NR_quotactl, DENY),
	ALWAYS(__NR_quotactl_fd, DENY),
	/* Join another namespace, the host's through /proc/PID/ns. */
	ALWAYS(__NR_setns, DENY),
	/* With a directory descriptor from outside, the classic way out. */
	ALWAYS(__NR_chroot, DENY),
	/* Open by handle skips path checks (the "shocker" escape). */
	ALWAYS(__NR_open_by_handle_at, DENY),
	ALWAYS(__NR_name_to_handle_at, DENY),
#ifdef __x86_64__
	/* Raw I/O ports, and LDT segments (a source of kernel bugs). */
	ALWAYS(__NR_iopl, DENY),
	ALWAYS(__NR_ioperm, DENY),
	ALWAYS(__NR_modify_ldt, DENY),
	/* Obsolete, gone from current kernels: in case one has them. */
	ALWAYS(__NR_uselib, DENY),
	ALWAYS(__NR__sysctl, DENY),
#endif
#ifdef __NR_lookup_dcookie
	ALWAYS(__NR_lookup_dcookie, DENY),
#endif
#ifdef __NR_nfsservctl
	ALWAYS(__NR_nfsservctl, DENY),
#endif
};

/* SECCOMP_NET_RESTRICTED: no network, no host UNIX socket by path. */
static const struct sc_rule net_rules[] = {
	/*
	 * AF_UNIX only (AF_NETLINK, AF_PACKET are the kernel's), and of it
	 * the connected types, peered only by socketpair(): a datagram one
	 * could sendmsg() to a host path, and AF_UNIX makes SOCK_RAW one,
	 * so types are allowed by name.  Low 4 bits: not SOCK_CLOEXEC.
	 */
	NE(__NR_socket, LO(0), ALL32, AF_UNIX, DENY),
	EQ(__NR_socket, LO(1), 0xf, SOCK_STREAM, ALLOW),
	EQ(__NR_socket, LO(1), 0xf, SOCK_SEQPACKET, ALLOW),
	ALWAYS(__NR_socket, DENY),
	NE(__NR_socketpair, LO(0), ALL32, AF_UNIX, DENY),
	EQ(__NR_socketpair, LO(1), 0xf, SOCK_STREAM, ALLOW),
	EQ(__NR_socketpair, LO(1), 0xf, SOCK_SEQPACKET, ALLOW),
	ALWAYS(__NR_socketpair, DENY),
	/* No address, so no rendezvous with anything. */
	ALWAYS(__NR_connect, DENY),
	ALWAYS(__NR_bind, DENY),
	ALWAYS(__NR_listen, DENY),
	ALWAYS(__NR_accept, DENY),
	ALWAYS(__NR_accept4, DENY),
	/* A destination names a peer; without, it is send().  64 bits. */
	NE(__NR_sendto, LO(4), ALL32, 0, DENY),
	NE(__NR_sendto, HI(4), ALL32, 0, DENY),
};

/*
 * SECCOMP_NO_METADATA: without the read-only tree of a mount namespace
 * nothing else stops a file's mode, owner or extended attributes (ACLs)
 * or times being changed: Landlock has no right for them, and the child
 * is the owner of the server's files, root's when it runs as root.
 */
static const struct sc_rule meta_rules[] = {
	ALWAYS(__NR_fchmod, DENY),
	ALWAYS(__NR_fchmodat, DENY),
	ALWAYS(__NR_fchmodat2, DENY),
	ALWAYS(__NR_fchown, DENY),
	ALWAYS(__NR_fchownat, DENY),
	ALWAYS(__NR_setxattr, DENY),
	ALWAYS(__NR_lsetxattr, DENY),
	ALWAYS(__NR_fsetxattr, DENY),
	ALWAYS(__NR_setxattrat, DENY),
	ALWAYS(__NR_removexattr, DENY),
	ALWAYS(__NR_lremovexattr, DENY),
	ALWAYS(__NR_fremovexattr, DENY),
	ALWAYS(__NR_removexattrat, DENY),
	ALWAYS(__NR_utimensat, DENY),
#ifdef __x86_64__
	ALWAYS(__NR_utime, DENY),
	ALWAYS(__NR_utimes, DENY),
	ALWAYS(__NR_futimesat, DENY),
	ALWAYS(__NR_chmod, DENY),
	ALWAYS(__NR_chown, DENY),
	ALWAYS(__NR_lchown, DENY),
#endif
};

/* The most instructions of one rule (below), and of the frame. */
#define RULE_MAX	6
#define FRAME_MAX	7

#define INSN(c, k, t, f)	(struct sock_filter){ (c), (t), (f), (k) }
#define LD(off)		INSN(BPF_LD | BPF_W | BPF_ABS, (off), 0, 0)
#define AND(k)		INSN(BPF_ALU | BPF_AND | BPF_K, (k), 0, 0)
#define JEQ(k, t, f)	INSN(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JSET(k, t, f)	INSN(BPF_JMP | BPF_JSET | BPF_K, (k), (t), (f))
#define RET(k)		INSN(BPF_RET | BPF_K, (k), 0, 0)

/*
 * One rule at f; the number of instructions.  On no match every jump
 * lands just past the rule's RET, so all jumps are forward and short.
 */
static size_t
emit_rule(struct sock_filter *f, const struct sc_rule *r)
{
	size_t	 n = 0, j;

	f[n++] = LD(OFF_NR);
	j = n++;			/* the number test, set below */
	switch (r->op) {
	case OP_ALWAYS:
		break;
	case OP_ANY:
		f[n++] = LD(r->off);
		f[n++] = JSET(r->mask, 0, 1);	/* any bit: RET */
		break;
	case OP_EQ:
	case OP_NE:
		f[n++] = LD(r->off);
		if (r->mask != ALL32)
			f[n++] = AND(r->mask);
		if (r->op == OP_EQ)
			f[n++] = JEQ(r->val, 0, 1);	/* equal: RET */
		else
			f[n++] = JEQ(r->val, 1, 0);	/* equal: skip RET */
		break;
	}
	f[n++] = RET(r->ret);
	/* Another call: skip the rule. */
	f[j] = JEQ((uint32_t)r->nr, 0, (unsigned char)(n - j - 1));
	return n;
}

/* The whole program into prog; 0, or -1 with errno. */
static int
build(struct sock_fprog *prog, unsigned flags)
{
	struct sock_filter	*f;
	size_t			 i, n = 0;

	f = calloc(FRAME_MAX + (nitems(base_rules) + nitems(net_rules) +
	    nitems(meta_rules)) * RULE_MAX, sizeof(*f));
	if (f == NULL)
		return -1;

	/* 1. Another ABI: kill, its numbers are not these. */
	f[n++] = LD(OFF_ARCH);
	f[n++] = JEQ(SC_ARCH, 1, 0);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
#ifdef __x86_64__
	f[n++] = LD(OFF_NR);
	f[n++] = JSET(X32_SYSCALL_BIT, 0, 1);
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
#endif

	/* 2. The rules. */
	for (i = 0; i < nitems(base_rules); i++)
		n += emit_rule(f + n, &base_rules[i]);
	if (flags & SECCOMP_NET_RESTRICTED)
		for (i = 0; i < nitems(net_rules); i++)
			n += emit_rule(f + n, &net_rules[i]);
	if (flags & SECCOMP_NO_METADATA)
		for (i = 0; i < nitems(meta_rules); i++)
			n += emit_rule(f + n, &meta_rules[i]);

	/* 3. Everything else. */
	f[n++] = RET(SECCOMP_RET_ALLOW);

	if (n > BPF_MAXINSNS) {
		free(f);
		errno = EINVAL;
		return -1;
	}
	prog->len = (unsigned short)n;
	prog->filter = f;
	return 0;
}

#endif /* SC_ARCH */

int
seccomp_build(struct sock_fprog *prog, unsigned flags)
{
	prog->len = 0;
	prog->filter = NULL;
	if (flags & ~(unsigned)(SECCOMP_NET_RESTRICTED | SECCOMP_NO_METADATA)) {
		errno = EINVAL;
		return -1;
	}
#ifdef SC_ARCH
	return build(prog, flags);
#else
	errno = ENOSYS;		/* no table: the caller refuses the sandbox */
	return -1;
#endif
}

void
seccomp_free(struct sock_fprog *prog)
{
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}

int
seccomp_apply(const struct sock_fprog *prog)
{
	/* An empty program would be refused anyway; say so plainly. */
	if (prog->filter == NULL || prog->len == 0)
		return EINVAL;
	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) == -1)
		return errno;
	return 0;
}
