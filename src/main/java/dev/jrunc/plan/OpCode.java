package dev.jrunc.plan;

/**
 * The opcodes of the init plan, with the argument signature each one carries ({@code i} a
 * 64-bit int, {@code s} a string, {@code l} a string list, {@code b} a byte blob). The C side
 * holds the same table in {@code src/main/c/init/ops.def} (its decoder table, handler
 * prototypes and dispatch are generated from it); OpTableTest fails when the two differ in any
 * code, name or signature.
 */
public enum OpCode {
    CLONE(0x01, "i"),
    JOIN_NS(0x02, "si"),
    UNSHARE(0x03, "i"),
    SYNC_WAIT(0x04, ""),
    SYNC_READY(0x05, ""),
    SETHOSTNAME(0x06, "s"),
    SETDOMAINNAME(0x07, "s"),
    SYNC_HOOKS(0x08, ""),
    MOUNT_PROPAGATION(0x10, "si"),
    PARENT_MOUNT_PRIVATE(0x11, "s"),
    ROOTFS_BIND(0x12, "s"),
    MOUNT(0x13, "sssiisiiii"),
    MKNOD(0x14, "siiiiis"),
    SYMLINK(0x15, "ssi"),
    PIVOT_ROOT(0x16, ""),
    MOVE_ROOT(0x17, ""),
    MASK_PATH(0x18, "s"),
    READONLY_PATH(0x19, "si"),
    SYSCTL(0x1a, "ss"),
    BIND_SOURCES(0x1b, "l"),
    RLIMIT(0x20, "siii"),
    NO_NEW_PRIVS(0x21, ""),
    CAP_BOUNDING(0x22, "i"),
    SET_USER(0x23, "iibi"),
    CAPS(0x24, "iii"),
    CAP_AMBIENT(0x25, "i"),
    UMASK(0x26, "i"),
    CHDIR(0x27, "si"),
    LOOKUP_EXEC(0x28, "ss"),
    WAIT_FIFO(0x29, "ii"),
    CLOSE_FDS(0x2a, "i"),
    EXEC(0x2b, "ll"),
    DEFAULT_HOME(0x2c, "i"),
    CONSOLE(0x30, "iii"),
    SECCOMP(0x31, "iib"),
    HOOK(0x32, "sllissi"),
    IDMAP_MOUNT(0x33, "iissssiii"),
    TIMENS_OFFSETS(0x34, "s"),
    OOM_SCORE_ADJ(0x35, "i"),
    SCHEDULER(0x36, "iiiiiii"),
    IOPRIO(0x37, "i"),
    PERSONALITY(0x38, "i"),
    CPU_AFFINITY(0x39, "b"),
    APPARMOR(0x3a, "s"),
    SELINUX_LABEL(0x3b, "s"),
    EXEC_CONSOLE(0x40, "iii");

    private final int code;
    private final String signature;

    OpCode(int code, String signature) {
        this.code = code;
        this.signature = signature;
    }

    public int code() {
        return code;
    }

    /** The argument types in order. */
    public String signature() {
        return signature;
    }

    /** The name as the C side prints it: lower case. */
    public String cName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
