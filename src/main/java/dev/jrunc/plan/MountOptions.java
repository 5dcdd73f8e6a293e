package dev.jrunc.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Translates a mount's option strings into MS_* flags, propagation, mount_setattr attributes and data, as runc does. */
public final class MountOptions {
    static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_SILENT = 32768,
            MS_UNBINDABLE = 1 << 17, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20,
            MS_RELATIME = 1 << 21, MS_I_VERSION = 1 << 23, MS_STRICTATIME = 1 << 24, MS_LAZYTIME = 1 << 25;
    static final long ATTR_RDONLY = 1, ATTR_NOSUID = 2, ATTR_NODEV = 4, ATTR_NOEXEC = 8, ATTR__ATIME = 0x70,
            ATTR_RELATIME = 0, ATTR_NOATIME = 0x10, ATTR_STRICTATIME = 0x20, ATTR_NODIRATIME = 0x80,
            ATTR_NOSYMFOLLOW = 0x200000;

    /** {clear, flag}: clear = 1 when the option removes the flag. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("ro", new long[] {0, MS_RDONLY}), Map.entry("rw", new long[] {1, MS_RDONLY}),
            Map.entry("nosuid", new long[] {0, MS_NOSUID}), Map.entry("suid", new long[] {1, MS_NOSUID}),
            Map.entry("nodev", new long[] {0, MS_NODEV}), Map.entry("dev", new long[] {1, MS_NODEV}),
            Map.entry("noexec", new long[] {0, MS_NOEXEC}), Map.entry("exec", new long[] {1, MS_NOEXEC}),
            Map.entry("sync", new long[] {0, MS_SYNCHRONOUS}), Map.entry("async", new long[] {1, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {0, MS_DIRSYNC}), Map.entry("remount", new long[] {0, MS_REMOUNT}),
            Map.entry("mand", new long[] {0, MS_MANDLOCK}), Map.entry("nomand", new long[] {1, MS_MANDLOCK}),
            Map.entry("noatime", new long[] {0, MS_NOATIME}), Map.entry("atime", new long[] {1, MS_NOATIME}),
            Map.entry("nodiratime", new long[] {0, MS_NODIRATIME}), Map.entry("diratime", new long[] {1, MS_NODIRATIME}),
            Map.entry("bind", new long[] {0, MS_BIND}), Map.entry("rbind", new long[] {0, MS_BIND | MS_REC}),
            Map.entry("relatime", new long[] {0, MS_RELATIME}), Map.entry("norelatime", new long[] {1, MS_RELATIME}),
            Map.entry("strictatime", new long[] {0, MS_STRICTATIME}), Map.entry("nostrictatime", new long[] {1, MS_STRICTATIME}),
            Map.entry("silent", new long[] {0, MS_SILENT}), Map.entry("loud", new long[] {1, MS_SILENT}),
            Map.entry("iversion", new long[] {0, MS_I_VERSION}), Map.entry("noiversion", new long[] {1, MS_I_VERSION}),
            Map.entry("lazytime", new long[] {0, MS_LAZYTIME}), Map.entry("nolazytime", new long[] {1, MS_LAZYTIME}),
            Map.entry("nosymfollow", new long[] {0, MS_NOSYMFOLLOW}), Map.entry("symfollow", new long[] {1, MS_NOSYMFOLLOW}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    private static final Map<String, long[]> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new long[] {0, ATTR_RDONLY}), Map.entry("rrw", new long[] {1, ATTR_RDONLY}),
            Map.entry("rnosuid", new long[] {0, ATTR_NOSUID}), Map.entry("rsuid", new long[] {1, ATTR_NOSUID}),
            Map.entry("rnodev", new long[] {0, ATTR_NODEV}), Map.entry("rdev", new long[] {1, ATTR_NODEV}),
            Map.entry("rnoexec", new long[] {0, ATTR_NOEXEC}), Map.entry("rexec", new long[] {1, ATTR_NOEXEC}),
            Map.entry("rnodiratime", new long[] {0, ATTR_NODIRATIME}), Map.entry("rdiratime", new long[] {1, ATTR_NODIRATIME}),
            Map.entry("rrelatime", new long[] {0, ATTR_RELATIME}), Map.entry("rnorelatime", new long[] {1, ATTR_RELATIME}),
            Map.entry("rnoatime", new long[] {0, ATTR_NOATIME}), Map.entry("ratime", new long[] {1, ATTR_NOATIME}),
            Map.entry("rstrictatime", new long[] {0, ATTR_STRICTATIME}), Map.entry("rnostrictatime", new long[] {1, ATTR_STRICTATIME}),
            Map.entry("rnosymfollow", new long[] {0, ATTR_NOSYMFOLLOW}), Map.entry("rsymfollow", new long[] {1, ATTR_NOSYMFOLLOW}));

    /** Every mount option the compiler understands (features.json lists them), sorted. */
    public static java.util.List<String> known() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        all.addAll(RECURSIVE.keySet());
        all.add(TMPCOPYUP);
        return java.util.List.copyOf(all);
    }

    /** Options runc understands that this slice does not implement yet: refused, never ignored. */
    private static final List<String> UNSUPPORTED = List.of("idmap", "ridmap");

    /** runc's and crun's extension: copy the covered directory's content into a new tmpfs. */
    static final String TMPCOPYUP = "tmpcopyup";

    long flags;
    long propagation;
    long attrSet;
    long attrClr;
    boolean copyUp;
    final List<String> data = new ArrayList<>();

    static MountOptions parse(List<String> options, String where) throws PlanException {
        MountOptions m = new MountOptions();
        for (String o : options == null ? List.<String>of() : options) {
            long[] f = FLAGS.get(o);
            long[] r = RECURSIVE.get(o);
            Long p = PROPAGATION.get(o);
            if (f != null) {
                m.flags = f[0] == 1 ? m.flags & ~f[1] : m.flags | f[1];
            } else if (p != null) {
                m.propagation = p; // the kernel takes one propagation type per call: the last one wins
            } else if (r != null) {
                if (r[0] == 1) {
                    m.attrClr |= r[1];
                } else {
                    m.attrSet |= r[1];
                    if ((r[1] & ATTR__ATIME) == r[1]) {
                        m.attrClr |= ATTR__ATIME;
                    }
                }
            } else if (o.equals(TMPCOPYUP)) {
                m.copyUp = true;
            } else if (UNSUPPORTED.contains(o)) {
                throw new PlanException(where + ": mount option \"" + o + "\" is not supported yet");
            } else {
                m.data.add(o);
            }
        }
        return m;
    }
}
