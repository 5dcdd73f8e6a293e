/* exec.c - args[0] lookup, the exec fifo, closing fds, execve. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

/* Go's findExecutable: 0 when path names an executable regular file, else an errno.
 * stat_failed tells the caller the error came from stat (Go then prints "stat <path>: ..."). */
static int find_executable(const char *path, int *stat_failed)
{
	struct stat st;
	*stat_failed = 0;
	if (stat(path, &st) < 0) {
		*stat_failed = 1;
		return errno;
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return errno;
	return (st.st_mode & 0111) ? 0 : EACCES;
}

/*
 * lookup_exec arg0 PATH: exec.LookPath as runc (Go) does it, inside the container, after the
 * user and cwd are set, with runc's error texts (podman maps them to exit codes 127 and 126):
 *   exec: "x": executable file not found in $PATH
 *   exec: "/x": stat /x: no such file or directory
 *   exec: "/etc/passwd": permission denied
 */
void op_lookup_exec(const struct op *op)
{
	const char *file = arg_s(op, 0), *search = arg_s(op, 1);
	int stat_failed, err;

	if (strchr(file, '/')) {
		err = find_executable(file, &stat_failed);
		if (err == 0) {
			snprintf(ctx.exec_buf, sizeof(ctx.exec_buf), "%s", file);
			ctx.exec_path = ctx.exec_buf;
			return;
		}
		if (stat_failed)
			fail("exec: \"%s\": stat %s: %s", file, file, errstr(err));
		fail("exec: \"%s\": %s", file, errstr(err));
	}
	/* An empty PATH has no elements; an empty element means ".". */
	const char *p = search;
	while (*search) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char cand[PATH_MAX];
		int len = n ? snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, p, file)
			    : snprintf(cand, sizeof(cand), "./%s", file);
		if (len > 0 && (size_t)len < sizeof(cand) && find_executable(cand, &stat_failed) == 0) {
			if (cand[0] != '/')
				fail("exec: \"%s\": cannot run executable found relative to current directory", file);
			snprintf(ctx.exec_buf, sizeof(ctx.exec_buf), "%s", cand);
			ctx.exec_path = ctx.exec_buf;
			return;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	fail("exec: \"%s\": executable file not found in $PATH", file);
}

/*
 * wait_fifo fd step. Step 0: blocks in open() until `start` opens the fifo for reading, then
 * tells it we are past the wait with one byte "0" (as runc does) and closes it. With
 * startContainer hooks the byte waits for them: step 1 opens and holds the write end (a
 * failure from then on is written into the fifo as "error <text>", which `start` reports),
 * step 2 writes "0" on the held end and closes it. The fd is an O_PATH fd from the parent;
 * reopening it through /proc/self/fd works after pivot_root, where the host path is out of
 * reach.
 */
void op_wait_fifo(const struct op *op)
{
	int fd = (int)arg_i(op, 0);
	int64_t step = arg_i(op, 1);
	char p[32];
	if (step < 0 || step > 2)
		fail("wait_fifo: unknown step %lld", (long long)step);
	if (step == 2) {
		if (ctx.fifo_w < 0)
			fail("wait_fifo: no held exec fifo to release");
	} else {
		set_dumpable(1); /* unprivileged only: a rootless `exec` must reach a created container */
		int w = open(fdpath(fd, p), O_WRONLY | O_CLOEXEC);
		if (w < 0)
			fail_errno("open exec fifo");
		set_dumpable(0);
		close(fd);
		ctx.fifo_w = w;
		if (step == 1)
			return;
	}
	int w = ctx.fifo_w;
	ctx.fifo_w = -1;
	if (write(w, "0", 1) != 1)
		fail_errno("write exec fifo");
	close(w);
}

/* Marks close-on-exec every fd from `first` up (fds below are stdio and --preserve-fds):
 * nothing of the host reaches the container (CVE-2024-21626). They stay open until execve,
 * so an exec failure can still be reported on the sync socket. */
void op_close_fds(const struct op *op)
{
	unsigned int first = (unsigned int)arg_i(op, 0);
	if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
	/* kernel < 5.11: walk /proc/self/fd */
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		fail_errno("close fds: open /proc/self/fd");
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (*end || end == e->d_name || fd < (long)first || fd == dirfd(d))
			continue;
		if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
			fail_errno("close fds: fd %ld", fd);
	}
	closedir(d);
}

void op_exec(const struct op *op)
{
	char **argv = arg_l(op, 0), **envp = arg_l(op, 1);
	if (!argv || !envp)
		fail("exec: out of memory");
	if (!ctx.exec_path)
		fail("exec: no lookup_exec before exec");
	if (ctx.home_env[0]) {
		/* default_home ran: HOME goes last, as runc appends it */
		size_t n = 0;
		while (envp[n])
			n++;
		char **e = realloc(envp, (n + 2) * sizeof(*e));
		if (!e)
			fail("exec: out of memory");
		e[n] = ctx.home_env;
		e[n + 1] = NULL;
		envp = e;
	}
	execve(ctx.exec_path, argv, envp);
	fail_errno("exec %s", ctx.exec_path);
}
