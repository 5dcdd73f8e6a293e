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
 * Adding a call (e.g. jrunc_setns(fd, nstype)):
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
int jrunc_geteuid(void);
int jrunc_getpid(void);

/* kill(2): 0 or -errno. */
int jrunc_kill(int pid, int sig);

/* close(2): 0 or -errno. */
int jrunc_close(int fd);

/* socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC): fds[0], fds[1]; 0 or -errno. */
int jrunc_seqpacket_pair(int *fds);

/*
 * posix_spawn(3) of path with exactly argv and envp (both NULL-terminated): the child's fd i is
 * the caller's fd fd_map[i] (i < n), or closed where fd_map[i] is -1; every fd from n up is
 * closed, close-on-exec or not. Correct whatever the numbers: each source is first dup2'ed to a
 * scratch fd above every source and target, then onto its target, so a source may equal another
 * target (a swap {4, 3} onto 3, 4 works). Signal mask emptied and every disposition reset to
 * default in the child (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF). The child's pid, or
 * -errno (also when the exec or a file action failed in the child: posix_spawn reports it, and
 * reaps that child); -EBADF for a source below -1.
 */
int jrunc_spawn(const char *path, char *const *argv, char *const *envp, const int *fd_map, int n);

/*
 * waitpid(2) for pid, EINTR retried; nohang != 0 adds WNOHANG. pid when the child changed state
 * (its raw wait status stored in *status); 0 when nohang and it has not changed state yet
 * (*status untouched); -errno (-ECHILD: not, or no longer, our child).
 */
int jrunc_waitpid(int pid, int nohang, int *status);

/* read(2) of at most len bytes into buf, EINTR retried: the count (0 at EOF) or -errno. */
int jrunc_read(int fd, char *buf, int len);

/*
 * Writes all len bytes of buf, EINTR and partial writes retried: 0 or -errno. Never raises
 * SIGPIPE: a socket is written with send(MSG_NOSIGNAL); anything else with SIGPIPE blocked in
 * the calling thread (and a SIGPIPE the write raised consumed), so a gone reader is -EPIPE.
 * On a SEQPACKET socket the buffer is one message.
 */
int jrunc_write(int fd, const char *buf, int len);

/* memfd_create(2) with MFD_CLOEXEC | MFD_ALLOW_SEALING: the fd, or -errno. */
int jrunc_memfd_create(const char *name);

/* fcntl(F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE): 0 or -errno. */
int jrunc_seal_memfd(int fd);

/*
 * mkfifo(3), then fchmodat(2) to exactly mode (the umask does not apply): 0 or -errno; -EINVAL
 * for bits outside 07777. If the chmod fails the fifo is removed again.
 */
int jrunc_mkfifo(const char *path, unsigned int mode);

/* open(2) with flags | O_CLOEXEC and mode 0, EINTR retried: the fd, or -errno. */
int jrunc_open(const char *path, int flags);

/*
 * seccomp (jrunc_seccomp.c). jrunc_seccomp_compile builds a classic BPF program with libseccomp
 * (seccomp_init, seccomp_arch_add, seccomp_rule_add_array, seccomp_export_bpf) from a flat
 * little-endian encoding made by dev.jrunc.plan.SeccompCompiler:
 *   u32 default action (SCMP_ACT_* value, errno/trace data included), u32 attributes
 *   (JRUNC_SC_ATTR_*), u32 count + count NUL-terminated libseccomp arch names ("x86_64"),
 *   u32 count + count rules: u32 action, NUL-terminated syscall name, u32 nargs (<= 6),
 *   nargs x (u32 index, u32 SCMP_CMP_* op, u64 value, u64 value_two); then u32 count + count
 *   NUL-terminated syscall names: every name the profile has, for the -ENOSYS stub.
 * A syscall name libseccomp does not know is skipped (as runc does). With
 * JRUNC_SC_ATTR_ENOSYS_STUB, runc's stub goes in front of libseccomp's program: per
 * architecture of the list, a syscall numbered above the highest of the names fails with ENOSYS. Writes the program (struct
 * sock_filter array) to out and returns its byte length; or -errno with where[0] the stage that
 * failed (JRUNC_SC_*) and where[1] the arch or rule index (for JRUNC_SC_SPACE: the size needed).
 */
#define JRUNC_SC_OK 0
#define JRUNC_SC_ENCODING 1     /* malformed encoding */
#define JRUNC_SC_INIT 2         /* seccomp_init refused the default action */
#define JRUNC_SC_ARCH_UNKNOWN 3 /* libseccomp does not know the arch name */
#define JRUNC_SC_ARCH 4         /* seccomp_arch_add failed */
#define JRUNC_SC_RULE 5         /* seccomp_rule_add_array failed */
#define JRUNC_SC_EXPORT 6       /* exporting the program failed */
#define JRUNC_SC_SPACE 7        /* out is smaller than where[1] bytes */
#define JRUNC_SC_ATTR_OPTIMIZE_TREE 1 /* SCMP_FLTATR_CTL_OPTIMIZE 2 (binary tree) */
#define JRUNC_SC_ATTR_ENOSYS_STUB 2   /* runc's -ENOSYS stub (patchbpf) before the program */
int jrunc_seccomp_compile(const char *filter, int len, char *out, int cap, int *where);

