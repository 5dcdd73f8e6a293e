package dev.jrunc.cgroups.v2;

import dev.jrunc.JruncException;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts a device program ({@link DeviceFilter}) on a cgroup v2 directory as runc's
 * LoadAttachCgroupDeviceFilter does: load it (BPF_PROG_LOAD), find the device programs attached
 * there already (BPF_PROG_QUERY), then attach it with BPF_F_ALLOW_MULTI; when exactly one was
 * attached it is replaced in the same step (BPF_F_REPLACE), else the new one is added and every
 * old one detached afterwards, so the cgroup is never without a program on the way. Programs
 * jrunc may not open (an LSM's) are left alone, as runc does. The program's fd is closed at the
 * end: the attachment keeps the program alive until it is detached or the cgroup removed.
 */
public final class DeviceProgram {
    private DeviceProgram() {}

    private static final int O_RDONLY = 0, O_DIRECTORY = 0200000;
    /** The kernel allows 64 programs per attach point; a query asks again when more came. */
    private static final int QUERY_SIZE = 64;

    /** Loads {@code program} and attaches it to the cgroup directory {@code dir}, replacing the device programs there. */
    public static void apply(Syscalls sys, Path dir, byte[] program) throws JruncException {
        int prog = load(sys, program);
        try {
            int cgroup;
            try {
                cgroup = sys.open(dir.toString(), O_DIRECTORY | O_RDONLY);
            } catch (ErrnoException e) {
                throw new JruncException("cannot get dir FD for " + dir + ": " + Errno.describe(e.errno()), e);
            }
            try {
                attach(sys, cgroup, prog);
            } finally {
                closeQuietly(sys, cgroup);
            }
        } finally {
            closeQuietly(sys, prog);
        }
    }

    /** BPF_PROG_LOAD; a refusal names the verifier and carries its log. */
    public static int load(Syscalls sys, byte[] program) throws JruncException {
        StringBuilder log = new StringBuilder();
        try {
            return sys.bpfLoadCgroupDeviceProgram(program, DeviceFilter.LICENSE, log);
        } catch (ErrnoException e) {
            String text = log.toString().strip();
            throw new JruncException("load program: " + Errno.describe(e.errno())
                    + (text.isEmpty() ? "" : ": the BPF verifier refused the cgroup device program: " + text), e);
        }
    }

    private static void attach(Syscalls sys, int cgroup, int prog) throws JruncException {
        List<Integer> old = openAttached(sys, cgroup);
        try {
            if (old.size() == 1) {
                try {
                    sys.bpfAttachCgroupDevice(cgroup, prog, old.get(0));
                    return;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINVAL) {
                        throw attachFailed(e);
                    }
                    // a kernel before 5.6 has no BPF_F_REPLACE: add, then detach the old one
                }
            }
            try {
                sys.bpfAttachCgroupDevice(cgroup, prog, -1);
            } catch (ErrnoException e) {
                throw attachFailed(e);
            }
            for (int fd : old) {
                try {
                    sys.bpfDetachCgroupDevice(cgroup, fd);
                } catch (ErrnoException e) {
                    throw new JruncException("failed to call BPF_PROG_DETACH (BPF_CGROUP_DEVICE) on old filter program: "
                            + Errno.describe(e.errno()), e);
                }
            }
        } finally {
            for (int fd : old) {
                closeQuietly(sys, fd);
            }
        }
    }

    private static JruncException attachFailed(ErrnoException e) {
        return new JruncException("failed to call BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI): " + Errno.describe(e.errno()), e);
    }

    /** Fds of the device programs attached to the cgroup (those jrunc may not open skipped). */
    static List<Integer> openAttached(Syscalls sys, int cgroup) throws JruncException {
        int[] ids = attachedIds(sys, cgroup);
        List<Integer> fds = new ArrayList<>();
        try {
            for (int id : ids) {
                try {
                    fds.add(sys.bpfProgramFd(id));
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.ENOENT || e.errno() == Errno.EPERM || e.errno() == Errno.EACCES) {
                        continue; // gone meanwhile, or an LSM keeps it from us: it can only restrict more
                    }
                    throw new JruncException("cannot fetch program from id: " + Errno.describe(e.errno()), e);
                }
            }
        } catch (JruncException e) {
            fds.forEach(fd -> closeQuietly(sys, fd));
            throw e;
        }
        return fds;
    }

    /** The ids of the device programs attached to the cgroup (BPF_PROG_QUERY, asked again while they do not fit). */
    public static int[] attachedIds(Syscalls sys, int cgroup) throws JruncException {
        int[] ids = new int[QUERY_SIZE];
        for (int attempt = 0; attempt < 10; attempt++) {
            int n;
            try {
                n = sys.bpfQueryCgroupDevice(cgroup, ids);
            } catch (ErrnoException e) {
                throw new JruncException("bpf_prog_query(BPF_CGROUP_DEVICE) failed: " + Errno.describe(e.errno()), e);
            }
            if (n <= ids.length) {
                return Arrays.copyOf(ids, n);
            }
            ids = new int[n];
        }
        throw new JruncException("could not get complete list of CGROUP_DEVICE programs");
    }

    private static void closeQuietly(Syscalls sys, int fd) {
        try {
            sys.close(fd);
        } catch (ErrnoException e) {
            // nothing to do
        }
    }
}
