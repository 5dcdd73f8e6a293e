package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Spawns jrunc-init with its plan, for {@code create} and {@code exec}. The init gets exactly:
 * stdio (0-2), the preserved fds 3..3+N-1, the plan (a memfd) at 3+N, its end of the sync socket
 * at 4+N, the caller's extra fds from 5+N on (create: the exec fifo), then the sealed memfd copy
 * of itself it is executed from (CVE-2019-5736; named by _JRUNC_EXE_FD, which the init closes
 * at once). jrunc keeps only its end of the sync socket:
 * the plan, the init's end and the executable are closed once it runs, so that EOF on the socket
 * means the init is gone.
 */
final class InitLauncher {
    /** A started init: its pid (a child of jrunc) and jrunc's end of the sync socket. */
    record Launched(int pid, int syncFd) {}

    private InitLauncher() {}

    /** Where the init finds its plan. */
    static int planTarget(int preserveFds) {
        return 3 + preserveFds;
    }

    /** Where the init finds the first of the caller's extra fds. */
    static int extraTarget(int preserveFds) {
        return 5 + preserveFds;
    }

    static Launched launch(Syscalls sys, RuntimeEnvironment env, Path initBinary, byte[] plan, int preserveFds,
            List<Integer> extraFds) throws JruncException, ErrnoException, IOException {
        List<Integer> ours = new ArrayList<>();
        try {
            int planFd = sys.memfdCreate("jrunc-plan");
            ours.add(planFd);
            try (OutputStream out = Files.newOutputStream(env.fdPath(planFd))) {
                out.write(plan);
            }
            int[] pair = sys.seqpacketPair();
            ours.add(pair[0]);
            ours.add(pair[1]);
            int exeFd = InitBinary.sealedCopy(sys, initBinary, env.procRoot());
            ours.add(exeFd);
            int planTarget = planTarget(preserveFds);
            int syncTarget = planTarget + 1;
            int exeTarget = extraTarget(preserveFds) + extraFds.size();
            int[] fdMap = new int[exeTarget + 1];
            for (int i = 0; i < planTarget; i++) {
                fdMap[i] = i;
            }
            fdMap[planTarget] = planFd;
            fdMap[syncTarget] = pair[1];
            for (int i = 0; i < extraFds.size(); i++) {
                fdMap[extraTarget(preserveFds) + i] = extraFds.get(i);
            }
            fdMap[exeTarget] = exeFd;
            // executed through its fd in the child (after the fd map is applied): the sealed copy
            int pid = sys.spawn("/proc/self/fd/" + exeTarget, List.of("jrunc-init"),
                    List.of("_JRUNC_PLAN_FD=" + planTarget, "_JRUNC_SYNC_FD=" + syncTarget,
                            "_JRUNC_EXE_FD=" + exeTarget), fdMap);
            ours.remove(Integer.valueOf(pair[0]));
            return new Launched(pid, pair[0]);
        } finally {
            // only the init needs the others now; on failure, none is kept
            for (int fd : ours) {
                NotifySocket.closeQuietly(sys, fd); // our own fds: nothing to report
            }
        }
    }
}
