/* proc.c - process attributes: rlimits, no_new_privs, capabilities, user and groups, umask, cwd.
 *
 * Order (chosen by the plan compiler, as runc does): the bounding set is dropped while still
 * root (it needs CAP_SETPCAP); PR_SET_KEEPCAPS keeps the permitted set across setresuid to a
 * non-root uid; capset then sets the three sets; ambient capabilities come last. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

void op_rlimit(const struct op *op)
{
	struct rlimit rl;
	rl.rlim_cur = (rlim_t)arg_i(op, 2);
	rl.rlim_max = (rlim_t)arg_i(op, 3);
	if (setrlimit((int)arg_i(op, 1), &rl) < 0)
		fail_errno("setrlimit %s", arg_s(op, 0));
}

void op_no_new_privs(const struct op *op)
{
	(void)op;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail_errno("prctl(PR_SET_NO_NEW_PRIVS)");
}

void op_cap_bounding(const struct op *op)
{
	uint64_t keep = (uint64_t)arg_i(op, 0);
	for (int i = 0; i < 64; i++) {
		int r = prctl(PR_CAPBSET_READ, i, 0, 0, 0);
		if (r < 0) {
			if (errno == EINVAL) /* past the kernel's last capability */
				break;
			fail_errno("prctl(PR_CAPBSET_READ, %d)", i);
		}
		if (r == 1 && !(keep & (1ULL << i)) && prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0)
			fail_errno("drop capability %d from the bounding set", i);
	}
}

/* set_user uid gid groups(blob of u32 LE) setgroups */
void op_set_user(const struct op *op)
{
	uid_t uid = (uid_t)arg_i(op, 0);
	gid_t gid = (gid_t)arg_i(op, 1);
	uint32_t blen;
	const uint8_t *blob = arg_b(op, 2, &blen);
	int do_setgroups = (int)arg_i(op, 3);

	if (blen % 4 != 0 || blen / 4 > 65536)
		fail("set_user: bad groups blob (%u bytes)", blen);
	if (do_setgroups) {
		size_t n = blen / 4;
		gid_t *groups = calloc(n ? n : 1, sizeof(gid_t));
		if (!groups)
			fail("set_user: out of memory");
		for (size_t i = 0; i < n; i++)
			groups[i] = (gid_t)(blob[4 * i] | blob[4 * i + 1] << 8 | blob[4 * i + 2] << 16 |
					    (uint32_t)blob[4 * i + 3] << 24);
		if (setgroups(n, groups) < 0)
			fail_errno("setgroups");
		free(groups);
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fail_errno("prctl(PR_SET_KEEPCAPS)");
	if (setresgid(gid, gid, gid) < 0)
		fail_errno("setresgid %u", gid);
	if (setresuid(uid, uid, uid) < 0)
		fail_errno("setresuid %u", uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		fail_errno("prctl(PR_SET_KEEPCAPS)");
}

void op_caps(const struct op *op)
{
	uint64_t eff = (uint64_t)arg_i(op, 0), perm = (uint64_t)arg_i(op, 1), inh = (uint64_t)arg_i(op, 2);
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(eff >> (32 * i));
		data[i].permitted = (uint32_t)(perm >> (32 * i));
		data[i].inheritable = (uint32_t)(inh >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		fail_errno("capset (effective 0x%llx, permitted 0x%llx, inheritable 0x%llx)",
			   (unsigned long long)eff, (unsigned long long)perm, (unsigned long long)inh);
}

void op_cap_ambient(const struct op *op)
{
	uint64_t mask = (uint64_t)arg_i(op, 0);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		fail_errno("clear ambient capabilities");
	for (int i = 0; i < 64; i++)
		if ((mask & (1ULL << i)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
			fail_errno("raise ambient capability %d", i);
}

void op_umask(const struct op *op)
{
	umask((mode_t)arg_i(op, 0));
}

/*
 * After setresuid: the working directory must be reachable by the user (runc's order).
 * Then, as runc's verifyCwd (CVE-2024-21626: a cwd of /proc/self/fd/N naming an fd we hold on
 * a host directory), the cwd must be inside our root: getcwd(2) fails with ENOENT (glibc also
 * for the kernel's "(unreachable)" prefix) for a directory outside it.
 */
void op_chdir(const struct op *op)
{
	const char *cwd = arg_s(op, 0);
	if (chdir(cwd) < 0)
		fail_errno("chdir to cwd (\"%s\") set in config.json failed", cwd);
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf))) {
		if (errno == ENOENT)
			fail("current working directory is outside of container mount namespace root -- possible container breakout detected");
		fail_errno("getcwd");
	}
	if (buf[0] != '/')
		fail("current working directory is not absolute -- possible container breakout detected: cwd is \"%s\"", buf);
}
