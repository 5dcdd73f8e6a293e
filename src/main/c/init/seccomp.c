/* seccomp.c - the seccomp filter and the LSM labels (AppArmor profile, SELinux exec label).
 *
 * The filter arrives compiled: jrunc builds the BPF program with libseccomp in its own process,
 * so this init needs no libseccomp and makes no decision; it only loads the program. Both LSM
 * labels are "on exec" attributes: written now, they apply at execve. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init.h"

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#define BPF_MAX_INSNS 4096 /* the kernel's BPF_MAXINSNS */

/* seccomp flags listener program: seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog). With a
 * listener (SECCOMP_FILTER_FLAG_NEW_LISTENER is in flags) the kernel returns the notify fd: it
 * goes to the parent as "seccomp" with SCM_RIGHTS, and is closed here. */
void op_seccomp(const struct op *op)
{
	unsigned long flags = (unsigned long)arg_i(op, 0);
	int listener = (int)arg_i(op, 1);
	uint32_t len;
	const uint8_t *blob = arg_b(op, 2, &len);

	if (len == 0 || len % sizeof(struct sock_filter) != 0 || len / sizeof(struct sock_filter) > BPF_MAX_INSNS)
		fail("seccomp: bad program (%u bytes)", len);
	if (listener != !!(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		fail("seccomp: listener %d does not match flags 0x%lx", listener, flags);
	/* a copy: the plan buffer gives no alignment guarantee */
	struct sock_filter *insns = malloc(len);
	if (!insns)
		fail("seccomp: out of memory");
	memcpy(insns, blob, len);
	struct sock_fprog prog = {.len = (unsigned short)(len / sizeof(struct sock_filter)), .filter = insns};

	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0 && errno == ENOSYS && flags == 0)
		fd = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0); /* kernel < 3.17 */
	if (fd < 0)
		fail_errno("error loading seccomp filter into kernel: loading seccomp filter");
	free(insns);
	if (!listener)
		return;
	if (sync_send_fd("seccomp", (int)fd) < 0)
		fail_errno("sync: send the seccomp listener fd");
	close((int)fd);
}

/* Writes value to /proc/self/attr/<name> of the container's procfs, no mount crossed on the way
 * (CVE-2025-52881: a procfs file bound over attr/exec would take the write). */
static int write_attr(const char *name, const char *value)
{
	char path[64];
	snprintf(path, sizeof(path), "self/attr/%s", name);
	int fd = in_proc(path, O_WRONLY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct statfs st;
	if (fstatfs(fd, &st) < 0 || st.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	size_t n = strlen(value);
	ssize_t w = write(fd, value, n);
	int err = errno;
	close(fd);
	if (w != (ssize_t)n) {
		errno = w < 0 ? err : EIO;
		return -1;
	}
	return 0;
}

/* apparmor profile: "exec <profile>" into the AppArmor exec attribute (its own directory since
 * Linux 5.8, the shared one before), as runc's apparmor.ApplyProfile. */
void op_apparmor(const struct op *op)
{
	char value[4096];
	int n = snprintf(value, sizeof(value), "exec %s", arg_s(op, 0));
	if (n < 0 || (size_t)n >= sizeof(value))
		fail("unable to apply apparmor profile: profile name too long");
	if (write_attr("apparmor/exec", value) == 0)
		return;
	if (errno == ENOENT && write_attr("exec", value) == 0)
		return;
	fail_errno("unable to apply apparmor profile: apparmor failed to apply profile: write /proc/self/attr/exec");
}

/* selinux_label label: the SELinux label of the process after execve, as runc's
 * selinux.SetExecLabel. */
void op_selinux_label(const struct op *op)
{
	if (write_attr("exec", arg_s(op, 0)) < 0)
		fail_errno("can't set process label: write /proc/self/attr/exec");
}
