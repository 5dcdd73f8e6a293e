/*
 * jrunc-init: runs inside the container before the user's process. It reads a plan (see
 * PLAN.md) from the fd named by _JRUNC_PLAN_FD, validates all of it, and executes it op by op,
 * talking to its parent over the SOCK_SEQPACKET socket named by _JRUNC_SYNC_FD. It makes no
 * decision of its own: order, flags and paths all come from the plan.
 *
 *   jrunc-init              run the plan
 *   jrunc-init --list-ops   print the opcode table (code name signature), for tests
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

static int env_fd(const char *name)
{
	const char *v = getenv(name);
	char *end;
	if (!v || !*v) {
		dprintf(STDERR_FILENO, "jrunc-init: %s is not set: this program is started by jrunc\n", name);
		exit(1);
	}
	errno = 0;
	long fd = strtol(v, &end, 10);
	if (errno || *end || fd < 3 || fd > 65535 || fcntl((int)fd, F_GETFD) < 0) {
		dprintf(STDERR_FILENO, "jrunc-init: %s=%s is not an open fd above 2\n", name, v);
		exit(1);
	}
	/* Nothing we hold may reach the container. */
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		dprintf(STDERR_FILENO, "jrunc-init: %s: %s\n", name, errstr(errno));
		exit(1);
	}
	return (int)fd;
}

/* Reads the whole plan: the fd is a pipe or a memfd positioned at the plan's start. */
static uint8_t *read_plan(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	if (!buf)
		fail("plan: out of memory");
	for (;;) {
		if (n == cap) {
			if (cap > PLAN_MAX_SIZE)
				fail("plan: larger than %u bytes", PLAN_MAX_SIZE);
			cap *= 2;
			uint8_t *b = realloc(buf, cap);
			if (!b)
				fail("plan: out of memory");
			buf = b;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fail_errno("plan: read");
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static void run_op(const struct op *op)
{
	switch (op->code) {
	case OP_CLONE: op_clone(op); break;
	case OP_JOIN_NS: op_join_ns(op); break;
	case OP_UNSHARE: op_unshare(op); break;
	case OP_SYNC_WAIT: sync_wait_continue(); break;
	case OP_SYNC_READY:
		if (sync_send("ready") < 0)
			fail_errno("sync: send \"ready\"");
		break;
	case OP_SYNC_HOOKS:
		/* the parent runs the prestart and createRuntime hooks now (runc's procHooks) */
		if (sync_send("hooks") < 0)
			fail_errno("sync: send \"hooks\"");
		sync_wait_continue();
		break;
	case OP_SETHOSTNAME: op_sethostname(op); break;
	case OP_SETDOMAINNAME: op_setdomainname(op); break;
	case OP_MOUNT_PROPAGATION: op_mount_propagation(op); break;
	case OP_PARENT_MOUNT_PRIVATE: op_parent_mount_private(op); break;
	case OP_ROOTFS_BIND: op_rootfs_bind(op); break;
	case OP_MOUNT: op_mount(op); break;
	case OP_MKNOD: op_mknod(op); break;
	case OP_SYMLINK: op_symlink(op); break;
	case OP_PIVOT_ROOT: op_pivot_root(op); break;
	case OP_MOVE_ROOT: op_move_root(op); break;
	case OP_MASK_PATH: op_mask_path(op); break;
	case OP_READONLY_PATH: op_readonly_path(op); break;
	case OP_SYSCTL: op_sysctl(op); break;
	case OP_RLIMIT: op_rlimit(op); break;
	case OP_NO_NEW_PRIVS: op_no_new_privs(op); break;
	case OP_CAP_BOUNDING: op_cap_bounding(op); break;
	case OP_SET_USER: op_set_user(op); break;
	case OP_CAPS: op_caps(op); break;
	case OP_CAP_AMBIENT: op_cap_ambient(op); break;
	case OP_UMASK: op_umask(op); break;
	case OP_CHDIR: op_chdir(op); break;
	case OP_LOOKUP_EXEC: op_lookup_exec(op); break;
	case OP_WAIT_FIFO: op_wait_fifo(op); break;
	case OP_CLOSE_FDS: op_close_fds(op); break;
	case OP_EXEC: op_exec(op); break;
	case OP_SECCOMP: op_seccomp(op); break;
	case OP_APPARMOR: op_apparmor(op); break;
	case OP_SELINUX_LABEL: op_selinux_label(op); break;
	case OP_CONSOLE: op_console(op); break;
	case OP_EXEC_CONSOLE: op_exec_console(op); break;
	case OP_DEFAULT_HOME: op_default_home(op); break;
	case OP_TIMENS_OFFSETS: op_timens_offsets(op); break;
	case OP_OOM_SCORE_ADJ: op_oom_score_adj(op); break;
	case OP_SCHEDULER: op_scheduler(op); break;
	case OP_IOPRIO: op_ioprio(op); break;
	case OP_PERSONALITY: op_personality(op); break;
	case OP_CPU_AFFINITY: op_cpu_affinity(op); break;
	case OP_HOOK: op_hook(op); break;
	case OP_IDMAP_MOUNT: op_idmap_mount(op); break;
	default: fail("op 0x%02x (%s): no handler in this jrunc-init", op->code, plan_opname(op->code));
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list-ops") == 0) {
		for (size_t i = 0; i < plan_nopdefs; i++)
			printf("0x%02x %s %s\n", plan_opdefs[i].code, plan_opdefs[i].name,
			       plan_opdefs[i].sig ? (*plan_opdefs[i].sig ? plan_opdefs[i].sig : "-") : "reserved");
		return 0;
	}
	ctx.sync_fd = env_fd("_JRUNC_SYNC_FD");
	int plan_fd = env_fd("_JRUNC_PLAN_FD");

	size_t len;
	uint8_t *buf = read_plan(plan_fd, &len);
	close(plan_fd);
	struct plan plan;
	char err[512];
	if (plan_decode(buf, len, &plan, err, sizeof(err)) < 0)
		fail("%s", err);

	for (uint32_t i = 0; i < plan.nops; i++)
		run_op(&plan.ops[i]);
	fail("plan: ended without exec");
}
