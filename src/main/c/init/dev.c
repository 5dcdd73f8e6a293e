/* dev.c - device nodes and /dev symlinks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "init.h"

/* mknod path mode major minor uid gid host_path. Where mknod is refused (EPERM: a user
 * namespace) the host's device is bound onto an empty file instead, as runc does. */
void op_mknod(const struct op *op)
{
	const char *path = arg_s(op, 0), *host = arg_s(op, 6);
	mode_t mode = (mode_t)arg_i(op, 1);
	dev_t dev = makedev((unsigned)arg_i(op, 2), (unsigned)arg_i(op, 3));
	uid_t uid = (uid_t)arg_i(op, 4);
	gid_t gid = (gid_t)arg_i(op, 5);
	char dir[PATH_MAX], base[PATH_MAX], p[32];

	split_path(path, dir, base);
	int dfd = in_root_mkdirs(dir);
	if (dfd < 0)
		fail_errno("create %s for device %s", dir, path);
	if (mknodat(dfd, base, mode, dev) < 0) {
		if (errno == EEXIST) { /* runc keeps an existing node */
			close(dfd);
			return;
		}
		if (errno != EPERM)
			fail_errno("mknod %s", path);
		int f = openat(dfd, base, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0000);
		if (f < 0)
			fail_errno("create mount point for device %s", path);
		close(f);
		int fd = in_root(path, O_PATH);
		if (fd < 0)
			fail_errno("open mount point for device %s", path);
		if (mount(host, fdpath(fd, p), NULL, MS_BIND, NULL) < 0)
			fail_errno("bind device %s onto %s", host, path);
		close(fd);
		close(dfd);
		return;
	}
	/* mknod is subject to the umask: set the exact mode afterwards. */
	if (fchmodat(dfd, base, mode & 07777, 0) < 0)
		fail_errno("chmod %s", path);
	if (fchownat(dfd, base, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
		fail_errno("chown %s", path);
	close(dfd);
}

/* symlink target link replace */
void op_symlink(const struct op *op)
{
	const char *target = arg_s(op, 0), *link = arg_s(op, 1);
	int replace = (int)arg_i(op, 2);
	char dir[PATH_MAX], base[PATH_MAX];

	split_path(link, dir, base);
	int dfd = in_root_mkdirs(dir);
	if (dfd < 0)
		fail_errno("create %s for symlink %s", dir, link);
	if (replace && unlinkat(dfd, base, 0) < 0 && errno != ENOENT)
		fail_errno("remove %s", link);
	if (symlinkat(target, dfd, base) < 0 && !(errno == EEXIST && !replace))
		fail_errno("symlink %s -> %s", link, target);
	close(dfd);
}
