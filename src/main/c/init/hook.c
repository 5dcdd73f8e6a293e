/* hook.c - the hooks that run inside the container: createContainer (after the mounts, before
 * pivot_root) and startContainer (after `start` opened the exec fifo, before execve). Each is
 * run as runc's libcontainer/configs Command.Run runs it: the state JSON on stdin (a pipe),
 * exactly the given argv and env, stdout and stderr captured and shown only in the error,
 * SIGKILL after the timeout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* How much of the hook's stdout and of its stderr goes into the error: the whole message must
 * fit in one sync datagram (4096 bytes). */
#define HOOK_OUTPUT_MAX 1400

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first bytes of a memfd the hook wrote, NUL-terminated. */
static void read_output(int fd, char *buf, size_t cap)
{
	ssize_t n;
	do
		n = pread(fd, buf, cap - 1, 0);
	while (n < 0 && errno == EINTR);
	buf[n > 0 ? n : 0] = 0;
}

/* Go's exec.ExitError text: "exit status N" or "signal: killed" (strsignal, lower case). */
static void describe_status(int st, char *buf, size_t cap)
{
	if (WIFEXITED(st)) {
		snprintf(buf, cap, "exit status %d", WEXITSTATUS(st));
		return;
	}
	const char *name = strsignal(WTERMSIG(st));
	snprintf(buf, cap, "signal: %s%s", name ? name : "unknown signal", WCOREDUMP(st) ? " (core dumped)" : "");
	char *s = buf + strlen("signal: ");
	if (*s >= 'A' && *s <= 'Z')
		*s = (char)(*s - 'A' + 'a');
}

static __attribute__((noreturn)) void hook_child(const char *path, char **argv, char **envp, int in, int out, int err, int report)
{
	/* The hook gets default signal dispositions (an ignored one would survive execve),
	 * the state on stdin, the captures on stdout/stderr, and no other fd of ours. */
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto out;
	if (report != 3 && (dup2(report, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0))
		goto out;
	if (syscall(SYS_close_range, 4, ~0U, 0) < 0)
		goto out;
	execve(path, argv, envp);
out:;
	int e = errno;
	/* fd 3 is the close-on-exec report pipe: it tells the parent why the exec failed */
	if (write(3, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

/*
 * hook path, args, env, timeout (seconds, 0 = none), state prefix, state suffix, index.
 * The state is prefix + getpid() + suffix: runc puts the pid as the init sees it, 1 in a new
 * pid namespace. A failure (the exec, a non-zero exit, the timeout) fails the init with runc's
 * texts: "error running hook #N: error running hook: exit status 1, stdout: ..., stderr: ...",
 * "error running hook #N: hook ran past specified timeout of 2.0s".
 */
void op_hook(const struct op *op)
{
	const char *path = arg_s(op, 0);
	char **argv = arg_l(op, 1), **envp = arg_l(op, 2);
	long long timeout = arg_i(op, 3);
	const char *prefix = arg_s(op, 4), *suffix = arg_s(op, 5);
	int index = (int)arg_i(op, 6);
	if (!argv || !envp)
		fail("hook: out of memory");
	if (!argv[0])
		fail("hook #%d: empty args", index);

	size_t cap = strlen(prefix) + strlen(suffix) + 24;
	char *state = malloc(cap);
	if (!state)
		fail("hook: out of memory");
	size_t len = (size_t)snprintf(state, cap, "%s%d%s", prefix, (int)getpid(), suffix);

	int in[2], report[2];
	int out = memfd_create("hook-stdout", MFD_CLOEXEC), err = memfd_create("hook-stderr", MFD_CLOEXEC);
	if (out < 0 || err < 0)
		fail_errno("hook #%d: memfd_create", index);
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0)
		fail_errno("hook #%d: pipe", index);
	/* A hook that exits without reading its stdin must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);

	pid_t pid = fork();
	if (pid < 0)
		fail_errno("hook #%d: fork", index);
	if (pid == 0)
		hook_child(path, argv, envp, in[0], out, err, report[1]);
	close(in[0]);
	close(report[1]);

	int exec_errno = 0;
	ssize_t n;
	do
		n = read(report[0], &exec_errno, sizeof(exec_errno));
	while (n < 0 && errno == EINTR);
	close(report[0]);
	int st;
	if (n == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, &st, 0);
		fail("error running hook #%d: fork/exec %s: %s", index, path, errstr(exec_errno));
	}

	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_errno("hook #%d: pidfd_open", index);
	}
	/* Feed stdin while waiting for the exit, so a state larger than the pipe cannot block us. */
	if (fcntl(in[1], F_SETFL, O_NONBLOCK) < 0)
		fail_errno("hook #%d: stdin pipe", index);
	size_t off = 0;
	long long deadline = timeout > 0 ? now_ms() + timeout * 1000 : -1;
	for (;;) {
		struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN}, {.fd = in[1], .events = POLLOUT}};
		int wait = -1;
		if (deadline >= 0) {
			long long left = deadline - now_ms();
			wait = left > 0 ? (int)(left > 1000000 ? 1000000 : left) : 0;
		}
		int r = poll(pfd, in[1] >= 0 ? 2 : 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail_errno("hook #%d: poll", index);
		if (pfd[0].revents & POLLIN)
			break;
		if (in[1] >= 0 && pfd[1].revents) {
			ssize_t w = write(in[1], state + off, len - off);
			if (w > 0)
				off += (size_t)w;
			/* done, or the hook closed its stdin (EPIPE): either way nothing more to send */
			if (off == len || (w < 0 && errno != EAGAIN && errno != EINTR)) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (deadline >= 0 && now_ms() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			fail("error running hook #%d: hook ran past specified timeout of %lld.0s", index, timeout);
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	close(pidfd);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			fail_errno("hook #%d: waitpid", index);
	}
	signal(SIGPIPE, SIG_DFL);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		close(out);
		close(err);
		free(state);
		free(argv);
		free(envp);
		return;
	}
	char how[128], so[HOOK_OUTPUT_MAX], se[HOOK_OUTPUT_MAX];
	describe_status(st, how, sizeof(how));
	read_output(out, so, sizeof(so));
	read_output(err, se, sizeof(se));
	fail("error running hook #%d: error running hook: %s, stdout: %s, stderr: %s", index, how, so, se);
}
