/* init.h - shared state and helpers of jrunc-init. */
#ifndef JRUNC_INIT_H
#define JRUNC_INIT_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "plan.h"

struct ctx {
	int sync_fd;      /* the sync socket, -1 when absent; close-on-exec */
	int root_fd;      /* O_PATH fd of the root container paths are resolved in, -1 before rootfs_bind */
	int null_fd;      /* O_PATH fd of the verified /dev/null, -1 until first needed */
	int fifo_w;       /* the exec fifo's write end while startContainer hooks run, else -1 */
	const char *rootfs; /* host path of the rootfs (rootfs_bind), for move_root */
	int cwd_pending;  /* chdir step 1 was refused a permission: step 2 tries again */
	const char *exec_path; /* set by lookup_exec */
	char exec_buf[PATH_MAX];
	char home_env[PATH_MAX + 8]; /* "HOME=..." from default_home, appended to the env by exec; "" when unset */
};
extern struct ctx ctx;

/* Report "error <msg>" to the parent (stderr when nobody listens) and exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);
/* Same, with ": <strerror(errno)>" appended, in Go's lower-case style. */
__attribute__((noreturn, format(printf, 1, 2))) void fail_errno(const char *fmt, ...);
/* strerror with a lower-case first letter, as Go prints errno values. */
const char *errstr(int err);

/* sync.c */
int sync_send(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sync_send_fd(const char *msg, int fd); /* msg with fd attached (SCM_RIGHTS) */
int sync_send_fd_on(int sock, const char *msg, int fd); /* the same on another socket */
/* one datagram of at most len bytes into msg, *fd its SCM_RIGHTS fd (close-on-exec) or -1 */
ssize_t sync_recv_fd_on(int sock, char *msg, size_t len, int *fd);
void sync_wait_continue(void);

/* path.c: container paths resolved under ctx.root_fd, never escaping it. */
int in_root(const char *path, int oflags);          /* fd or -1 with errno */
int in_root_create(const char *path, int kind);      /* creates what is missing, symlinks clamped to the root */
int in_root_mkdirs(const char *path);                /* O_PATH fd of the directory, created as needed */
int in_root_target(const char *path, int kind);      /* O_PATH fd of a mount point; kind: 0 dir, 1 file */
int in_proc(const char *rel, int oflags);            /* a file of the container's procfs, no mount crossed */
const char *fdpath(int fd, char buf[static 32]);     /* "/proc/self/fd/N" */
void split_path(const char *path, char *dir, char *base); /* both PATH_MAX */

/* rootfs.c: a bind remount (flags with MS_BIND|MS_REMOUNT), keeping the flags a user namespace
 * cannot drop; the MS_* flags locked on the mount of fd */
void remount(const char *target, int fd, unsigned long flags);
unsigned long locked_flags(int fd);
/* runc's checkProcMount on the mount point open at fd (its real path): fails unless allowed */
void check_proc_mount(int fd, const char *source, const char *target, const char *fstype, int bind);

/* bindsrc.c: bind sources opened by the original process (see bind_sources in PLAN.md) */
int bindsrc_pending(void);                        /* bind_sources ran, clone has not yet */
void bindsrc_send(pid_t child);                   /* original, after clone; fails (and kills child) */
void bindsrc_receive(void);                       /* child, after clone */
int bindsrc_fd(const char *source);               /* the fd of a listed source, or -1 */
void bindsrc_close(void);                         /* after the mounts */

/* copyup.c: copies the directory open at covered into the mount now on target (tmpcopyup) */
void copy_up(int covered, const char *target);

/* The op handlers, one per line of ops.def, spread over one file per concern. */
#define OP(code, name, sig, handler) void handler(const struct op *op);
#include "ops.def"
#undef OP

#endif
