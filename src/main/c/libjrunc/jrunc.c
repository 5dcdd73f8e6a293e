/* libjrunc: see jrunc.h for the conventions every function here follows. */
#define _GNU_SOURCE
#include "jrunc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The one way a call reports failure: -errno (never 0, even if libc forgot to set errno). */
#define FAIL() (errno > 0 ? -errno : -EIO)

/* Retries a call interrupted by a signal handler. */
#define RETRY(expr) ({ long r_; do { r_ = (long) (expr); } while (r_ == -1 && errno == EINTR); r_; })

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

int jrunc_seqpacket_pair(int *fds)
{
    if (fds == NULL)
        return -EFAULT;
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : FAIL();
}

int jrunc_spawn(const char *path, char *const *argv, char *const *envp, const int *fd_map, int n)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t none, all;
    pid_t pid;
    long scratch = n; /* the first scratch fd: above every source and every target */
    int i, r;

    if (path == NULL || argv == NULL || envp == NULL || n < 0 || (n > 0 && fd_map == NULL))
        return -EFAULT;
    for (i = 0; i < n; i++) {
        if (fd_map[i] < -1)
            return -EBADF;
        if (fd_map[i] >= scratch)
            scratch = (long) fd_map[i] + 1;
    }
    if (scratch + n > INT_MAX)
        return -EBADF;

    r = posix_spawn_file_actions_init(&actions);
    if (r != 0)
        return -r;
    r = posix_spawnattr_init(&attr);
    if (r != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return -r;
    }
    /* 1. every source to its own scratch fd, so that no later dup2 overwrites a source yet to
     *    be copied (a source may equal another target) */
    for (i = 0; r == 0 && i < n; i++)
        if (fd_map[i] >= 0)
            r = posix_spawn_file_actions_adddup2(&actions, fd_map[i], (int) scratch + i);
    /* 2. scratch onto target (dup2 clears close-on-exec), or the target closed */
    for (i = 0; r == 0 && i < n; i++)
        r = fd_map[i] >= 0
                ? posix_spawn_file_actions_adddup2(&actions, (int) scratch + i, i)
                : posix_spawn_file_actions_addclose(&actions, i);
    /* 3. everything else, scratch fds included, close-on-exec or not */
    if (r == 0)
        r = posix_spawn_file_actions_addclosefrom_np(&actions, n);

    sigemptyset(&none);
    /* every signal, glibc's internal ones (32, 33) included: sigfillset leaves those out, and
     * posix_spawn then sets them to SIG_IGN in the child, a disposition that survives the exec
     * (children of the JDK's ProcessBuilder show SigIgn 0000000180000000) */
    memset(&all, 0xff, sizeof(all));
    if (r == 0)
        r = posix_spawnattr_setsigmask(&attr, &none);
    if (r == 0)
        r = posix_spawnattr_setsigdefault(&attr, &all);
    if (r == 0)
        r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (r == 0)
        r = posix_spawn(&pid, path, &actions, &attr, argv, envp);

    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return r == 0 ? (int) pid : -r;
}

int jrunc_waitpid(int pid, int nohang, int *status)
{
    int st = 0;
    long r;

    if (status == NULL)
        return -EFAULT;
    r = RETRY(waitpid((pid_t) pid, &st, nohang ? WNOHANG : 0));
    if (r < 0)
        return FAIL();
    if (r > 0)
        *status = st;
    return (int) r;
}

int jrunc_read(int fd, char *buf, int len)
{
    if (len < 0)
        return -EINVAL;
    if (buf == NULL && len > 0)
        return -EFAULT;
    long n = RETRY(read(fd, buf, (size_t) len));
    return n >= 0 ? (int) n : FAIL();
}

