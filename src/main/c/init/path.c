/* path.c - resolving container paths under the root without leaving it.
 *
 * Every path of the plan that names something inside the container is resolved relative to
 * ctx.root_fd with openat2(RESOLVE_IN_ROOT): "..", absolute symlinks and relative symlinks are
 * all clamped to the root, so a symlink in the rootfs pointing at /etc cannot make a mount land
 * on the host. The caller gets an O_PATH fd and operates on "/proc/self/fd/N", never on a
 * string path that could be re-resolved differently.
 *
 * Without openat2 (kernel < 5.6) the fallback walks the path one component at a time with
 * O_NOFOLLOW and refuses any symlink or "..": stricter, but never unsafe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

const char *fdpath(int fd, char buf[static 32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

void split_path(const char *path, char *dir, char *base)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, PATH_MAX, "/");
		snprintf(base, PATH_MAX, "%s", path);
		return;
	}
	size_t n = (size_t)(slash - path);
	if (n == 0)
		snprintf(dir, PATH_MAX, "/");
	else
		snprintf(dir, PATH_MAX, "%.*s", (int)n, path);
	snprintf(base, PATH_MAX, "%s", slash + 1);
}

static int walk_nofollow(int root, const char *rel, int oflags)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", rel) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int cur = dup(root);
	char *save = NULL, *comp = strtok_r(buf, "/", &save);
	if (cur < 0)
		return -1;
	if (!comp) { /* the root itself */
		int fd = openat(cur, ".", oflags | O_CLOEXEC);
		close(cur);
		return fd;
	}
	while (comp) {
		char *next = strtok_r(NULL, "/", &save);
		if (strcmp(comp, "..") == 0) {
			close(cur);
			errno = EXDEV;
			return -1;
		}
		int fd = next ? openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
			      : openat(cur, comp, oflags | O_NOFOLLOW | O_CLOEXEC);
		int err = errno;
		close(cur);
		if (fd < 0) {
			errno = err == ENOTDIR ? ELOOP : err; /* a symlink where a directory was expected */
			return -1;
		}
		struct stat st;
		/* a symlink is refused, except as the last component opened O_NOFOLLOW on purpose */
		if (fstat(fd, &st) == 0 && S_ISLNK(st.st_mode) && (next || !(oflags & O_NOFOLLOW))) {
			close(fd);
			errno = ELOOP;
			return -1;
		}
		cur = fd;
		comp = next;
	}
	return cur;
}

int in_root(const char *path, int oflags)
{
	static int have_openat2 = 1;
	if (ctx.root_fd < 0) {
		/* An exec plan has no rootfs_bind: after joining the container's mount
		 * namespace the current root is the container's. */
		ctx.root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (ctx.root_fd < 0)
			return -1;
	}
	while (*path == '/')
		path++;
	const char *rel = *path ? path : ".";
	if (have_openat2) {
		struct open_how how;
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)(oflags | O_CLOEXEC);
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		for (int tries = 0; tries < 16; tries++) {
			long fd = syscall(SYS_openat2, ctx.root_fd, rel, &how, sizeof(how));
			if (fd >= 0)
				return (int)fd;
			if (errno == EAGAIN) /* a concurrent rename: the kernel asks to retry */
				continue;
			if (errno != ENOSYS)
				return -1;
			have_openat2 = 0;
			break;
		}
		if (have_openat2)
			return -1;
	}
	return walk_nofollow(ctx.root_fd, rel, oflags);
}

/*
 * Creates what is missing of a container path, following symlinks the way the kernel would but
 * clamped to the root (as runc's securejoin.MkdirAllInRoot): a dangling "/escape -> /etc"
 * creates <rootfs>/etc, never the host's /etc. The walk keeps a symlink-free resolved prefix as
 * a string; every open goes through in_root(), so even a concurrent swap cannot leave the root.
 * kind: 0 the last component is a directory, 1 a file. Returns an O_PATH fd of the result.
 */
