/* libjrunc: see jrunc.h for the conventions every function here follows. */
#define _GNU_SOURCE
#include "jrunc.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* The one way a call reports failure: -errno (never 0, even if libc forgot to set errno). */
#define FAIL() (errno > 0 ? -errno : -EIO)

/* Retries a call interrupted by a signal handler. */
#define RETRY(expr) ({ long r_; do { r_ = (long) (expr); } while (r_ == -1 && errno == EINTR); r_; })

int jrunc_getuid(void) { return (int) getuid(); }
int jrunc_geteuid(void) { return (int) geteuid(); }
int jrunc_getpid(void) { return (int) getpid(); }

int jrunc_kill(int pid, int sig)
{
    return kill((pid_t) pid, sig) == 0 ? 0 : FAIL();
}

int jrunc_close(int fd)
{
    /* no retry on EINTR: on Linux the fd is released even then */
    return close(fd) == 0 ? 0 : FAIL();
}

int jrunc_socketpair(int *fds)
{
    if (fds == NULL)
        return -EFAULT;
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : FAIL();
}

int jrunc_send_fd(int sock, int fd)
{
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;

    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

    return RETRY(sendmsg(sock, &msg, MSG_NOSIGNAL)) == 1 ? 0 : FAIL();
}

int jrunc_recv_fd(int sock)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    long n;
    int fd;

    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);

    n = RETRY(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC));
    if (n < 0)
        return FAIL();
    if (n == 0)
        return -ECONNRESET;
    cmsg = CMSG_FIRSTHDR(&msg);
    if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS
            || cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
        return -EBADMSG;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
    if (msg.msg_flags & MSG_CTRUNC) {
        close(fd);
        return -EBADMSG;
    }
    return fd;
}

int jrunc_pidfd_open(int pid, unsigned int flags)
{
    long fd = syscall(SYS_pidfd_open, (pid_t) pid, flags);
    /* pidfds are always close-on-exec */
    return fd >= 0 ? (int) fd : FAIL();
}
