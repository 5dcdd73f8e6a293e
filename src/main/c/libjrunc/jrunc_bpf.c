/*
 * libjrunc: bpf(2) for cgroup v2 device rules (see jrunc.h). Thin wrappers: the program is built
 * in Java (dev.jrunc.cgroups.v2.DeviceFilter), the attach/replace logic is in Java too
 * (dev.jrunc.cgroups.v2.DeviceProgram); each function here is one bpf(2) command.
 */
#define _GNU_SOURCE
#include "jrunc.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL() (errno > 0 ? -errno : -EIO)

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int) syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load(const char *insns, int len, const char *license, char *log, int log_size)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t) (uintptr_t) insns;
	attr.insn_cnt = (uint32_t) (len / 8);
	attr.license = (uint64_t) (uintptr_t) license;
	if (log != NULL && log_size > 1) {
		log[0] = '\0';
		attr.log_level = 1;
		attr.log_buf = (uint64_t) (uintptr_t) log;
		attr.log_size = (uint32_t) log_size;
	}
	int fd = bpf(BPF_PROG_LOAD, &attr);
	return fd < 0 ? FAIL() : fd;
}

int jrunc_bpf_prog_load_cgroup_device(const char *insns, int len, const char *license, char *log, int log_size)
{
	if (len <= 0 || len % 8 != 0)
		return -EINVAL;
	if (log != NULL && log_size > 0)
		log[0] = '\0';
	int r = load(insns, len, license, NULL, 0);
	if (r == -EPERM) {
		/* kernels before 5.11 charge programs to RLIMIT_MEMLOCK (runc raises it too) */
		struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
		if (setrlimit(RLIMIT_MEMLOCK, &unlimited) == 0)
			r = load(insns, len, license, NULL, 0);
	}
	if (r < 0 && log != NULL && log_size > 1) {
		/* again with the verifier's log, for the error message; the first errno is the answer */
		int again = load(insns, len, license, log, log_size);
		if (again >= 0)
			close(again);
		log[log_size - 1] = '\0';
	}
	return r;
}

int jrunc_bpf_query_cgroup_device(int cgroup_fd, int *ids, int cap)
{
	if (cap < 0)
		return -EINVAL;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t) cgroup_fd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t) (uintptr_t) ids;
	attr.query.prog_cnt = (uint32_t) cap;
	if (bpf(BPF_PROG_QUERY, &attr) < 0 && errno != ENOSPC)
		return FAIL();
	/* on ENOSPC the kernel filled cap ids and says how many there are */
	return (int) attr.query.prog_cnt;
}

int jrunc_bpf_prog_get_fd_by_id(int id)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = (uint32_t) id;
	int fd = bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	return fd < 0 ? FAIL() : fd;
}

int jrunc_bpf_attach_cgroup_device(int cgroup_fd, int prog_fd, int replace_fd)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t) cgroup_fd;
	attr.attach_bpf_fd = (uint32_t) prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (replace_fd >= 0) {
		attr.attach_flags |= BPF_F_REPLACE;
		attr.replace_bpf_fd = (uint32_t) replace_fd;
	}
	return bpf(BPF_PROG_ATTACH, &attr) < 0 ? FAIL() : 0;
}

int jrunc_bpf_detach_cgroup_device(int cgroup_fd, int prog_fd)
{
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t) cgroup_fd;
	attr.attach_bpf_fd = (uint32_t) prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	return bpf(BPF_PROG_DETACH, &attr) < 0 ? FAIL() : 0;
}
