/* console.c - process.terminal: a new pty in the container's devpts, as runc's setupConsole.
 * Runs after pivot_root (or the chroot of --no-pivot), so "/dev/pts" and "/dev/console" are
 * the container's own; before /dev may be remounted read-only. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "init.h"

/* "console" on the sync socket with the master attached (SCM_RIGHTS). */
static void send_master(int master)
{
	if (ctx.sync_fd < 0)
		fail("console: no sync socket to send the pty master on");
	if (sync_send_fd("console", master) < 0)
		fail_errno("console: send the pty master");
}

/*
 * /dev/console: an empty file (mode 0666, created if missing) with the slave bound onto it. An
 * existing one must be a regular file or a character device of the container's /dev, not a
 * symlink (CVE-2025-52565: /dev/console -> /proc/sys/kernel/... would put the pty, and our
 * chmod, on a file the container must not get); it is used as it is, its mode left alone.
 */
static void mount_console(int slave)
{
	char src[32], dst[32];
	int fd = in_root("/dev/console", O_PATH | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		mode_t old = umask(0);
		fd = in_root_target("/dev/console", 1);
		umask(old);
		if (fd < 0)
			fail_errno("create /dev/console");
		struct stat st;
		if (fstat(fd, &st) < 0)
			fail_errno("stat /dev/console");
		/* the file we just made (in_root_create uses 0644): runc's mode is 0666 */
		if (S_ISREG(st.st_mode) && st.st_size == 0 && (st.st_mode & 07777) != 0666) {
			char p[32];
			if (chmod(fdpath(fd, p), 0666) < 0)
				fail_errno("chmod /dev/console");
		}
	}
	if (fd < 0)
		fail_errno("open /dev/console");
	struct stat st;
	if (fstat(fd, &st) < 0)
		fail_errno("stat /dev/console");
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		fail("/dev/console is not a regular file or a device: refusing to mount the console on it");
	if (mount(fdpath(slave, src), fdpath(fd, dst), NULL, MS_BIND, NULL) < 0)
		fail_errno("bind the pty slave onto /dev/console");
	close(fd);
}

/*
 * The master of a new pty, from a devpts only (CVE-2025-52565; runc 1.2.8 checks the same):
 * /dev/pts, resolved in the container's root (a symlink followed as runc does, clamped to the
 * root; a mount inside /proc was refused by check_proc_mount), must be the root of a devpts,
 * and ptmx is opened beneath it without following a symlink or crossing a mount, then checked
 * to be that devpts's own ptmx node (inode 2, char 5:2). "/dev/ptmx" is never opened: the
 * image's /dev may hold anything there.
 */
static void check_ptmx(int fd)
{
	struct statfs sf;
	struct stat st;
	if (fstatfs(fd, &sf) < 0 || fstat(fd, &st) < 0)
		fail_errno("stat /dev/pts/ptmx");
	if (sf.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) || st.st_ino != 2)
		fail("/dev/pts/ptmx is not the ptmx device of a devpts (%u:%u, inode %lu)",
		     major(st.st_rdev), minor(st.st_rdev), (unsigned long)st.st_ino);
}

static int open_ptmx(void)
{
	int dir = in_root("/dev/pts", O_PATH | O_DIRECTORY);
	if (dir < 0)
		fail_errno("open /dev/pts");
	struct statfs sf;
	struct stat st;
	if (fstatfs(dir, &sf) < 0 || fstat(dir, &st) < 0)
		fail_errno("stat /dev/pts");
	if (sf.f_type != DEVPTS_SUPER_MAGIC || st.st_ino != 1) /* 1: the root of a devpts */
		fail("/dev/pts is not a devpts mount (type 0x%lx): refusing to allocate the console there",
		     (unsigned long)sf.f_type);
	struct open_how how;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS;
	int master = (int)syscall(SYS_openat2, dir, "ptmx", &how, sizeof(how));
	if (master < 0 && errno == ENOSYS) {
		/* no openat2 (kernel < 5.6): an O_PATH handle, checked below, then reopened */
		char p[32];
		int h = openat(dir, "ptmx", O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (h < 0)
			fail_errno("open /dev/pts/ptmx");
		check_ptmx(h);
		master = open(fdpath(h, p), O_RDWR | O_NOCTTY | O_CLOEXEC);
		close(h);
	}
	if (master < 0)
		fail_errno("open /dev/pts/ptmx");
	close(dir);
	check_ptmx(master);
	return master;
}

/*
 * console rows cols uid: setsid; open the container's devpts ptmx (open_ptmx) and its
 * slave (TIOCGPTPEER: no path lookup); the size when rows and cols are both set (runc's rule);
 * /dev/console; the master to the parent ("console" + SCM_RIGHTS); the slave onto 0, 1, 2 as
 * the controlling terminal; owned by uid (runc's fixStdioPermissions; EINVAL, EPERM, EROFS
 * ignored as runc does).
 */
static void setup_console(const struct op *op, int with_dev_console);

void op_console(const struct op *op)
{
	setup_console(op, 1);
}

/* exec_console rows cols uid: the same for an exec'd process, without /dev/console (runc's
 * setupConsole with mount=false): the container's /dev/console stays the init's. */
void op_exec_console(const struct op *op)
{
	setup_console(op, 0);
}

static void setup_console(const struct op *op, int with_dev_console)
{
	uint64_t rows = (uint64_t)arg_i(op, 0), cols = (uint64_t)arg_i(op, 1);
	uid_t uid = (uid_t)arg_i(op, 2);

	if (setsid() < 0)
		fail_errno("console: setsid");
	int master = open_ptmx();
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		fail_errno("console: unlockpt");
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		fail_errno("console: open the pty slave");
	if (rows != 0 && cols != 0) {
		if (rows > 0xffff || cols > 0xffff)
			fail("console: size %llux%llu out of range", (unsigned long long)rows, (unsigned long long)cols);
		struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			fail_errno("console: set the size");
	}
	if (with_dev_console)
		mount_console(slave);
	send_master(master);
	close(master);
	for (int i = 0; i < 3; i++)
		if (dup3(slave, i, 0) < 0)
			fail_errno("console: dup the pty slave onto fd %d", i);
	close(slave);
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		fail_errno("ioctl(setctty)");
	struct stat st;
	if (fstat(0, &st) < 0)
		fail_errno("console: stat the pty slave");
	if (st.st_uid != uid && fchown(0, uid, (gid_t)-1) < 0
			&& errno != EINVAL && errno != EPERM && errno != EROFS)
		fail_errno("console: chown the pty slave");
}
