/*
 * libjrunc: the host-side system calls of jrunc that the JDK does not offer.
 *
 * Conventions (every function, present and future):
 *   - plain C types only (int, unsigned, pointers to int / char / char*), no structs in the
 *     signature: the same prototype is bound by GraalVM @CFunction (native image, libjrunc.a)
 *     and by java.lang.foreign (JVM, libjrunc.so), and the two bindings must stay identical;
 *   - the result is >= 0 on success (0, or an fd / pid) and -errno on failure, so errno is
 *     captured in C, the same way in both bindings (neither reads the thread's errno);
 *   - every fd we create is close-on-exec: only posix_spawn file actions (or the init's
 *     closefrom) decide what a child inherits.
 *
 * Adding a call (e.g. jrunc_spawn(path, argv, envp, fd_map, n), jrunc_prctl):
 *   1. declare it here, define it in jrunc.c (arrays as pointer + count; strings as NUL-terminated
 *      char *, string arrays as NULL-terminated char **);
 *   2. add the method to dev.jrunc.sys.Syscalls (throws ErrnoException on a negative result);
 *   3. bind it in dev.jrunc.sys.ffm.FfmSyscalls (a downcall handle made on first use; arrays in a
 *      confined Arena) and in dev.jrunc.sys.cfunction.CSyscalls (a private static native method
 *      with @CFunction; arrays in StackValue/UnmanagedMemory, strings via CTypeConversion);
 *   4. add checks to SyscallsContract (src/test): both bindings must pass them, the C one inside
 *      the native image (make test); and model it in FakeSyscalls.
 */
#ifndef JRUNC_H
#define JRUNC_H

/* Identity. Cannot fail. */
int jrunc_getuid(void);
int jrunc_geteuid(void);
int jrunc_getpid(void);

/* kill(2): 0 or -errno. */
int jrunc_kill(int pid, int sig);

/* close(2): 0 or -errno. */
int jrunc_close(int fd);

/* socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC): fds[0], fds[1]; 0 or -errno. */
int jrunc_socketpair(int *fds);

/* Sends fd over the unix socket sock (one byte of data plus SCM_RIGHTS): 0 or -errno. */
int jrunc_send_fd(int sock, int fd);

/* Receives one fd sent by jrunc_send_fd (close-on-exec): the fd, or -errno;
 * -ECONNRESET when the peer closed without sending, -EBADMSG when no fd came with the data. */
int jrunc_recv_fd(int sock);

/* pidfd_open(2) (close-on-exec): the pidfd, or -errno. */
int jrunc_pidfd_open(int pid, unsigned int flags);

#endif