#define MAX_SYMLINKS 40
int in_root_create(const char *path, int kind)
{
	char resolved[PATH_MAX] = "", todo[PATH_MAX], cand[PATH_MAX];
	int links = 0;
	if (snprintf(todo, sizeof(todo), "%s", path) >= (int)sizeof(todo)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (;;) {
		/* pop the first component of todo */
		char *t = todo;
		while (*t == '/')
			t++;
		if (!*t)
			break;
		char *slash = strchr(t, '/');
		size_t clen = slash ? (size_t)(slash - t) : strlen(t);
		char comp[NAME_MAX + 1];
		if (clen > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, t, clen);
		comp[clen] = 0;
		memmove(todo, t + clen, strlen(t + clen) + 1);
		int last = todo[strspn(todo, "/")] == 0;

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) { /* lexical, clamped at the root: resolved has no symlinks */
			char *up = strrchr(resolved, '/');
			if (up)
				*up = 0;
			continue;
		}
		if (snprintf(cand, sizeof(cand), "%s/%s", resolved, comp) >= (int)sizeof(cand)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = in_root(cand, O_PATH | O_NOFOLLOW);
		if (fd < 0) {
			if (errno != ENOENT)
				return -1;
			int dfd = in_root(*resolved ? resolved : "/", O_PATH | O_DIRECTORY);
			if (dfd < 0)
				return -1;
			int r;
			if (last && kind == 1) {
				r = openat(dfd, comp, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
				if (r >= 0)
					close(r);
			} else {
				r = mkdirat(dfd, comp, 0755);
			}
			int err = errno;
			close(dfd);
			if (r < 0 && err != EEXIST) {
				errno = err;
				return -1;
			}
			snprintf(resolved, sizeof(resolved), "%s", cand);
			continue;
		}
		struct stat st;
		if (fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
			close(fd);
			if (n < 0)
				return -1;
			target[n] = 0;
			if (++links > MAX_SYMLINKS) {
				errno = ELOOP;
				return -1;
			}
			/* todo = target + "/" + rest; an absolute target restarts at the root */
			char rest[PATH_MAX];
			snprintf(rest, sizeof(rest), "%s", todo);
			if (snprintf(todo, sizeof(todo), "%s/%s", target, rest) >= (int)sizeof(todo)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			if (target[0] == '/')
				resolved[0] = 0;
			continue;
		}
		close(fd);
		if (!last && !S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		snprintf(resolved, sizeof(resolved), "%s", cand);
	}
	return in_root(*resolved ? resolved : "/", O_PATH);
}

int in_root_mkdirs(const char *path)
{
	int fd = in_root_create(path, 0);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		errno = ENOTDIR;
		return -1;
	}
	return fd;
}

int in_root_target(const char *path, int kind)
{
	int fd = in_root(path, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	return in_root_create(path, kind);
}

/*
 * A file of the container's procfs, for the writes the init makes there (CVE-2025-52881):
 * /proc must be the root of a procfs mount (not a symlink, not a directory of the image), and
 * rel is resolved beneath it without crossing a mount (a file bound over /proc/self/attr/exec,
 * even another procfs file, is refused with EXDEV) and without magic links. Returns an fd or
 * -1 with errno.
 */
int in_proc(const char *rel, int oflags)
{
	int proc = in_root("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW);
	if (proc < 0)
		return -1;
	struct statfs sf;
	struct stat st;
	if (fstatfs(proc, &sf) < 0 || fstat(proc, &st) < 0) {
		int err = errno;
		close(proc);
		errno = err;
		return -1;
	}
	if (sf.f_type != PROC_SUPER_MAGIC || st.st_ino != 1) { /* 1: PROC_ROOT_INO */
		close(proc);
		errno = EXDEV;
		return -1;
	}
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(oflags | O_CLOEXEC);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS;
	long fd = syscall(SYS_openat2, proc, rel, &how, sizeof(how));
	int err = errno;
	close(proc);
	errno = err;
	return (int)fd;
}
