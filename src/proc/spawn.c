/*
 * spawn.c: fork and exec one child, with pipes or on a pseudo-terminal.
 *
 * The parent prepares everything that allocates or deserves a worded
 * error: the exec argv, the terminal pair (posix_openpt, 24x80), pipes,
 * in TTY mode the program's path and the working directory.  A child
 * without a sandbox is started with clone(CLONE_VM | CLONE_VFORK): it
 * shares the server's memory, on a stack of its own, and the server
 * waits until it has exec'd (no page tables copied, no page copied on
 * write); a confined child is forked.  Between the start and exec the
 * child makes only async-signal-safe system calls:
 * default signal dispositions and an empty mask, a new session (so the
 * child leads its own process group), its stdio, the parent-death
 * signal, chdir, every other descriptor marked close-on-exec, then
 * confinement and exec.  A failure travels back as an errno over a
 * close-on-exec pipe: the parent blocks on it only from fork() to the
 * child's exec, and answers process/start knowing whether the program
 * runs.
 *
 * Program lookup follows the reference (protocol.md §7.5, transcript 16):
 *   pipes  execvp() as musl does it, with the PATH of the child's own
 *          environment, "/usr/local/bin:/bin:/usr/bin" without one;
 *   TTY    portable-pty's CommandBuilder: the name is arg0 when given,
 *          else argv[0]; unless it is an absolute argv[0], it is looked
 *          up with the child's PATH relative to the working directory,
 *          with portable-pty's messages.  A missing or non-directory cwd
 *          means $HOME of the child's environment, else the account's
 *          home directory.
 */
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/lim.h"
#include "compat/oserr.h"
#include "proc/spawn.h"
#include "sandbox/confine.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

#define TTY_ROWS	24
#define TTY_COLS	80
#define NAME_MAX_	255
#define DEFAULT_PATH	"/usr/local/bin:/bin:/usr/bin"

/* Everything the child needs, prepared by the parent. */
struct plan {
	char *const	*argv;
	char *const	*envp;
	const char	*dir;		/* chdir() here */
	const char	*file;		/* execve() this, or look it up */
	const char	*path;		/* PATH for the lookup; NULL: none */
	int		 tty;
	int		 slave;		/* TTY */
	int		 in, out, err;	/* pipes: the child's ends */
	int		 errfd;		/* report channel, close-on-exec */
	const struct confine *confine;	/* the sandbox, or NULL */
	int		 maxfd;		/* for the close fallback */
	pid_t		 ppid;
};

/*
 * The one place where a sandbox applies its restrictions: in the child,
 * after its descriptors and working directory are in place, right before
 * exec.  Returns 0 or an errno (reported as the spawn error).  The
 * parent prepared everything (sandbox/confine.c); here are system calls
 * only.  The working directory is entered again so that it is seen
 * through the sandbox's mounts.
 */
static int
spawn_confine(const struct plan *pl, int *step)
{
	int	 e;

	*step = 0;
	if (pl->confine == NULL)
		return 0;
	if ((e = confine_apply(pl->confine, step)) != 0)
		return e;
	return chdir(pl->dir) == -1 ? errno : 0;
}

/* --- the child ----------------------------------------------------------- */

/* Report errno e (and the sandbox's step, or 0) to the parent, and go. */
static void __attribute__((noreturn))
child_fail_step(const struct plan *pl, int e, int step)
{
	int	 r[2] = { e, step };
	ssize_t	 n;

	do
		n = write(pl->errfd, r, sizeof(r));
	while (n == -1 && errno == EINTR);
	_exit(127);
}

static void __attribute__((noreturn))
child_fail(const struct plan *pl, int e)
{
	child_fail_step(pl, e, 0);
}

static int
child_dup(int from, int to)
{
	int	 r;

	do
		r = dup2(from, to);
	while (r == -1 && errno == EINTR);
	return r;
}

/* Close (at exec) every descriptor but 0, 1, 2. */
static void
child_close_fds(const struct plan *pl)
{
	int	 fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	for (fd = 3; fd < pl->maxfd; fd++)
		if (fd != pl->errfd)
			(void)close(fd);
}

