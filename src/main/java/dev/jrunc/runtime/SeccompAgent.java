package dev.jrunc.runtime;

import dev.jrunc.JruncException;
import dev.jrunc.Version;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Seccomp;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.sys.Errno;
import dev.jrunc.sys.ErrnoException;
import dev.jrunc.sys.IoErrors;
import dev.jrunc.sys.Syscalls;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The seccomp agent at a filter's {@code listenerPath}: it receives the listener fd of a filter
 * with SCMP_ACT_NOTIFY together with the container process state (runtime-spec
 * "containerProcessState"), in one message, as runc sends it for the container's init and for
 * every exec'd process.
 */
final class SeccompAgent {
    private SeccompAgent() {
    }

    /**
     * What to do with the listener fd; null when the filter has no listenerPath.
     *
     * @param status     the container's status in the state ("creating" at create, "running" at exec)
     * @param processPid the pid of the process whose filter it is (read when the fd arrives)
     */
    static SyncChannel.ListenerHandler handler(Syscalls sys, Seccomp seccomp, ContainerRecord record, String status,
                                               IntSupplier processPid) {
        if (seccomp == null || seccomp.listenerPath() == null || seccomp.listenerPath().isEmpty()) {
            return null;
        }
        String path = seccomp.listenerPath();
        return fd -> {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("ociVersion", Version.OCI_SPEC);
            state.put("id", record.id());
            state.put("status", status);
            state.put("pid", record.pid());
            state.put("bundle", record.bundle());
            if (record.annotations() != null && !record.annotations().isEmpty()) {
                state.put("annotations", record.annotations());
            }
            Map<String, Object> processState = new LinkedHashMap<>();
            processState.put("ociVersion", Version.OCI_SPEC);
            processState.put("fds", List.of("seccompFd"));
            processState.put("pid", processPid.getAsInt());
            if (seccomp.listenerMetadata() != null && !seccomp.listenerMetadata().isEmpty()) {
                processState.put("metadata", seccomp.listenerMetadata());
            }
            processState.put("state", state);
            byte[] json;
            try {
                json = Json.mapper().writeValueAsBytes(processState);
            } catch (IOException e) {
                throw new JruncException("cannot encode the container process state: " + IoErrors.reason(e), e);
            }
            try {
                sys.unixSendFd(path, json, fd);
            } catch (ErrnoException e) {
                int errno = e.errno();
                if (errno == Errno.ENOENT || errno == Errno.ECONNREFUSED || errno == Errno.EACCES) {
                    throw new JruncException("failed to connect with seccomp agent specified in the seccomp profile: dial unix "
                            + path + ": connect: " + Errno.describe(errno), e);
                }
                throw new JruncException("failed to send seccomp fd " + fd + ": " + e.getMessage(), e);
            }
        };
    }
}
