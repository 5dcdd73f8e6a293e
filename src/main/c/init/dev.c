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
		/* The node is now the host's own inode: read-only, so that a container root who
		 * owns it (a user namespace mapping host uid 0) cannot chmod or chown the host's
		 * /dev/null. Reads and writes of a device are not affected by a read-only mount. */
		fd = in_root(path, O_PATH | O_NOFOLLOW);
		if (fd < 0)
			fail_errno("reopen device %s", path);
		remount(path, fd, MS_BIND | MS_REMOUNT | MS_RDONLY | (locked_flags(fd) & ~MS_RDONLY));
		close(fd);
		close(dfd);
		return;
	}
	/* mknod is subject to the umask: set the exact mode afterwards, on the node we made, held
	 * by an fd: a name swapped for a symlink meanwhile (a rootfs shared with a running
	 * container) must not send the chmod to the host's /dev/null. */
	int fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		fail_errno("open device %s", path);
	if ((st.st_mode & S_IFMT) != (mode & S_IFMT) || ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && st.st_rdev != dev))
		fail("device %s was replaced while it was made", path);
	if (chmod(fdpath(fd, p), mode & 07777) < 0)
		fail_errno("chmod %s", path);
	if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
		fail_errno("chown %s", path);
	close(fd);
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
