/* rootfs.c - the root filesystem: propagation, the rootfs bind, mounts, pivot_root, masked and
 * read-only paths, sysctl. Every target inside the container is an O_PATH fd from path.c; the
 * kernel gets "/proc/self/fd/N" of that fd. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "init.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static const char *orempty(const char *s) { return *s ? s : NULL; }

void op_mount_propagation(const struct op *op)
{
	const char *path = arg_s(op, 0);
	unsigned long flags = (unsigned long)arg_i(op, 1);
	if (mount(NULL, path, NULL, flags, NULL) < 0)
		fail_errno("set propagation 0x%lx on %s", flags, path);
}

/* pivot_root refuses a new root whose parent mount is shared: make private the mount that
 * holds the path. mount(MS_PRIVATE) succeeds only on a mount point (EINVAL elsewhere), so walk
 * up from the path until it does. This is our own mount namespace: nothing leaks to the host. */
void op_parent_mount_private(const struct op *op)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", arg_s(op, 0));
	for (;;) {
		if (mount(NULL, path, NULL, MS_PRIVATE, NULL) == 0)
			return;
		if (errno != EINVAL)
			fail_errno("make the parent mount of %s private", arg_s(op, 0));
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			if (strcmp(path, "/") == 0)
				fail("make the parent mount of %s private: no mount point found", arg_s(op, 0));
			snprintf(path, sizeof(path), "/");
		} else {
			*slash = 0;
		}
	}
}

void op_rootfs_bind(const struct op *op)
{
	const char *rootfs = arg_s(op, 0);
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		fail_errno("bind rootfs %s onto itself", rootfs);
	/* Opened after the bind: the fd names the new mount's root. */
	int fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail_errno("open rootfs %s", rootfs);
	if (ctx.root_fd >= 0)
		close(ctx.root_fd);
	ctx.root_fd = fd;
	ctx.rootfs = rootfs; /* points into the plan, which lives until exec */
}

/* MS_* flags a bind remount must keep: in a user namespace the kernel refuses to drop
 * flags that are locked on the source mount (EPERM). statvfs's ST_* are not all MS_*. */
