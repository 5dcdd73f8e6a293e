package dev.jrunc.sys;

/** The errno values jrunc acts on, with strerror(3)'s wording (as Go's syscall.Errno prints it). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EPIPE = 32;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int EMSGSIZE = 90;
    public static final int ECONNREFUSED = 111;
    public static final int EBADMSG = 74;
    public static final int ECONNRESET = 104;
    public static final int ENAMETOOLONG = 36;

    private Errno() {}

    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case ESRCH -> "no such process";
            case EINTR -> "interrupted system call";
            case EIO -> "input/output error";
            case ENXIO -> "no such device or address";
            case ENOEXEC -> "exec format error";
            case EBADF -> "bad file descriptor";
            case ECHILD -> "no child processes";
            case EAGAIN -> "resource temporarily unavailable";
            case ENOMEM -> "cannot allocate memory";
            case EACCES -> "permission denied";
            case EFAULT -> "bad address";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "file exists";
            case ENOTDIR -> "not a directory";
            case EINVAL -> "invalid argument";
            case ENOTTY -> "inappropriate ioctl for device";
            case EPIPE -> "broken pipe";
            case ENOSPC -> "no space left on device";
            case ENAMETOOLONG -> "file name too long";
            case EMSGSIZE -> "message too long";
            case ENOSYS -> "function not implemented";
            case ECONNREFUSED -> "connection refused";
            case EBADMSG -> "bad message";
            case ECONNRESET -> "connection reset by peer";
            default -> "errno " + errno;
        };
    }
}
