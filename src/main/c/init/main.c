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
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

/* Started with what jrunc (same credentials, our parent) needs to reach a non-dumpable init:
 * CAP_SYS_PTRACE in our user namespace for /proc/PID/ns/ (exec into a created container), and
 * CAP_DAC_OVERRIDE for the /proc/PID files that become root's (uid_map, setgroups). Root on
 * the host has both; a rootless jrunc has neither. */
static int started_privileged(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0)
		return 0;
	return (data[0].effective & (1U << CAP_SYS_PTRACE)) && (data[0].effective & (1U << CAP_DAC_OVERRIDE));
}

/*
 * Non-dumpable, a process of the container can neither ptrace us nor open /proc/1/fd, exe,
 * environ, mem (the kernel wants CAP_SYS_PTRACE in the user namespace we were executed in: the
 * host's). A privileged init is non-dumpable from its first instruction to the container's
 * execve, which restores dumpability (runc's nsexec does the same). An unprivileged one
 * (rootless) is dumpable only while its parent must reach it: until the first "continue" (the
 * parent writes uid_map/gid_map without privileges) and while it blocks on the exec fifo (a
 * rootless `exec` opens /proc/PID/ns/ of a created container), as runc's init is.
 */
void set_dumpable(int on)
{
	if (on && ctx.privileged)
		return;
	if (prctl(PR_SET_DUMPABLE, on, 0, 0, 0) < 0)
		fail_errno("prctl(PR_SET_DUMPABLE, %d)", on);
}

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

/*
 * The dispatch: handlers[code] is the handler of that opcode, from ops.def like the decoder's
 * table, so every op the decoder accepts has one. A code listed twice fails the build
 * (-Woverride-init, in -Wextra), as does a handler that is not defined (the link).
 */
#define OP(code, name, sig, handler) [code] = handler,
static void (*const handlers[])(const struct op *) = {
#include "ops.def"
};
#undef OP
/* Indexed by code: the codes must stay small (PLAN.md groups them below 0x100). */
_Static_assert(sizeof(handlers) / sizeof(handlers[0]) <= 0x100, "opcodes above 0xff: handlers[] would grow");

static void run_op(const struct op *op)
{
	if (op->code >= sizeof(handlers) / sizeof(handlers[0]) || !handlers[op->code])
		fail("op 0x%02x (%s): no handler in this jrunc-init", op->code, plan_opname(op->code));
	handlers[op->code](op);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list-ops") == 0) {
		for (size_t i = 0; i < plan_nopdefs; i++)
			printf("0x%02x %s %s\n", plan_opdefs[i].code, plan_opdefs[i].name,
			       *plan_opdefs[i].sig ? plan_opdefs[i].sig : "-");
		return 0;
	}
	ctx.privileged = started_privileged();
	if (ctx.privileged)
		set_dumpable(0);
	ctx.sync_fd = env_fd("_JRUNC_SYNC_FD");
	int plan_fd = env_fd("_JRUNC_PLAN_FD");
	/* The sealed memfd we were executed from (CVE-2019-5736): the kernel keeps the mapping,
	 * the fd would only be one more runtime object the container could find. */
	if (getenv("_JRUNC_EXE_FD"))
		close(env_fd("_JRUNC_EXE_FD"));

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