/* execvp() as musl implements it, with an explicit PATH. */
static int
child_execvp(const struct plan *pl)
{
	char		 b[LIM_PATH + NAME_MAX_ + 2];
	const char	*p, *z;
	size_t		 k;
	int		 seen_eacces = 0;

	if (strchr(pl->file, '/') != NULL) {
		execve(pl->file, pl->argv, pl->envp);
		return errno;
	}
	if ((k = strlen(pl->file)) > NAME_MAX_)
		return ENAMETOOLONG;
	for (p = pl->path != NULL ? pl->path : DEFAULT_PATH;; p = z + 1) {
		for (z = p; *z != '\0' && *z != ':'; z++)
			;
		if ((size_t)(z - p) < LIM_PATH) {
			memcpy(b, p, (size_t)(z - p));
			b[z - p] = '/';
			/* An empty element means the working directory. */
			memcpy(b + (z - p) + (z > p), pl->file, k + 1);
			execve(b, pl->argv, pl->envp);
			switch (errno) {
			case EACCES:
				seen_eacces = 1;
				break;
			case ENOENT:
			case ENOTDIR:
				break;
			default:
				return errno;
			}
		}
		if (*z == '\0')
			break;
	}
	return seen_eacces ? EACCES : ENOENT;
}

/*
 * libc refuses to touch the signals it keeps for itself (32 and 33 with
 * glibc, 32-34 with musl), so one that our parent left ignored would stay
 * ignored across exec.  The system call does not refuse.
 */
static void
child_dfl_raw(int sig)
{
#if defined(__x86_64__) && defined(SYS_rt_sigaction)
	struct {
		void		(*handler)(int);
		unsigned long	 flags;
		void		(*restorer)(void);
		uint64_t	 mask;
	} k = { SIG_DFL, 0, NULL, 0 };

	(void)syscall(SYS_rt_sigaction, sig, &k, NULL, sizeof(k.mask));
#else
	(void)sig;
#endif
}

static void __attribute__((noreturn))
child(const struct plan *pl)
{
	struct sigaction	 sa;
	sigset_t		 none;
	int			 sig, e, step;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &sa, NULL) == -1 && errno == EINVAL &&
		    sig != SIGKILL && sig != SIGSTOP)
			child_dfl_raw(sig);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	if (setsid() == -1)
		child_fail(pl, errno);
	if (pl->tty) {
		if (ioctl(pl->slave, TIOCSCTTY, 0) == -1)
			child_fail(pl, errno);
		if (child_dup(pl->slave, 0) == -1 ||
		    child_dup(pl->slave, 1) == -1 ||
		    child_dup(pl->slave, 2) == -1)
			child_fail(pl, errno);
	} else if (child_dup(pl->in, 0) == -1 || child_dup(pl->out, 1) == -1 ||
	    child_dup(pl->err, 2) == -1)
		child_fail(pl, errno);
	/* Die with the server, and not later than now if it is gone. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		child_fail(pl, errno);
	if (getppid() != pl->ppid)
		_exit(127);
	if (chdir(pl->dir) == -1)
		child_fail(pl, errno);
	child_close_fds(pl);
	if ((e = spawn_confine(pl, &step)) != 0)
		child_fail_step(pl, e, step);
	if (pl->tty) {
		execve(pl->file, pl->argv, pl->envp);
		e = errno;
	} else
		e = child_execvp(pl);
	child_fail(pl, e);
}

/*
 * The stack of a child started with CLONE_VM | CLONE_VFORK: one at a time,
 * since the server waits until that child has exec'd or exited.  A
 * confined child forks again and waits (its PID namespace's first
 * process), so it is started with fork() instead.
 */
static _Alignas(16) char	child_stack[64 * 1024];

/*
 * Not under AddressSanitizer: its run time (which wraps _exit), shared
 * with such a child, reported failed spawns as started.  Those builds
 * fork.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SPAWN_SHARED	0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPAWN_SHARED	0
#endif
#endif
#ifndef SPAWN_SHARED
#define SPAWN_SHARED	1
#endif

static int
child_entry(void *arg)
{
	child(arg);
}

/* --- TTY program lookup (portable-pty's search_path) --------------------- */

