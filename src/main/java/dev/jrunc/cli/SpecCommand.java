package dev.jrunc.cli;

import dev.jrunc.api.Jrunc;
import dev.jrunc.spec.SpecGenerator;
import dev.jrunc.sys.Native;
import dev.jrunc.sys.Syscalls;
import dev.jrunc.state.ProcStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jrunc spec [--bundle DIR] [--rootless]}: writes a starting config.json, never over an existing one. */
@Command(name = "spec", description = {"create a new specification file", 
        "The spec command writes a starter specification file named \"config.json\" for a bundle." + "\n"
        + "" + "\n"
        + "Edit it to run what you need: its args parameter runs \"sh\", which a busybox or a" + "\n"
        + "distribution image has and many others do not." + "\n"
        + "" + "\n"
        + "EXAMPLE:" + "\n"
        + "  To run the image of docker's hello-world in a container named \"hello1\":" + "\n"
        + "" + "\n"
        + "    mkdir -p hello/rootfs && cd hello" + "\n"
        + "    docker export $(docker create hello-world) | tar -C rootfs -xf -" + "\n"
        + "    jrunc spec" + "\n"
        + "    sed -i 's;\"sh\";\"/hello\";' config.json" + "\n"
        + "    jrunc run hello1" + "\n"
        + "" + "\n"
        + "With --rootless the spec runs as an unprivileged user (a user namespace mapping it)."})
final class SpecCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", description = "path to the root of the bundle directory")
    String bundle;

    @Option(names = "--rootless", description = "generate a configuration for a rootless container")
    boolean rootless;

    @Override
    public Integer call() throws Exception {
        // no state root: an unprivileged user without XDG_RUNTIME_DIR can write a config too
        Syscalls sys = Native.syscalls();
        Path dir = Path.of(bundle == null || bundle.isEmpty() ? "." : bundle).toAbsolutePath().normalize();
        SpecGenerator.write(dir, Jrunc.defaultSpec(rootless, sys.geteuid(), ProcStatus.effectiveGid(Path.of("/proc"))));
        return 0;
    }
}
