package dev.jrunc.cli;

import dev.jrunc.JruncException;
import dev.jrunc.sys.IoErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jrunc ps [--format table|json] ID [PS-ARGS...]}, as runc: json is the array of the
 * pids in the container's cgroup ({@code null} when none); table runs the host's
 * {@code ps PS-ARGS} ({@code -ef} by default) and prints its header and the rows whose PID
 * column is one of them.
 */
@Command(name = "ps", description = "ps displays the processes running inside a container")
final class PsCommand implements Callable<Integer> {
    @ParentCommand
    JruncCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "select one of: table or json (default: \"table\")")
    String format;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<ps options>")
    List<String> psArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Integer> pids = parent.jrunc().processes(id);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> {
                out.println(pids.isEmpty() ? "null"
                        : pids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")));
                out.flush();
                return 0;
            }
            case "table" -> { }
            default -> throw new JruncException("invalid format option");
        }
        out.print(filter(runPs(psArgs.isEmpty() ? List.of("-ef") : psArgs), new HashSet<>(pids)));
        out.flush();
        return 0;
    }

    private static String runPs(List<String> args) throws JruncException {
        List<String> command = new ArrayList<>();
        command.add("ps");
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            p.getInputStream().transferTo(buf);
            int status = p.waitFor();
            String output = buf.toString(StandardCharsets.UTF_8);
            if (status != 0) {
                throw new JruncException("exit status " + status + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new JruncException("exec: \"ps\": " + IoErrors.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while running ps");
        }
    }

    /** The header line and the lines whose PID field is in {@code pids}. */
    static String filter(String psOutput, Set<Integer> pids) throws JruncException {
        String[] lines = psOutput.split("\n", -1);
        List<String> header = List.of(lines[0].trim().split("\\s+"));
        int pidIndex = header.indexOf("PID");
        if (pidIndex < 0) {
            throw new JruncException("couldn't find PID field in ps output");
        }
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            String[] fields = lines[i].trim().split("\\s+");
            int pid;
            try {
                pid = Integer.parseInt(fields[pidIndex]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new JruncException("unable to parse pid: " + e.getMessage());
            }
            if (pids.contains(pid)) {
                out.append(lines[i]).append('\n');
            }
        }
        return out.toString();
    }
}