static int
is_dir(const char *p)
{
	struct stat	 st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *
env_get(char *const *envp, const char *key)
{
	size_t	 n = strlen(key);

	for (; *envp != NULL; envp++)
		if (strncmp(*envp, key, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* Rust's Path::join: an absolute b replaces a. */
static void
path_join(struct buf *out, const char *a, size_t alen, const char *b,
    size_t blen)
{
	buf_reset(out);
	if (blen > 0 && b[0] == '/') {
		buf_add(out, b, blen);
		return;
	}
	buf_add(out, a, alen);
	if (alen > 0 && a[alen - 1] != '/')
		buf_addc(out, '/');
	buf_add(out, b, blen);
}

/* nix's Errno Display: "ENOENT: No such file or directory". */
static void
nix_errno(struct buf *b, int e)
{
	static const struct {
		int		 e;
		const char	*name, *desc;
	} tab[] = {
		{ ENOENT, "ENOENT", "No such file or directory" },
		{ EACCES, "EACCES", "Permission denied" },
		{ ENOTDIR, "ENOTDIR", "Not a directory" },
		{ ELOOP, "ELOOP", "Too many levels of symbolic links" },
		{ ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
		{ EPERM, "EPERM", "Operation not permitted" },
		{ EIO, "EIO", "Input/output error" },
		{ EROFS, "EROFS", "Read-only file system" },
		{ ETXTBSY, "ETXTBSY", "Text file busy" },
		{ EINVAL, "EINVAL", "Invalid argument" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].e == e) {
			buf_addf(b, "%s: %s", tab[i].name, tab[i].desc);
			return;
		}
	buf_addf(b, "UnknownErrno: %s", oserr_str(e));
}

/* Rust's {:?} of an OsStr. */
static void
rust_debug(struct buf *b, const char *s)
{
	unsigned char	 c;

	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c == '\r')
			buf_adds(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(b, "\\u{%x}", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* The directory a TTY child starts in. */
static void
tty_dir(const struct spawn_req *r, struct buf *dir)
{
	struct passwd	*pw;
	const char	*home;

	if (is_dir(r->cwd))
		buf_adds(dir, r->cwd);
	else if ((home = env_get(r->envp, "HOME")) != NULL)
		buf_adds(dir, home);
	else if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		buf_adds(dir, pw->pw_dir);
	else
		buf_adds(dir, "/");
	buf_addc(dir, '\0');
	dir->len--;
}

/* Resolve the TTY program into *res, or word the failure in msg. */
static int
tty_resolve(const char *name, int direct, char *const *envp,
    const char *dir, struct buf *res, struct buf *msg)
{
	struct buf	 cand = { 0 }, entry = { 0 }, errs = { 0 };
	const char	*path, *p, *z;
	int		 rc = -1, nerr = 0;

	if (direct || name[0] == '/') {
		if (!direct && is_dir(name))
			buf_addf(msg, "Unable to spawn %s because it is a "
			    "directory", name);
		else if (!direct && access(name, X_OK) == -1) {
			buf_addf(msg, "Unable to spawn %s because %s (", name,
			    access(name, F_OK) == 0 ? "it is not executable" :
			    "it doesn't exist on the filesystem");
			nix_errno(msg, errno);
			buf_addc(msg, ')');
		} else {
			buf_adds(res, name);
			rc = 0;
		}
		goto out;
	}
	if (strcmp(name, ".") == 0 || strncmp(name, "./", 2) == 0) {
		path_join(&cand, dir, strlen(dir), name, strlen(name));
		buf_addc(&cand, '\0');
		if (is_dir(buf_data(&cand)))
			buf_addf(msg, "Unable to spawn %s because it is a "
			    "directory", buf_data(&cand));
		else if (access(buf_data(&cand), X_OK) == 0) {
			buf_adds(res, buf_data(&cand));
			rc = 0;
		} else
			buf_addf(msg, "Unable to spawn %s because it %s",
			    buf_data(&cand), access(buf_data(&cand), F_OK) == 0 ?
			    "is not executable" : "does not exist");
		goto out;
	}
	if ((path = env_get(envp, "PATH")) != NULL) {
		for (p = path;; p = z + 1) {
			for (z = p; *z != '\0' && *z != ':'; z++)
				;
			path_join(&entry, dir, strlen(dir), p, (size_t)(z - p));
			path_join(&cand, buf_data(&entry), buf_used(&entry),
			    name, strlen(name));
			buf_addc(&cand, '\0');
			if (is_dir(buf_data(&cand))) {
				buf_addf(&errs, "%s%s exists but is a directory",
				    nerr++ ? ".\n" : "", buf_data(&cand));
			} else if (access(buf_data(&cand), X_OK) == 0) {
				buf_adds(res, buf_data(&cand));
				rc = 0;
				goto out;
			} else if (access(buf_data(&cand), F_OK) == 0)
				buf_addf(&errs, "%s%s exists but is not "
				    "executable", nerr++ ? ".\n" : "",
				    buf_data(&cand));
			if (*z == '\0')
				break;
		}
		buf_addf(&errs, "%sNo viable candidates found in PATH ",
		    nerr ? ".\n" : "");
		rust_debug(&errs, path);
	} else
		buf_adds(&errs, "Unable to resolve the PATH");
	buf_addf(msg, "Unable to spawn %s because:\n%.*s", name,
	    (int)buf_used(&errs), buf_data(&errs));
out:
	buf_addc(res, '\0');
	res->len--;
	buf_free(&cand);
	buf_free(&entry);
	buf_free(&errs);
	return rc;
}

/* --- the parent ---------------------------------------------------------- */

static void
xclose(int *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/* Keep the child's ends clear of 0, 1 and 2, so that dup2() cannot clash. */
static int
above2(int *fd)
{
	int	 nfd;

	if (*fd > 2)
		return 0;
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3)) == -1)
		return -1;
	(void)close(*fd);
	*fd = nfd;
	return 0;
}

static int
nonblock(int fd)
{
	int	 fl = fcntl(fd, F_GETFL);

	return fl == -1 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int
open_pty(int *master, int *slave)
{
	struct winsize	 ws;
	char		 name[128];

	if ((*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(*master) == -1 || unlockpt(*master) == -1 ||
	    ptsname_r(*master, name, sizeof(name)) != 0 ||
	    (*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	memset(&ws, 0, sizeof(ws));
	ws.ws_row = TTY_ROWS;
	ws.ws_col = TTY_COLS;
	if (ioctl(*slave, TIOCSWINSZ, &ws) == -1 || nonblock(*master) == -1)
		return -1;
	return 0;
}

/*
 * Wait for the child's exec; 0 when it happened, else the errno, with
 * the sandbox's step that failed (or 0) in *step.
 */
static int
await_exec(int fd, pid_t pid, int *step)
{
	ssize_t	 n;
	int	 r[2] = { 0, 0 }, e, st;

	do
		n = read(fd, r, sizeof(r));
	while (n == -1 && errno == EINTR);
	*step = 0;
	if (n == 0)
		return 0;
	e = r[0];
	if (n != (ssize_t)sizeof(r) || e == 0) {
		e = n == -1 ? errno : EIO;
		(void)kill(pid, SIGKILL);
	} else
		*step = r[1];
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return e;
}

int
spawn_start(const struct spawn_req *r, struct spawn_res *res,
    struct buf *msg)
{
	struct plan	 pl;
	struct rlimit	 rl;
	struct buf	 dir = { 0 }, prog = { 0 };
	sigset_t	 all, old;
	char		**xargv = NULL;
	size_t		 n;
	int		 ep[2] = { -1, -1 }, po[2] = { -1, -1 },
			 pe[2] = { -1, -1 }, pi[2] = { -1, -1 };
	int		 master = -1, slave = -1, null = -1, wr = -1;
	int		 rc = -1, e, step;
	pid_t		 pid;

	memset(&pl, 0, sizeof(pl));
	res->pid = -1;
	res->out = res->err = res->in = -1;
	if (r->argv[0] == NULL || r->argv[0][0] == '\0') {
		buf_addf(msg, "missing program for %s spawn",
		    r->tty ? "PTY" : "pipe");
		return -1;
	}
	for (n = 0; r->argv[n] != NULL; n++)
		;
	if ((xargv = calloc(n + 1, sizeof(*xargv))) == NULL)
		goto oom;
	memcpy(xargv, r->argv, n * sizeof(*xargv));
	if (r->arg0 != NULL)
		xargv[0] = (char *)r->arg0;
	pl.argv = xargv;
	pl.envp = r->envp;
	pl.confine = r->confine;
	pl.tty = r->tty;
	pl.in = pl.out = pl.err = pl.slave = -1;

	if (r->tty) {
		tty_dir(r, &dir);
		if (dir.oom)
			goto oom;
		if (tty_resolve(xargv[0], r->arg0 == NULL && r->argv[0][0] ==
		    '/', r->envp, buf_data(&dir), &prog, msg) == -1)
			goto out;
		if (prog.oom)
			goto oom;
		pl.dir = buf_data(&dir);
		pl.file = buf_data(&prog);
		if (open_pty(&master, &slave) == -1) {
			/* Name what is missing: /dev/ptmx, or /dev/pts. */
			buf_adds(msg, "cannot open a pseudo-terminal (/dev/ptmx, "
			    "/dev/pts): ");
			goto syserr;
		}
		if (above2(&slave) == -1 ||
		    (wr = fcntl(master, F_DUPFD_CLOEXEC, 3)) == -1)
			goto syserr;
		pl.slave = slave;
	} else {
		pl.dir = r->cwd;
		pl.file = r->argv[0];
		pl.path = env_get(r->envp, "PATH");
		if (pipe2(po, O_CLOEXEC) == -1 || pipe2(pe, O_CLOEXEC) == -1)
			goto syserr;
		if (r->pipe_stdin) {
			if (pipe2(pi, O_CLOEXEC) == -1 || above2(&pi[0]) == -1 ||
			    nonblock(pi[1]) == -1)
				goto syserr;
			pl.in = pi[0];
		} else if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
			if (above2(&null) == -1)
				goto syserr;
			pl.in = null;
		} else if (errno == ENOENT) {
			/*
			 * No /dev/null (a root with nothing in it): a pipe whose
			 * writer is gone reads as the same empty file.
			 */
			if (pipe2(pi, O_CLOEXEC) == -1 || above2(&pi[0]) == -1)
				goto syserr;
			xclose(&pi[1]);
			pl.in = pi[0];
		} else
			goto syserr;
		if (above2(&po[1]) == -1 || above2(&pe[1]) == -1 ||
		    nonblock(po[0]) == -1 || nonblock(pe[0]) == -1)
			goto syserr;
		pl.out = po[1];
		pl.err = pe[1];
	}
	if (pipe2(ep, O_CLOEXEC) == -1 || above2(&ep[1]) == -1)
		goto syserr;
	pl.errfd = ep[1];
	pl.maxfd = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
	pl.ppid = getpid();

	/* No handler of ours may run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if (pl.confine == NULL && SPAWN_SHARED) {
		/*
		 * Nothing in the child outlives its exec: share the server's
		 * memory until then (the server waits), instead of copying
		 * its page tables and then every page it touches.
		 */
		pid = clone(child_entry, child_stack + sizeof(child_stack),
		    CLONE_VM | CLONE_VFORK | SIGCHLD, &pl);
	} else if ((pid = fork()) == 0)
		child(&pl);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		/* Say which limit: the bare errno would read as a retry. */
		buf_adds(msg, "cannot fork: ");
		oserr_fmt(msg, e);
		if (e == EAGAIN)
			buf_adds(msg, "; the account's process limit "
			    "(RLIMIT_NPROC) or the system's is reached");
		goto out;
	}
	xclose(&ep[1]);
	xclose(&slave);
	xclose(&po[1]);
	xclose(&pe[1]);
	xclose(&pi[0]);
	xclose(&null);
	if ((e = await_exec(ep[0], pid, &step)) != 0) {
		if (step != 0)
			buf_addf(msg, "cannot confine the process (%s): ",
			    confine_step_name(step));
		oserr_fmt(msg, e);
		goto out;
	}
	res->pid = pid;
	if (r->tty) {
		res->out = master;
		res->in = wr;
		master = wr = -1;
	} else {
		res->out = po[0];
		res->err = pe[0];
		res->in = pi[1];
		po[0] = pe[0] = pi[1] = -1;
	}
	rc = 0;
	goto out;
oom:
	buf_adds(msg, "out of memory");
	goto out;
syserr:
	oserr_fmt(msg, errno);
out:
	xclose(&ep[0]);
	xclose(&ep[1]);
	xclose(&po[0]);
	xclose(&po[1]);
	xclose(&pe[0]);
	xclose(&pe[1]);
	xclose(&pi[0]);
	xclose(&pi[1]);
	xclose(&master);
	xclose(&slave);
	xclose(&null);
	xclose(&wr);
	buf_free(&dir);
	buf_free(&prog);
	free(xargv);
	return rc;
}
