/* sysprobe: calls syscall numbers a seccomp profile may not name and prints the errno of each
 * as NAME=ERRNO (seccomp.bats). Static, so that it needs nothing from the rootfs.
 *   nr1000: a number no kernel has (yet); clone3: NULL args (EFAULT/EINVAL when it runs);
 *   mkdirat: a low number the profile does not name. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *name(int e)
{
	static char buf[16];
	switch (e) {
	case 0: return "OK";
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EEXIST: return "EEXIST";
	case ENOENT: return "ENOENT";
	case EROFS: return "EROFS";
	}
	snprintf(buf, sizeof(buf), "%d", e);
	return buf;
}

static void probe(const char *label, long nr, long a, long b, long c)
{
	errno = 0;
	long r = syscall(nr, a, b, c);
	printf("%s=%s\n", label, name(r < 0 ? errno : 0));
}

int main(void)
{
	probe("nr1000", 1000, 0, 0, 0);
	probe("clone3", SYS_clone3, 0, 0, 0);
	probe("mkdirat", SYS_mkdirat, AT_FDCWD, (long) "/tmp/sysprobe-dir", 0700);
	return 0;
}