unsigned long locked_flags(int fd)
{
	struct statvfs sv;
	unsigned long f = 0;
	if (fstatvfs(fd, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
	if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
	return f;
}

void remount(const char *target, int fd, unsigned long flags)
{
	char p[32];
	if (mount(NULL, fdpath(fd, p), NULL, flags, NULL) == 0)
		return;
	if (errno == EPERM && mount(NULL, p, NULL, flags | (locked_flags(fd) & ~MS_RDONLY), NULL) == 0)
		return;
	fail_errno("remount %s (flags 0x%lx)", target, flags);
}

/*
 * The mount point of proc or sysfs must be an ordinary directory of the rootfs, not a symlink
 * (CVE-2019-19921: a rootfs whose /proc -> /somewhere would get procfs there, and every later
 * check of /proc/... would look at the image's files). runc's check and text. The last
 * component is opened without following it, and the mount goes on that very fd: a swap after
 * the check cannot move the mount elsewhere.
 */
static int kernel_fs_target(const char *fstype, const char *target)
{
	int fd = in_root(target, O_PATH | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		fd = in_root_target(target, 0);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail_errno("stat mount point %s", target);
	if (!S_ISDIR(st.st_mode))
		fail("filesystem \"%s\" must be mounted on ordinary directory", fstype);
	return fd;
}

/*
 * runc's checkProcMount, on where a mount really lands: the mount point's path (symlinks of the
 * rootfs followed, clamped to it) must not be inside the container's /proc, except /proc itself
 * for a procfs (a new one, or a bind of one) and the files lxcfs emulates. PlanCompiler refuses
 * the destinations written inside /proc before anything is made (ProcMountRule); this catches
 * a rootfs symlink that leads there, e.g. /dev/pts -> /proc/sys/kernel (CVE-2025-52565's
 * class: a devpts or a console over a procfs file the container must not get). The path is
 * the kernel's for the fd, compared with the rootfs's; runc's text, with the host path.
 */
static const char *const lxcfs_files[] = {
	"/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
	"/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
	"/proc/sys/crypto/fips_enabled",
};

void check_proc_mount(int fd, const char *source, const char *target, const char *fstype, int bind)
{
	char p[32], root[PATH_MAX], dest[PATH_MAX];
	ssize_t rn = readlink(fdpath(ctx.root_fd, p), root, sizeof(root) - 1);
	if (rn < 0)
		fail_errno("resolve the rootfs");
	ssize_t dn = readlink(fdpath(fd, p), dest, sizeof(dest) - 1);
	if (dn < 0)
		fail_errno("resolve mount point %s", target);
	root[rn] = 0;
	dest[dn] = 0;
	if (strcmp(root, "/") == 0)
		rn = 0;
	if (strncmp(dest, root, (size_t)rn) != 0)
		return; /* not under the rootfs: in_root never gives such an fd */
	const char *rel = dest + rn;
	if (strncmp(rel, "/proc", 5) != 0 || (rel[5] != 0 && rel[5] != '/'))
		return;
	if (rel[5] == 0) {
		struct statfs sf;
		if (strcmp(fstype, "proc") == 0)
			return;
		if (bind) {
			if (statfs(source, &sf) < 0)
				fail_errno("statfs %s", source);
			if (sf.f_type == PROC_SUPER_MAGIC)
				return;
		}
		fail("error mounting \"%s\" to rootfs at \"%s\": \"%s\" cannot be mounted because it is not of type proc",
		     source, target, dest);
	}
	for (size_t i = 0; i < sizeof(lxcfs_files) / sizeof(lxcfs_files[0]); i++)
		if (strcmp(rel, lxcfs_files[i]) == 0)
			return;
	fail("error mounting \"%s\" to rootfs at \"%s\": \"%s\" cannot be mounted because it is inside /proc",
	     source, target, dest);
}

/*
 * cgroup2 refused (EPERM, EBUSY): the kernel does not let every user namespace mount it (a
 * cgroup namespace whose root the userns does not own, #2158 of runc). As runc's mountCgroupV2,
 * bind instead: the container's own cgroup directory, which the plan gives as the mount's
 * source when it is known (a path), else the host's whole cgroup2 mount; a directory that does
 * not exist (a rootless caller with no cgroup of its own) is masked by a read-only tmpfs.
 * Read-only, nosuid, nodev, noexec of the mount are applied by a bind remount afterwards.
 */
static void cgroup2_fallback(const char *source, const char *target, const char *p, unsigned long flags,
			     unsigned long *remount_flags)
{
	const char *dir = source[0] == '/' ? source : "/sys/fs/cgroup";
	if (mount(dir, p, NULL, MS_BIND, NULL) == 0) {
		unsigned long keep = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
		*remount_flags = keep ? MS_BIND | MS_REMOUNT | keep : 0;
		return;
	}
	if (errno != ENOENT)
		fail_errno("mount %s on %s (bind, cgroup2 refused)", dir, target);
	if (mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755") < 0)
		fail_errno("mask %s (cgroup2 refused, no cgroup directory to bind)", target);
	*remount_flags = 0;
}

/* mount source target fstype flags propagation data kind remount_flags attr_set attr_clr */
void op_mount(const struct op *op)
{
	const char *source = arg_s(op, 0), *target = arg_s(op, 1), *fstype = arg_s(op, 2);
	unsigned long flags = (unsigned long)arg_i(op, 3), prop = (unsigned long)arg_i(op, 4);
	const char *data = arg_s(op, 5);
	int kind = (int)arg_i(op, 6);
	unsigned long remount_flags = (unsigned long)arg_i(op, 7);
	uint64_t attr_set = (uint64_t)arg_i(op, 8), attr_clr = (uint64_t)arg_i(op, 9);
	char p[32], sp[32];
	/* a source the original process opened (bind_sources): bound from its fd */
	int sfd = bindsrc_fd(source);
	const char *from = sfd >= 0 ? fdpath(sfd, sp) : source;

	if (kind == 2) { /* like the source: a file bind needs a file mount point */
		struct stat st;
		if (stat(from, &st) < 0)
			fail_errno("mount source %s", source);
		kind = S_ISDIR(st.st_mode) ? 0 : 1;
	}
	if (kind < 0 || kind > 3)
		fail("mount %s: unknown mount point kind %d", target, kind);
	int copyup = kind == 3; /* a directory whose content is copied into the new mount */
	int fd = strcmp(fstype, "proc") == 0 || strcmp(fstype, "sysfs") == 0 ? kernel_fs_target(fstype, target)
									    : in_root_target(target, copyup ? 0 : kind);
	if (fd < 0)
		fail_errno("mount point %s", target);
	check_proc_mount(fd, source, target, fstype, (flags & MS_BIND) != 0);
	/* opened before the mount: it keeps naming the covered directory */
	int covered = copyup ? openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (copyup && covered < 0)
		fail_errno("tmpcopyup: open %s", target);
	if (mount(orempty(from), fdpath(fd, p), orempty(fstype), flags, orempty(data)) < 0) {
		int err = errno;
		if (err == EPERM && strcmp(fstype, "sysfs") == 0) {
			/* A user namespace may mount sysfs only with a network namespace of its own:
			 * without one, bind the host's /sys recursively, read-only (rootless, as crun). */
			if (mount("/sys", p, NULL, MS_BIND | MS_REC, NULL) < 0)
				fail_errno("mount %s on %s (type %s)", source, target, fstype);
			remount_flags = MS_BIND | MS_REMOUNT | MS_RDONLY | (flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC));
		} else if ((err == EPERM || err == EBUSY) && strcmp(fstype, "cgroup2") == 0) {
			cgroup2_fallback(source, target, p, flags, &remount_flags);
		} else {
			errno = err;
			fail_errno("mount %s on %s (type %s)", *source ? source : "none", target,
				   *fstype ? fstype : "none");
		}
	}
	close(fd);
	if (copyup) {
		copy_up(covered, target);
		close(covered);
	}
	if (!remount_flags && !prop && !attr_set && !attr_clr)
		return;
	/* Resolve again: the old fd names the covered directory, not the new mount. */
	fd = in_root(target, O_PATH);
	if (fd < 0)
		fail_errno("reopen mount point %s", target);
	if (remount_flags)
		remount(target, fd, remount_flags);
	if (prop && mount(NULL, fdpath(fd, p), NULL, prop, NULL) < 0)
		fail_errno("set propagation 0x%lx on %s", prop, target);
	if (attr_set || attr_clr) {
		struct mount_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.attr_set = attr_set;
		attr.attr_clr = attr_clr;
		if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
			fail_errno("mount_setattr %s (set 0x%llx, clear 0x%llx)", target,
				   (unsigned long long)attr_set, (unsigned long long)attr_clr);
	}
	close(fd);
}

static void reopen_root(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail_errno("open the new root");
	close(ctx.root_fd);
	ctx.root_fd = fd;
}

/* runc's pivot_root(".", "."): the old root ends up mounted on top of the new one, where it is
 * made slave (so its unmount does not propagate to the host) and detached. */
void op_pivot_root(const struct op *op)
{
	(void)op;
	bindsrc_close();
	int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (oldroot < 0)
		fail_errno("open the old root");
	if (fchdir(ctx.root_fd) < 0)
		fail_errno("chdir to the rootfs");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		fail_errno("pivot_root");
	if (fchdir(oldroot) < 0)
		fail_errno("chdir to the old root");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		fail_errno("make the old root slave");
	if (umount2(".", MNT_DETACH) < 0)
		fail_errno("unmount the old root");
	if (chdir("/") < 0)
		fail_errno("chdir /");
	close(oldroot);
	reopen_root();
}

/* Undoes the octal escapes of a mountinfo field (space, tab, newline, backslash) in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o = *s;
		}
	}
	*o = 0;
}

/*
 * --no-pivot leaves the host's mounts in our mount namespace, only hidden by the chroot. The
 * kernel lets a new user namespace mount procfs or sysfs when a *full* one is visible in the
 * mount namespace without locked mounts over it (mount_too_revealing): the host's /proc is
 * one, so `unshare -mrpf mount -t proc none /proc` would succeed in the container. As runc's
 * msMoveRoot: every full proc and sysfs mount outside the rootfs is made slave (nothing
 * propagates back to the host) and detached, or covered with a tmpfs where that is refused.
 */
static void hide_host_kernel_fs(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		fail_errno("open /proc/self/mountinfo");
	size_t rlen = strlen(ctx.rootfs);
	char line[8192];
	/* detached one by one: read all first (a detach changes the file under us) */
	char (*todo)[PATH_MAX] = NULL;
	size_t n = 0, cap = 0;
	while (fgets(line, sizeof(line), f)) {
		/* id parent maj:min root mountpoint options [optional...] - fstype source superoptions */
		char *fields[6] = {0}, *save = NULL, *tok = strtok_r(line, " \n", &save);
		int i = 0;
		for (; tok && i < 5; tok = strtok_r(NULL, " \n", &save))
			fields[i++] = tok;
		while (tok && strcmp(tok, "-") != 0)
			tok = strtok_r(NULL, " \n", &save);
		char *fstype = tok ? strtok_r(NULL, " \n", &save) : NULL;
		if (i < 5 || !fstype || strcmp(fields[3], "/") != 0 ||
		    (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0))
			continue;
		unescape(fields[4]);
		if (strncmp(fields[4], ctx.rootfs, rlen) == 0 && (fields[4][rlen] == '/' || fields[4][rlen] == 0))
			continue; /* the container's own */
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			todo = realloc(todo, cap * sizeof(*todo));
			if (!todo)
				fail("--no-pivot: out of memory");
		}
		snprintf(todo[n++], PATH_MAX, "%s", fields[4]);
	}
	fclose(f);
	for (size_t i = 0; i < n; i++) {
		if (mount(NULL, todo[i], NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno == ENOENT) /* under one detached already */
				continue;
			fail_errno("--no-pivot: make %s slave", todo[i]);
		}
		if (umount2(todo[i], MNT_DETACH) < 0) {
			if (errno != EINVAL && errno != EPERM)
				fail_errno("--no-pivot: detach %s", todo[i]);
			if (mount("tmpfs", todo[i], "tmpfs", 0, NULL) < 0)
				fail_errno("--no-pivot: cover %s with a tmpfs", todo[i]);
		}
	}
	free(todo);
}

/* --no-pivot: move the rootfs mount onto / and chroot into it. */
void op_move_root(const struct op *op)
{
	(void)op;
	if (!ctx.rootfs)
		fail("move_root: no rootfs_bind before it");
	bindsrc_close();
	hide_host_kernel_fs();
	if (fchdir(ctx.root_fd) < 0)
		fail_errno("chdir to the rootfs");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		fail_errno("move the rootfs onto /");
	if (chroot(".") < 0)
		fail_errno("chroot");
	if (chdir("/") < 0)
		fail_errno("chdir /");
	reopen_root();
}

/* The /dev/null the container sees, checked to really be the null device (1:3) before
 * anything is masked with it (CVE-2025-31133). */
static int verified_null(void)
{
	if (ctx.null_fd >= 0)
		return ctx.null_fd;
	int fd = in_root("/dev/null", O_PATH);
	if (fd < 0)
		fail_errno("open /dev/null to mask paths");
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail_errno("stat /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		fail("/dev/null is not the null device: refusing to mask paths with it");
	ctx.null_fd = fd;
	return fd;
}

void op_mask_path(const struct op *op)
{
	const char *path = arg_s(op, 0);
	char p[32], q[32];
	int fd = in_root(path, O_PATH);
	if (fd < 0) {
		if (errno == ENOENT)
			return;
		fail_errno("mask %s", path);
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail_errno("stat %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", fdpath(fd, p), "tmpfs", MS_RDONLY, NULL) < 0)
			fail_errno("mask %s with a read-only tmpfs", path);
	} else {
		if (mount(fdpath(verified_null(), q), fdpath(fd, p), NULL, MS_BIND, NULL) < 0)
			fail_errno("mask %s with /dev/null", path);
	}
	close(fd);
}

void op_readonly_path(const struct op *op)
{
	const char *path = arg_s(op, 0);
	int bind = (int)arg_i(op, 1);
	char p[32];
	int fd = in_root(path, O_PATH);
	if (fd < 0) {
		if (errno == ENOENT && bind)
			return;
		fail_errno("read-only %s", path);
	}
	if (bind) {
		if (mount(fdpath(fd, p), p, NULL, MS_BIND | MS_REC, NULL) < 0)
			fail_errno("bind %s onto itself", path);
		close(fd);
		fd = in_root(path, O_PATH);
		if (fd < 0)
			fail_errno("reopen %s", path);
	}
	remount(path, fd, MS_BIND | MS_REMOUNT | MS_RDONLY | (locked_flags(fd) & ~MS_RDONLY));
	close(fd);
}

/* Writes a sysctl under /proc/sys, checking that both /proc and the file are on procfs and
 * that no symlink or mount crossing is involved (CVE-2025-52881). */
void op_sysctl(const struct op *op)
{
	const char *key = arg_s(op, 0), *value = arg_s(op, 1);
	char rel[PATH_MAX];
	struct statfs sf;
	int proc = in_root("/proc", O_PATH | O_DIRECTORY);
	if (proc < 0)
		fail_errno("open /proc for sysctl %s", key);
	if (fstatfs(proc, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		fail("sysctl %s: /proc is not procfs", key);
	snprintf(rel, sizeof(rel), "sys/%s", key);
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_WRONLY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV;
	long fd = syscall(SYS_openat2, proc, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(proc, rel, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		fail_errno("open /proc/%s", rel);
	if (fstatfs((int)fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		fail("sysctl %s: /proc/%s is not on procfs", key, rel);
	size_t len = strlen(value);
	if (write((int)fd, value, len) != (ssize_t)len)
		fail_errno("write sysctl %s=%s", key, value);
	close((int)fd);
	close(proc);
}
