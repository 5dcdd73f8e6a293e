/*
 * bindsrc.c - bind mount sources opened by the privileged side (runc 1.1's "mount fds").
 *
 * In a new user namespace the container's root is some unprivileged host uid: a bind source
 * under a directory only the host's root may enter (0700) fails with "permission denied" when
 * the child mounts it. So the original process, still root in the host's user namespace, opens
 * the sources instead: right after clone it enters the child's new mount namespace (a copy of
 * its own: host paths resolve the same, and a bind needs a source mount of the namespace it
 * lands in), opens each source O_PATH (following symlinks, as mount(2) does with the path) and
 * sends the fds to the child over a socketpair made before clone. The child binds from
 * /proc/self/fd/N of the fd. The mounts the child binds from are its namespace's copies of the
 * host's, locked by the kernel (a read-only host mount stays read-only); no detached tree that
 * the container's root could unlock (open_tree) is used.
 *
 * The fds are close-on-exec, closed once the mounts are done (pivot_root, move_root) and in
 * any case before sync_ready: none reaches the container.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init.h"

static char **sources;       /* from bind_sources: host paths, NULL-terminated; NULL: none */
static size_t nsources;
static int sock[2] = {-1, -1}; /* [0] the original's end, [1] the child's */
static int *fds;              /* the child's fds, one per source; -1 once closed */

/* bind_sources l sources: before clone. Only remembers them; clone does the work. */
void op_bind_sources(const struct op *op)
{
	if (sources)
		fail("bind_sources: given twice");
	sources = arg_l(op, 0);
	for (nsources = 0; sources[nsources]; nsources++)
		;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
		fail_errno("bind_sources: socketpair");
}

int bindsrc_pending(void)
{
	return sources != NULL && fds == NULL;
}

/* A failure of the original process: the child waits for the fds and would report nothing. */
static __attribute__((noreturn)) void send_failed(pid_t child, const char *what, const char *path)
{
	int err = errno;
	kill(child, SIGKILL);
	errno = err;
	fail_errno("%s %s", what, path);
}

/* The original process, after clone: opens the sources in the child's mount namespace and sends
 * them, one datagram each. On a failure it kills the child and fails (mount source PATH: ...). */
void bindsrc_send(pid_t child)
{
	char path[64];
	close(sock[1]);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)child);
	int ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || setns(ns, CLONE_NEWNS) < 0)
		send_failed(child, "bind sources: enter the mount namespace", path);
	close(ns);
	for (size_t i = 0; i < nsources; i++) {
		int fd = open(sources[i], O_PATH | O_CLOEXEC);
		if (fd < 0)
			send_failed(child, "mount source", sources[i]);
		if (sync_send_fd_on(sock[0], "source", fd) < 0)
			send_failed(child, "bind sources: send the fd of", sources[i]);
		close(fd);
	}
	close(sock[0]);
}

/* The child, right after clone: receives one fd per source. EOF: the original failed (and
 * reported it) or died; nothing to add. */
void bindsrc_receive(void)
{
	close(sock[0]);
	fds = malloc(nsources * sizeof(*fds) + 1);
	if (!fds)
		fail("bind_sources: out of memory");
	for (size_t i = 0; i < nsources; i++) {
		char msg[16];
		int fd = -1;
		ssize_t n = sync_recv_fd_on(sock[1], msg, sizeof(msg), &fd);
		if (n <= 0 || fd < 0)
			_exit(1);
		fds[i] = fd;
	}
	close(sock[1]);
}

/* The fd opened for a bind source (the plan's string, as listed in bind_sources), or -1. */
int bindsrc_fd(const char *source)
{
	if (!fds)
		return -1;
	for (size_t i = 0; i < nsources; i++)
		if (fds[i] >= 0 && strcmp(sources[i], source) == 0)
			return fds[i];
	return -1;
}

/* After the mounts: nothing of the host stays open in the container's init. */
void bindsrc_close(void)
{
	if (!fds)
		return;
	for (size_t i = 0; i < nsources; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}