/* 0 when the kernel accepts the SECCOMP_FILTER_FLAG_* bits in flags (probed with a NULL program,
 * nothing is installed), else -errno (-EINVAL: unknown flag or combination). */
int jrunc_seccomp_flag_supported(unsigned int flags);

/* --- terminals and unix sockets (process.terminal, --console-socket, NOTIFY_SOCKET) --- */

/* A new unix socket (SOCK_STREAM, or SOCK_DGRAM when dgram != 0) connected to path, EINTR
 * retried: the fd, or -errno (-ENAMETOOLONG when path does not fit sun_path). */
int jrunc_connect_unix(const char *path, int dgram);

/* A new SOCK_DGRAM unix socket bound to path (the file is created, umask applies): fd or -errno. */
int jrunc_bind_unixgram(const char *path);

/* sendmsg(2) of the len bytes of buf (len >= 1) with fd attached (SCM_RIGHTS), one message:
 * 0 or -errno. Never raises SIGPIPE. */
int jrunc_send_msg_fd(int sock, const char *buf, int len, int fd);

/* recvmsg(2) of one message, at most len bytes into buf, EINTR retried: the byte count (0 at
 * EOF) or -errno; *fd is the fd that came with it (close-on-exec), or -1. A message with more
 * than one fd or truncated control data: every fd closed, -EBADMSG; a message longer than len:
 * -EMSGSIZE (and no fd). */
int jrunc_recv_msg_fd(int sock, char *buf, int len, int *fd);

/* poll(2) of one fd for events, timeout_ms (-1: forever): its revents (0 on timeout or EINTR)
 * or -errno. */
int jrunc_poll(int fd, int events, int timeout_ms);

/* pidfd_open(2) (flags 0; the fd is close-on-exec): the fd, or -errno (-ENOSYS before Linux 5.3). */
int jrunc_pidfd_open(int pid);

/* TIOCGWINSZ: rowcol[0] = rows, rowcol[1] = columns; 0 or -errno (-ENOTTY). */
int jrunc_get_winsize(int fd, int *rowcol);

/* TIOCSWINSZ with rows and columns (each 0..65535, else -EINVAL): 0 or -errno. */
int jrunc_set_winsize(int fd, int rows, int cols);

/* tcgetattr(3) into buf as opaque bytes (len must hold a struct termios, else -EINVAL): the
 * number of bytes written, or -errno (-ENOTTY: not a terminal). */
int jrunc_tcgetattr(int fd, char *buf, int len);

/* tcsetattr(3, TCSANOW) from bytes made by jrunc_tcgetattr (len must be their size): 0 or -errno. */
int jrunc_tcsetattr(int fd, const char *buf, int len);

/* Raw mode: cfmakeraw(3) of the current attributes, tcsetattr TCSANOW: 0 or -errno. */
int jrunc_set_raw(int fd);

/* Clears ONLCR (no "\n" -> "\r\n" on output), as runc does on a pty master: 0 or -errno. */
int jrunc_clear_onlcr(int fd);

/* A new pty pair: fds[0] the master (/dev/ptmx, unlocked), fds[1] its slave, both O_NOCTTY and
 * close-on-exec: 0 or -errno. */
int jrunc_openpty(int *fds);

/* --- bpf(2) for cgroup v2 device rules (jrunc_bpf.c); every fd made is close-on-exec --- */

/* BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program: len bytes of struct bpf_insn (8 each)
 * with the license string. The program's fd, or -errno (-EINVAL for len not a positive multiple
 * of 8). -EPERM is retried once with RLIMIT_MEMLOCK raised (kernels before 5.11). On failure,
 * when log_size > 1, the program is loaded again with the verifier's log into log (NUL-terminated,
 * cut to log_size); the result is still the first failure's. */
int jrunc_bpf_prog_load_cgroup_device(const char *insns, int len, const char *license, char *log, int log_size);

/* BPF_PROG_QUERY (BPF_CGROUP_DEVICE) of the cgroup directory cgroup_fd: the number of programs
 * attached to it, with up to cap of their ids in ids; a result above cap means not all fit (ask
 * again with a larger array). -errno on failure. */
int jrunc_bpf_query_cgroup_device(int cgroup_fd, int *ids, int cap);

/* BPF_PROG_GET_FD_BY_ID: an fd of the program with that id, or -errno. */
int jrunc_bpf_prog_get_fd_by_id(int id);

/* BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) of prog_fd to the cgroup directory
 * cgroup_fd; with replace_fd >= 0 also BPF_F_REPLACE of the attached program replace_fd, in one
 * step (kernel 5.6+). 0 or -errno. */
int jrunc_bpf_attach_cgroup_device(int cgroup_fd, int prog_fd, int replace_fd);

/* BPF_PROG_DETACH (BPF_CGROUP_DEVICE) of prog_fd from the cgroup directory cgroup_fd: 0 or -errno. */
int jrunc_bpf_detach_cgroup_device(int cgroup_fd, int prog_fd);

#endif
