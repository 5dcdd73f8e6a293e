/* idmap.c - idmapped bind mounts (mount uidMappings/gidMappings). The detached, idmapped copy of
 * the source is made by the original process, before clone, in the host's user namespace (only
 * there may a host filesystem's mount get an idmap); the container's process attaches it at its
 * place among the mounts, as runc does with mount fds made on the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define IDMAP_SLOTS 64
static int slots[IDMAP_SLOTS];
static int slots_used[IDMAP_SLOTS];

static void write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fail_errno("idmapped mount: open %s", path);
	size_t len = strlen(map);
	if (write(fd, map, len) != (ssize_t)len)
		fail_errno("idmapped mount: write %s \"%s\"", file, map);
	close(fd);
}

/* A user namespace fd carrying the mappings: a child unshares one, we write its maps (we are
 * root in its parent namespace), keep a reference to it and kill the child. */
static int mapping_userns(const char *uid_map, const char *gid_map)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		fail_errno("idmapped mount: pipe");
	pid_t pid = fork();
	if (pid < 0)
		fail_errno("idmapped mount: fork");
	if (pid == 0) {
		char ok = unshare(CLONE_NEWUSER) == 0 ? 'y' : 'n';
		if (write(p[1], &ok, 1) != 1 || ok != 'y')
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	char ok = 0;
	ssize_t n;
	do
		n = read(p[0], &ok, 1);
	while (n < 0 && errno == EINTR);
	close(p[0]);
	int st;
	if (n != 1 || ok != 'y') {
		waitpid(pid, &st, 0);
		fail("idmapped mount: cannot create a user namespace for the mapping");
	}
	write_map(pid, "uid_map", uid_map);
	write_map(pid, "gid_map", gid_map);
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	if (fd < 0) {
		errno = err;
		fail_errno("idmapped mount: open %s", path);
	}
	return fd;
}

/*
 * idmap_mount step slot source target uid_map gid_map recursive attr_set propagation.
 * Step 0 (before clone): open_tree(OPEN_TREE_CLONE) of the source, mount_setattr(MOUNT_ATTR_IDMAP
 * | attr_set) with a user namespace carrying the maps, kept in the slot. Step 1 (in the
 * container's mount namespace): move_mount of the slot onto the target (a directory or a file,
 * like the source), then the propagation.
 */
void op_idmap_mount(const struct op *op)
{
	int64_t step = arg_i(op, 0), slot = arg_i(op, 1);
	const char *source = arg_s(op, 2), *target = arg_s(op, 3);
	const char *uid_map = arg_s(op, 4), *gid_map = arg_s(op, 5);
	int recursive = arg_i(op, 6) != 0;
	uint64_t attr_set = (uint64_t)arg_i(op, 7);
	unsigned long prop = (unsigned long)arg_i(op, 8);
	char p[32];

	if (slot < 0 || slot >= IDMAP_SLOTS)
		fail("idmap_mount: slot %lld out of range", (long long)slot);
	if (step == 0) {
		if (slots_used[slot])
			fail("idmap_mount: slot %lld used twice", (long long)slot);
		int fd = (int)syscall(SYS_open_tree, AT_FDCWD, source,
				      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
		if (fd < 0)
			fail_errno("idmapped mount: open_tree %s", source);
		int ns = mapping_userns(uid_map, gid_map);
		struct mount_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.attr_set = MOUNT_ATTR_IDMAP | attr_set;
		attr.userns_fd = (uint64_t)ns;
		if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr)) < 0)
			fail_errno("idmapped mount: mount_setattr %s", source);
		close(ns);
		slots[slot] = fd;
		slots_used[slot] = 1;
		return;
	}
	if (step != 1)
		fail("idmap_mount: unknown step %lld", (long long)step);
	if (!slots_used[slot])
		fail("idmap_mount: slot %lld was not prepared", (long long)slot);
	struct stat st;
	if (stat(source, &st) < 0)
		fail_errno("mount source %s", source);
	int tfd = in_root_target(target, S_ISDIR(st.st_mode) ? 0 : 1);
	if (tfd < 0)
		fail_errno("mount point %s", target);
	check_proc_mount(tfd, source, target, "", 1);
	if (syscall(SYS_move_mount, slots[slot], "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		fail_errno("idmapped mount: move_mount %s onto %s", source, target);
	close(tfd);
	close(slots[slot]);
	slots_used[slot] = 0;
	if (prop) {
		int fd = in_root(target, O_PATH);
		if (fd < 0)
			fail_errno("reopen mount point %s", target);
		if (mount(NULL, fdpath(fd, p), NULL, prop, NULL) < 0)
			fail_errno("set propagation 0x%lx on %s", prop, target);
		close(fd);
	}
}
