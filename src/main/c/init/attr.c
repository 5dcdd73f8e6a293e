/* attr.c - process attributes that are not about identity: time namespace offsets,
 * oom_score_adj, scheduler, I/O priority, personality, CPU affinity, and the default HOME.
 * The plan compiler decides every value and where in the plan each op runs (runc's places). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

/* Writes all of s to a /proc file of this process in one write(2): the kernel parses each of
 * these files per write. Returns 0 or -1 with errno. */
static int write_proc(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t len = strlen(s);
	ssize_t n = write(fd, s, len);
	int err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* timens_offsets "monotonic S N\nboottime S N\n": right after unshare(CLONE_NEWTIME), before
 * the clone that enters the namespace; the kernel refuses offsets once a process is in it. */
void op_timens_offsets(const struct op *op)
{
	if (write_proc("/proc/self/timens_offsets", arg_s(op, 0)) < 0)
		fail_errno("failed to update /proc/self/timens_offsets");
}

/* The first op of a plan, as runc's nsexec does it: before any namespace is joined, since a
 * value below the current minimum needs CAP_SYS_RESOURCE in the initial user namespace. */
void op_oom_score_adj(const struct op *op)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)arg_i(op, 0));
	if (write_proc("/proc/self/oom_score_adj", buf) < 0)
		fail_errno("failed to update /proc/self/oom_score_adj");
}

/* struct sched_attr of sched_setattr(2) (SCHED_ATTR_SIZE_VER0: the fields up to period). */
struct sched_attr_v0 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

/* scheduler policy flags nice priority runtime deadline period */
void op_scheduler(const struct op *op)
{
	struct sched_attr_v0 attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = (uint32_t)arg_i(op, 0);
	attr.sched_flags = (uint64_t)arg_i(op, 1);
	attr.sched_nice = (int32_t)arg_i(op, 2);
	attr.sched_priority = (uint32_t)arg_i(op, 3);
	attr.sched_runtime = (uint64_t)arg_i(op, 4);
	attr.sched_deadline = (uint64_t)arg_i(op, 5);
	attr.sched_period = (uint64_t)arg_i(op, 6);
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		fail_errno("error setting scheduler");
}

/* ioprio_set(IOPRIO_WHO_PROCESS, 0 (this process), class << 13 | level), as runc does. */
void op_ioprio(const struct op *op)
{
	if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (int)arg_i(op, 0)) < 0)
		fail_errno("failed to set io priority");
}

void op_personality(const struct op *op)
{
	unsigned long persona = (unsigned long)arg_i(op, 0);
	if (personality(persona) < 0)
		fail_errno("set personality 0x%lx", persona);
}

/* cpu_affinity mask: sched_setaffinity of this process; the kernel keeps only the CPUs that
 * its cpuset allows, so an all-ones mask means "every CPU of the container's cgroup". */
void op_cpu_affinity(const struct op *op)
{
	uint32_t len;
	const uint8_t *mask = arg_b(op, 0, &len);
	if (len == 0 || len % sizeof(unsigned long) != 0)
		fail("cpu_affinity: bad mask (%u bytes)", len);
	if (sched_setaffinity(0, len, (const cpu_set_t *)(const void *)mask) < 0)
		fail_errno("sched_setaffinity");
}

/*
 * default_home uid: runc's rule for a process env without a non-empty HOME: the home field of
 * the first entry with this uid in the container's /etc/passwd, else "/". Read after the
 * rootfs is final (its /etc/passwd may be a bind mount), resolved in the root, never blocking
 * on a fifo. Any failure to read means "/", as in runc. exec appends the result to the env.
 */
void op_default_home(const struct op *op)
{
	long long uid = (long long)arg_i(op, 0);
	const char *home = "/";
	char *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	struct stat st;
	int fd = in_root("/etc/passwd", O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f = fdopen(fd, "r");
	else if (fd >= 0)
		close(fd);
	while (f && getline(&line, &cap, f) > 0) {
		/* name:password:uid:gid:gecos:home:shell */
		char *field[7] = {0};
		char *p = line;
		line[strcspn(line, "\n")] = 0;
		for (int i = 0; i < 7 && p; i++) {
			field[i] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = 0;
		}
		char *end;
		if (!field[2] || !*field[2])
			continue;
		errno = 0;
		long long u = strtoll(field[2], &end, 10);
		if (errno || *end || u != uid)
			continue;
		home = field[5] ? field[5] : "";
		break;
	}
	snprintf(ctx.home_env, sizeof(ctx.home_env), "HOME=%s", home);
	free(line);
	if (f)
		fclose(f);
}
