package dev.jrunc.plan;

import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's security modules as the plan compiler needs them: whether AppArmor and SELinux are
 * enabled, and the seccomp compiler (libseccomp through {@link Syscalls}). Kept apart from
 * {@link HostFacts} so that {@link PlanCompiler#compile} stays a pure function of its inputs.
 *
 * @param apparmor whether AppArmor is enabled (runc's test: /sys/kernel/security/apparmor exists
 *                 and /sys/module/apparmor/parameters/enabled starts with Y)
 * @param selinux  whether SELinux is enabled (selinuxfs mounted: /sys/fs/selinux/enforce exists)
 * @param seccomp  the seccomp compiler and the kernel's filter flags
 */
public record Security(boolean apparmor, boolean selinux, SeccompCompiler.Backend seccomp) {

    /** No LSM, no seccomp compiler: a config asking for any of them is refused. */
    public static final Security NONE = new Security(false, false, SeccompCompiler.UNAVAILABLE);

    /** This host, with libseccomp through {@code sys}. */
    public static Security probe(Syscalls sys) {
        return new Security(apparmorEnabled(Path.of("/")), selinuxEnabled(Path.of("/")), backend(sys));
    }

    static boolean apparmorEnabled(Path root) {
        if (!Files.isDirectory(root.resolve("sys/kernel/security/apparmor"))) {
            return false;
        }
        try {
            return Files.readString(root.resolve("sys/module/apparmor/parameters/enabled")).startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }

    static boolean selinuxEnabled(Path root) {
        return Files.exists(root.resolve("sys/fs/selinux/enforce"));
    }

    /** The seccomp backend over {@code sys}: jrunc_seccomp_compile and the kernel's flag probe. */
    public static SeccompCompiler.Backend backend(Syscalls sys) {
        return new SeccompCompiler.Backend() {
            @Override
            public boolean flagSupported(long flags) {
                return sys.seccompFlagSupported((int) flags);
            }

            @Override
            public byte[] compile(SeccompCompiler.Encoded filter) throws PlanException {
                int[] where = {0, -1};
                try {
                    return sys.seccompCompile(filter.bytes(), where);
                } catch (ErrnoException e) {
                    throw new PlanException(SeccompCompiler.failure(filter, where[0], where[1], Errno.describe(e.errno())));
                }
            }
        };
    }
}
