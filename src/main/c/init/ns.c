/* ns.c - namespaces: clone into new ones, join existing ones, hostname and domainname. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

/*
 * clone into the new namespaces. CLONE_PARENT makes the child a sibling of this process, a child
 * of whoever spawned jrunc-init: that process can waitpid() the container (runc does the same).
 * The original process reports the child's pid (in its own pid namespace) and exits; the child
 * returns and runs the rest of the plan. After bind_sources, the original first opens the bind
 * sources in the child's mount namespace and passes them on (bindsrc.c), which the child
 * receives before anything else.
 *
 * The raw syscall is used like fork(): the child runs on a copy of this stack. glibc's atfork
 * handlers do not run, which is fine: this program has one thread and takes no locks.
 */
void op_clone(const struct op *op)
{
	uint64_t flags = (uint64_t)arg_i(op, 0) | CLONE_PARENT;
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = flags;
	/* clone3 wants exit_signal 0 with CLONE_PARENT: the child inherits ours (SIGCHLD). */
	ca.exit_signal = 0;
	long pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && errno == ENOSYS)
		pid = syscall(SYS_clone, (unsigned long)flags | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		fail_errno("clone (flags 0x%llx)", (unsigned long long)flags);
	int sources = bindsrc_pending();
	if (pid == 0) {
		if (sources)
			bindsrc_receive();
		return;
	}
	if (sources)
		bindsrc_send((pid_t)pid);
	if (sync_send("pid %ld", pid) < 0) {
		kill((pid_t)pid, SIGKILL);
		dprintf(STDERR_FILENO, "jrunc-init: sync: cannot report pid %ld: %s\n", pid, errstr(errno));
		_exit(1);
	}
	_exit(0);
}

void op_join_ns(const struct op *op)
{
	const char *path = arg_s(op, 0);
	int type = (int)arg_i(op, 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_errno("open namespace %s", path);
	/* With a non-zero type the kernel refuses a namespace of another kind (EINVAL). */
	if (setns(fd, type) < 0)
		fail_errno("setns %s (type 0x%x)", path, type);
	close(fd);
}

void op_unshare(const struct op *op)
{
	if (unshare((int)arg_i(op, 0)) < 0)
		fail_errno("unshare (flags 0x%llx)", (unsigned long long)arg_i(op, 0));
}

void op_sethostname(const struct op *op)
{
	const char *name = arg_s(op, 0);
	if (sethostname(name, strlen(name)) < 0)
		fail_errno("sethostname %s", name);
}

void op_setdomainname(const struct op *op)
{
	const char *name = arg_s(op, 0);
	if (setdomainname(name, strlen(name)) < 0)
		fail_errno("setdomainname %s", name);
}
