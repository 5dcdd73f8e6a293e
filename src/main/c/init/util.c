/* util.c - error reporting. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errtab.h"
#include "init.h"

struct ctx ctx = {.sync_fd = -1, .root_fd = -1, .null_fd = -1, .fifo_w = -1};

/* The errno's text as runc (Go) writes it: glibc's, first letter lowercased ("no such file or
 * directory"), except where the text starts with an acronym ("RPC struct is bad"). From errtab.h,
 * not strerror(3), so that it does not depend on the libc the init is linked with. */
const char *errstr(int err)
{
	static char buf[128];
	const char *s = err >= 0 && (size_t)err < sizeof(errtab) / sizeof(errtab[0]) ? errtab[err] : NULL;
	if (s)
		snprintf(buf, sizeof(buf), "%s", s);
	else
		snprintf(buf, sizeof(buf), "Unknown error %d", err);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static __attribute__((noreturn)) void vfail(const char *suffix, const char *fmt, va_list ap)
{
	char msg[4000]; /* a sync datagram holds 4096 bytes, "error " included */
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (suffix && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, ": %s", suffix);
	/* The parent prints the error; stderr (the container's) only when nobody listens. While
	 * `start` reads the exec fifo (startContainer hooks), the error goes there too. */
	int told = 0;
	if (ctx.fifo_w >= 0) {
		signal(SIGPIPE, SIG_IGN); /* `start` may be gone */
		char out[4096];
		int len = snprintf(out, sizeof(out), "error %s", msg);
		if (len > (int)sizeof(out) - 1)
			len = (int)sizeof(out) - 1;
		told = write(ctx.fifo_w, out, (size_t)len) == len;
	}
	if (sync_send("error %s", msg) == 0)
		told = 1;
	if (!told)
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
