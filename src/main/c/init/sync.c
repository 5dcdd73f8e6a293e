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