/* write(2) with SIGPIPE blocked in this thread; a SIGPIPE it raised is consumed, not delivered. */
static long write_without_sigpipe(int fd, const char *buf, size_t len)
{
    sigset_t sigpipe, old, pending;
    struct timespec zero = { 0, 0 };
    int was_pending, saved;
    long n;

    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &sigpipe, &old) != 0)
        return -1;
    /* one already pending (blocked by the caller) is not ours to consume */
    was_pending = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
    n = RETRY(write(fd, buf, len));
    saved = errno;
    if (n < 0 && saved == EPIPE && !was_pending)
        while (sigtimedwait(&sigpipe, NULL, &zero) < 0 && errno == EINTR)
            ;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return n;
}

int jrunc_write(int fd, const char *buf, int len)
{
    size_t done = 0;
    int is_socket = 1;

    if (len < 0)
        return -EINVAL;
    if (buf == NULL && len > 0)
        return -EFAULT;
    do {
        long n = -1;
        if (is_socket) {
            n = RETRY(send(fd, buf + done, (size_t) len - done, MSG_NOSIGNAL));
            if (n < 0 && errno == ENOTSOCK)
                is_socket = 0;
        }
        if (!is_socket)
            n = write_without_sigpipe(fd, buf + done, (size_t) len - done);
        if (n < 0)
            return FAIL();
        done += (size_t) n;
    } while (done < (size_t) len);
    return 0;
}

int jrunc_memfd_create(const char *name)
{
    if (name == NULL)
        return -EFAULT;
    int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    return fd >= 0 ? fd : FAIL();
}

int jrunc_seal_memfd(int fd)
{
    return fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) == 0
            ? 0 : FAIL();
}

int jrunc_mkfifo(const char *path, unsigned int mode)
{
    int err;

    if (path == NULL)
        return -EFAULT;
    if (mode & ~07777u)
        return -EINVAL;
    if (mkfifo(path, (mode_t) mode) != 0)
        return FAIL();
    /* follows a symlink, as chmod(2) does: the fifos live in jrunc's own root-only directories */
    if (fchmodat(AT_FDCWD, path, (mode_t) mode, 0) != 0) {
        err = FAIL();
        unlink(path);
        return err;
    }
    return 0;
}

int jrunc_open(const char *path, int flags)
{
    if (path == NULL)
        return -EFAULT;
    long fd = RETRY(open(path, flags | O_CLOEXEC, 0));
    return fd >= 0 ? (int) fd : FAIL();
}

static int unix_address(const char *path, struct sockaddr_un *sa)
{
    size_t n;

    if (path == NULL)
        return -EFAULT;
    n = strlen(path);
    if (n == 0)
        return -EINVAL;
    if (n >= sizeof(sa->sun_path))
        return -ENAMETOOLONG;
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, path, n);
    return 0;
}

