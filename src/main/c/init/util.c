/* util.c - error reporting. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

struct ctx ctx = {.sync_fd = -1, .root_fd = -1, .null_fd = -1};

const char *errstr(int err)
{
	static char buf[128];
	const char *s = strerror_r(err, buf, sizeof(buf)); /* GNU: may return a static string */
	if (s != buf)
		snprintf(buf, sizeof(buf), "%s", s);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static __attribute__((noreturn)) void vfail(const char *suffix, const char *fmt, va_list ap)
{
	char msg[1024];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	/* The parent prints the error; stderr (the container's) only when nobody listens. */
	if (sync_send("error %s", msg) < 0)
		dprintf(STDERR_FILENO, "jrunc-init: %s\n", msg);
	_exit(1);
}

void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(NULL, fmt, ap);
}

void fail_errno(const char *fmt, ...)
{
	int err = errno;
	va_list ap;
	va_start(ap, fmt);
	vfail(errstr(err), fmt, ap);
}
