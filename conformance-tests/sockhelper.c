/*
 * Test helper for terminal.bats, compiled by the tests (gcc -static) into $WORK.
 *
 *   sockhelper recvtty SOCKET OUT [INPUT]
 *       as runc's contrib/cmd/recvtty: listens on the unix stream socket SOCKET, accepts one
 *       connection, receives one fd (SCM_RIGHTS; the message's bytes go to OUT.name), writes
 *       INPUT to it when given, then copies everything read from it to OUT until EOF or EIO.
 *   sockhelper notify-listen SOCKET OUT N
 *       binds a unix datagram socket at SOCKET, writes the first N datagrams to OUT.
 *   sockhelper notify-send MESSAGE
 *       sends MESSAGE as one datagram to the unix socket $NOTIFY_SOCKET (sd_notify).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static struct sockaddr_un address(const char *path)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "%s: path too long\n", path);
		exit(1);
	}
	strcpy(sa.sun_path, path);
	return sa;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write");
		buf += n;
		len -= (size_t)n;
	}
}

static int recvtty(const char *path, const char *out, const char *input)
{
	struct sockaddr_un sa = address(path);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0)
		die("listen");
	int c = accept(s, NULL, NULL);
	if (c < 0)
		die("accept");
	char name[4096];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	ssize_t n = recvmsg(c, &msg, 0);
	if (n < 0)
		die("recvmsg");
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "recvtty: no fd received\n");
		return 1;
	}
	int master;
	memcpy(&master, CMSG_DATA(cmsg), sizeof(int));
	char namefile[4096];
	snprintf(namefile, sizeof(namefile), "%s.name", out);
	int nf = open(namefile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (nf < 0)
		die(namefile);
	write_all(nf, name, (size_t)n);
	close(nf);
	close(c);
	close(s);
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (o < 0)
		die(out);
	if (input)
		write_all(master, input, strlen(input));
	char buf[4096];
	for (;;) {
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) /* EIO: every slave fd is closed */
			break;
		write_all(o, buf, (size_t)n);
	}
	close(o);
	return 0;
}

static int notify_listen(const char *path, const char *out, int count)
{
	struct sockaddr_un sa = address(path);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (o < 0)
		die(out);
	char buf[4096];
	for (int i = 0; i < count; i++) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (n < 0)
			die("recv");
		write_all(o, buf, (size_t)n);
	}
	close(o);
	return 0;
}

static int notify_send(const char *message)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !*path) {
		fprintf(stderr, "NOTIFY_SOCKET is not set\n");
		return 1;
	}
	struct sockaddr_un sa = address(path);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (s < 0)
		die("socket");
	if (sendto(s, message, strlen(message), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("sendto");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && argc <= 5 && !strcmp(argv[1], "recvtty"))
		return recvtty(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	if (argc == 5 && !strcmp(argv[1], "notify-listen"))
		return notify_listen(argv[2], argv[3], atoi(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "notify-send"))
		return notify_send(argv[2]);
	fprintf(stderr, "usage: sockhelper recvtty SOCKET OUT [INPUT] | notify-listen SOCKET OUT N | notify-send MESSAGE\n");
	return 2;
}