int jrunc_connect_unix(const char *path, int dgram)
{
    struct sockaddr_un sa;
    int fd, err, r = unix_address(path, &sa);

    if (r < 0)
        return r;
    fd = socket(AF_UNIX, (dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return FAIL();
    if (RETRY(connect(fd, (struct sockaddr *) &sa, sizeof(sa))) < 0) {
        err = FAIL();
        close(fd);
        return err;
    }
    return fd;
}

int jrunc_bind_unixgram(const char *path)
{
    struct sockaddr_un sa;
    int fd, err, r = unix_address(path, &sa);

    if (r < 0)
        return r;
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return FAIL();
    if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
        err = FAIL();
        close(fd);
        return err;
    }
    return fd;
}

int jrunc_send_msg_fd(int sock, const char *buf, int len, int fd)
{
    struct iovec iov;
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    long n;

    if (buf == NULL)
        return -EFAULT;
    if (len < 1)
        return -EINVAL;
    iov.iov_base = (void *) buf;
    iov.iov_len = (size_t) len;
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
    n = RETRY(sendmsg(sock, &msg, MSG_NOSIGNAL));
    if (n < 0)
        return FAIL();
    return n == len ? 0 : -EMSGSIZE;
}

int jrunc_recv_msg_fd(int sock, char *buf, int len, int *fd)
{
    struct iovec iov;
    union {
        char buf[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    struct cmsghdr *cmsg;
    int got = -1, bad = 0;
    long n;

    if (fd == NULL || (buf == NULL && len > 0))
        return -EFAULT;
    if (len < 0)
        return -EINVAL;
    *fd = -1;
    iov.iov_base = buf;
    iov.iov_len = (size_t) len;
    memset(&control, 0, sizeof(control));
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    n = RETRY(recvmsg(sock, &msg, MSG_CMSG_CLOEXEC));
    if (n < 0)
        return FAIL();
    for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; i++) {
            int f;
            memcpy(&f, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
            if (got < 0 && !bad)
                got = f;
            else {
                close(f);
                bad = 1;
            }
        }
    }
    if (msg.msg_flags & MSG_CTRUNC)
        bad = 1;
    if (bad || (msg.msg_flags & MSG_TRUNC)) {
        if (got >= 0)
            close(got);
        return bad ? -EBADMSG : -EMSGSIZE;
    }
    *fd = got;
    return (int) n;
}

int jrunc_poll(int fd, int events, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = (short) events, .revents = 0 };
    int r = poll(&p, 1, timeout_ms);

    if (r < 0)
        return errno == EINTR ? 0 : FAIL();
    return r == 0 ? 0 : p.revents;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif

int jrunc_pidfd_open(int pid)
{
    /* glibc 2.36 has no wrapper; a pidfd is always close-on-exec */
    long fd = syscall(SYS_pidfd_open, (pid_t) pid, 0);
    return fd >= 0 ? (int) fd : FAIL();
}

int jrunc_get_winsize(int fd, int *rowcol)
{
    struct winsize ws;

    if (rowcol == NULL)
        return -EFAULT;
    if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
        return FAIL();
    rowcol[0] = ws.ws_row;
    rowcol[1] = ws.ws_col;
    return 0;
}

int jrunc_set_winsize(int fd, int rows, int cols)
{
    struct winsize ws;

    if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff)
        return -EINVAL;
    memset(&ws, 0, sizeof(ws));
    ws.ws_row = (unsigned short) rows;
    ws.ws_col = (unsigned short) cols;
    return ioctl(fd, TIOCSWINSZ, &ws) == 0 ? 0 : FAIL();
}

int jrunc_tcgetattr(int fd, char *buf, int len)
{
    struct termios t;

    if (buf == NULL)
        return -EFAULT;
    if (len < (int) sizeof(t))
        return -EINVAL;
    if (tcgetattr(fd, &t) < 0)
        return FAIL();
    memcpy(buf, &t, sizeof(t));
    return (int) sizeof(t);
}

int jrunc_tcsetattr(int fd, const char *buf, int len)
{
    struct termios t;

    if (buf == NULL)
        return -EFAULT;
    if (len != (int) sizeof(t))
        return -EINVAL;
    memcpy(&t, buf, sizeof(t));
    return RETRY(tcsetattr(fd, TCSANOW, &t)) == 0 ? 0 : FAIL();
}

int jrunc_set_raw(int fd)
{
    struct termios t;

    if (tcgetattr(fd, &t) < 0)
        return FAIL();
    cfmakeraw(&t);
    return RETRY(tcsetattr(fd, TCSANOW, &t)) == 0 ? 0 : FAIL();
}

int jrunc_clear_onlcr(int fd)
{
    struct termios t;

    if (tcgetattr(fd, &t) < 0)
        return FAIL();
    t.c_oflag &= ~(tcflag_t) ONLCR;
    return RETRY(tcsetattr(fd, TCSANOW, &t)) == 0 ? 0 : FAIL();
}

int jrunc_openpty(int *fds)
{
    int master, slave, err, unlock = 0;

    if (fds == NULL)
        return -EFAULT;
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        return FAIL();
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0
            || (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
        err = FAIL();
        close(master);
        return err;
    }
    fds[0] = master;
    fds[1] = slave;
    return 0;
}
