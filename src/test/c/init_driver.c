/*
 * init_driver: plays jrunc's role around jrunc-init, for tests.
 *
 *   init_driver [--fifo PATH] [--uid-map "C H N"] [--gid-map "C H N"] [--wait-stdin] [--rss]
 *               [--console] INIT PLAN
 *
 * Spawns INIT with the plan on fd 10, the sync socket (SOCK_SEQPACKET) on fd 11 and, with
 * --fifo, an O_PATH fd of the exec fifo on fd 12; stdin is /dev/null, stdout and stderr are
 * ours. It answers the sync protocol: reads "pid N", writes the maps, sends "continue", reads
 * "ready" (or "error ..."), then opens the fifo for reading (after a line on stdin with
 * --wait-stdin), and waits for the container, a child of ours through CLONE_PARENT.
 * With --console it expects "console" with the pty master (SCM_RIGHTS) before "ready", and
 * once the container has exited copies what the master still holds to stdout.
 * Progress goes to stderr as "driver: ..." lines; the exit status is the container's
 * (128+N when killed by signal N), or 1 on a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile pid_t container = -1;

static void on_signal(int sig)
{
	if (container > 0)
		kill(container, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void say(const char *fmt, ...)
{
	char buf[4200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dprintf(2, "driver: %s\n", buf);
}

static int status_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int die_with_container(const char *what)
{
	int st;
	say("%s", what);
	if (container > 0) {
		kill(container, SIGKILL);
		waitpid(container, &st, 0);
	}
	return 1;
}

static void write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, map, strlen(map)) != (ssize_t)strlen(map)) {
		say("write %s: %s", path, strerror(errno));
		exit(die_with_container("maps failed"));
	}
	close(fd);
}

static long vm_rss(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	const char *fifo = NULL, *uid_map = NULL, *gid_map = NULL;
	int wait_stdin = 0, rss = 0, console = 0, master = -1, i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--fifo") && i + 1 < argc)
			fifo = argv[++i];
		else if (!strcmp(argv[i], "--uid-map") && i + 1 < argc)
			uid_map = argv[++i];
		else if (!strcmp(argv[i], "--gid-map") && i + 1 < argc)
			gid_map = argv[++i];
		else if (!strcmp(argv[i], "--wait-stdin"))
			wait_stdin = 1;
		else if (!strcmp(argv[i], "--rss"))
			rss = 1;
		else if (!strcmp(argv[i], "--console"))
			console = 1;
		else {
			say("unknown option %s", argv[i]);
			return 2;
		}
	}
	if (argc - i != 2) {
		say("usage: init_driver [options] INIT PLAN");
		return 2;
	}
	const char *init = argv[i], *planfile = argv[i + 1];
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		say("socketpair: %s", strerror(errno));
		return 1;
	}
	int plan = open(planfile, O_RDONLY | O_CLOEXEC);
	if (plan < 0) {
		say("open %s: %s", planfile, strerror(errno));
		return 1;
	}
	int fifofd = -1;
	if (fifo) {
		/* as runc: write access for the container's user, whatever our umask */
		umask(0);
		if (mkfifo(fifo, 0622) < 0 && errno != EEXIST) {
			say("mkfifo %s: %s", fifo, strerror(errno));
			return 1;
		}
		fifofd = open(fifo, O_PATH | O_CLOEXEC);
		if (fifofd < 0) {
			say("open %s: %s", fifo, strerror(errno));
			return 1;
		}
	}
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid_t stage0 = fork();
	if (stage0 < 0) {
		say("fork: %s", strerror(errno));
		return 1;
	}
	if (stage0 == 0) {
		/* all our fds are below 10: dup2 up, then close everything else */
		if (dup2(plan, 10) < 0 || dup2(sv[1], 11) < 0 || (fifofd >= 0 && dup2(fifofd, 12) < 0) ||
		    dup2(devnull, 0) < 0)
			_exit(127);
		syscall(SYS_close_range, 3, 9, 0);
		syscall(SYS_close_range, fifofd >= 0 ? 13 : 12, ~0U, 0);
		char *envp[] = {"_JRUNC_PLAN_FD=10", "_JRUNC_SYNC_FD=11", NULL};
		char *args[] = {(char *)init, NULL};
		execve(init, args, envp);
		_exit(127);
	}
	close(sv[1]);
	close(plan);

	char msg[4097];
	ssize_t n = recv(sv[0], msg, sizeof(msg) - 1, 0);
	int st;
	if (n <= 0) {
		waitpid(stage0, &st, 0);
		say("init exited (status %d) without reporting a pid", status_code(st));
		return 1;
	}
	msg[n] = 0;
	if (strncmp(msg, "error ", 6) == 0) {
		say("%s", msg);
		waitpid(stage0, &st, 0);
		return 1;
	}
	if (sscanf(msg, "pid %d", (int *)&container) != 1) {
		say("unexpected message \"%s\"", msg);
		return 1;
	}
	say("pid %d", container);
	waitpid(stage0, &st, 0);
	if (status_code(st) != 0)
		return die_with_container("stage 0 failed");
	if (uid_map)
		write_map(container, "uid_map", uid_map);
	if (gid_map)
		write_map(container, "gid_map", gid_map);
	if (send(sv[0], "continue", 8, MSG_NOSIGNAL) != 8)
		return die_with_container("send continue failed");
	if (console) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} control;
		struct iovec iov = {.iov_base = msg, .iov_len = sizeof(msg) - 1};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
				    .msg_controllen = sizeof(control.buf)};
		n = recvmsg(sv[0], &mh, MSG_CMSG_CLOEXEC);
		msg[n > 0 ? n : 0] = 0;
		struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL;
		if (strcmp(msg, "console") != 0 || !cm || cm->cmsg_type != SCM_RIGHTS) {
			say("%s", n > 0 ? msg : "no console message");
			return die_with_container("console failed");
		}
		memcpy(&master, CMSG_DATA(cm), sizeof(int));
		say("console");
	}
	n = recv(sv[0], msg, sizeof(msg) - 1, 0);
	if (n <= 0) {
		waitpid(container, &st, 0);
		say("container exited (status %d) before ready", status_code(st));
		return 1;
	}
	msg[n] = 0;
	if (strcmp(msg, "ready") != 0) {
		say("%s", msg);
		waitpid(container, &st, 0);
		return 1;
	}
	say("ready");
	if (rss)
		say("rss %ld kB", vm_rss(container));
	if (wait_stdin) {
		say("created %d", container);
		char line[64];
		if (read(0, line, sizeof(line)) < 0)
			return die_with_container("read stdin failed");
	}
	if (fifo) {
		/* Non-blocking: an init that died after "ready" must not leave us waiting forever.
		 * Opening the read end lets the init's blocking open for writing return. */
		int r = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		char c = 0;
		if (r < 0)
			return die_with_container("exec fifo: open failed");
		for (;;) {
			struct pollfd pfd = {.fd = r, .events = POLLIN};
			if (poll(&pfd, 1, 100) > 0 && read(r, &c, 1) == 1)
				break;
			if (waitpid(container, &st, WNOHANG) == container) {
				n = recv(sv[0], msg, sizeof(msg) - 1, MSG_DONTWAIT);
				msg[n > 0 ? n : 0] = 0;
				say("%s", n > 0 ? msg : "container died before start");
				return 1;
			}
		}
		close(r);
		unlink(fifo);
		if (c != '0')
			return die_with_container("exec fifo: no \"0\" from the init");
		say("started");
	}
	if (waitpid(container, &st, 0) < 0) {
		say("waitpid %d: %s", container, strerror(errno));
		return 1;
	}
	if (master >= 0) {
		/* the slave is closed with the container: what is buffered, then EIO */
		char buf[4096];
		while ((n = read(master, buf, sizeof(buf))) > 0)
			if (write(1, buf, (size_t)n) != n)
				break;
	}
	say("exit %d", status_code(st));
	return status_code(st);
}
