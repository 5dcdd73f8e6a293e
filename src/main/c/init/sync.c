/* sync.c - the sync protocol with the parent, over a SOCK_SEQPACKET socket: one message per
 * datagram, plain text without a trailing newline (see PLAN.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init.h"

#define SYNC_MAX 4096

int sync_send(const char *fmt, ...)
{
	char msg[SYNC_MAX];
	va_list ap;
	if (ctx.sync_fd < 0)
		return -1;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	/* MSG_NOSIGNAL: a parent that went away must not kill us with SIGPIPE. */
	ssize_t w;
	do
		w = send(ctx.sync_fd, msg, (size_t)n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == n ? 0 : -1;
}

int sync_send_fd(const char *msg, int fd)
{
	return sync_send_fd_on(ctx.sync_fd, msg, fd);
}

/* One datagram with room for one SCM_RIGHTS fd: the send and the receive side share its layout. */
struct fd_msg {
	struct iovec iov;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr mh;
};

static void fd_msg_init(struct fd_msg *m, void *data, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->iov.iov_base = data;
	m->iov.iov_len = len;
	m->mh.msg_iov = &m->iov;
	m->mh.msg_iovlen = 1;
	m->mh.msg_control = m->control.buf;
	m->mh.msg_controllen = sizeof(m->control.buf);
}

int sync_send_fd_on(int sock, const char *msg, int fd)
{
	if (sock < 0)
		return -1;
	struct fd_msg m;
	fd_msg_init(&m, (void *)msg, strlen(msg));
	struct cmsghdr *c = CMSG_FIRSTHDR(&m.mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t w;
	do
		w = sendmsg(sock, &m.mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)m.iov.iov_len ? 0 : -1;
}

ssize_t sync_recv_fd_on(int sock, char *msg, size_t len, int *fd)
{
	struct fd_msg m;
	fd_msg_init(&m, msg, len);
	ssize_t n;
	do
		n = recvmsg(sock, &m.mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*fd = -1;
	struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&m.mh) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

void sync_wait_continue(void)
{
	char msg[SYNC_MAX];
	ssize_t n;
	if (ctx.sync_fd < 0)
		fail("sync: no sync socket to wait on");
	do
		n = recv(ctx.sync_fd, msg, sizeof(msg) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fail_errno("sync: waiting for \"continue\"");
	if (n == 0) {
		/* The parent is gone: nobody to report to. */
		dprintf(STDERR_FILENO, "jrunc-init: sync: parent closed the socket before \"continue\"\n");
		_exit(1);
	}
	msg[n] = 0;
	if (strcmp(msg, "continue") != 0)
		fail("sync: expected \"continue\", got \"%.64s\"", msg);
}

/* The sync ops: the steps of the protocol in PLAN.md the plan places. */
void op_sync_wait(const struct op *op)
{
	(void)op;
	sync_wait_continue();
}

void op_sync_ready(const struct op *op)
{
	(void)op;
	/* Nothing resolves container paths from here on: the O_PATH fds of the root and of
	 * /dev/null go now, so that a created container holds only what it needs until execve
	 * (stdio, --preserve-fds, this socket, the exec fifo). */
	if (ctx.root_fd >= 0) {
		close(ctx.root_fd);
		ctx.root_fd = -1;
	}
	if (ctx.null_fd >= 0) {
		close(ctx.null_fd);
		ctx.null_fd = -1;
	}
	bindsrc_close();
	if (sync_send("ready") < 0)
		fail_errno("sync: send \"ready\"");
}

/* The parent runs the prestart and createRuntime hooks now (runc's procHooks). */
void op_sync_hooks(const struct op *op)
{
	(void)op;
	if (sync_send("hooks") < 0)
		fail_errno("sync: send \"hooks\"");
	sync_wait_continue();
}
