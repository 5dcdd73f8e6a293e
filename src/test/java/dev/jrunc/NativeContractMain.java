package dev.jrunc;

import dev.jrunc.build.ImageConfigContract;
import dev.jrunc.sys.SyscallsContract;
import dev.jrunc.sys.SyscallsContract.Result;
import dev.jrunc.sys.cfunction.CSyscalls;
import java.util.ArrayList;
import java.util.List;

/**
 * Main class of the test-only native image {@code target/native-contract} (built by
 * {@code make native-contract}, the same way and with the same options as {@code target/jrunc}):
 * runs {@link SyscallsContract} against the {@code @CFunction} binding and
 * {@link ImageConfigContract} inside the image, printing {@code pid N} then one
 * {@code PASS|FAIL group: check[: detail]} line per check; exits 1 if any failed.
 * {@code NativeContract} (JUnit side) runs it and turns the lines into tests.
 *
 * <p>usage: {@code native-contract EUID} (what {@code id -u} says).
 */
public final class NativeContractMain {
    private NativeContractMain() {}

    public static void main(String[] args) {
        Defaults.apply();
        // a process of its own (NativeContract starts it with umask 077)
        var expected = new SyscallsContract.Expected(Integer.parseInt(args[0]), true);
        CSyscalls sys = new CSyscalls();
        System.out.println("pid " + sys.getpid());
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (Result r : SyscallsContract.run(sys, expected)) {
            lines.add(line("syscalls", r));
            ok &= r.passed();
        }
        for (Result r : ImageConfigContract.run()) {
            lines.add(line("config", r));
            ok &= r.passed();
        }
        lines.forEach(System.out::println);
        System.exit(ok ? 0 : 1);
    }

    private static String line(String group, Result r) {
        return (r.passed() ? "PASS " : "FAIL ") + group + ": " + r.name()
                + (r.detail().isEmpty() ? "" : ": " + r.detail().replace('\n', ' '));
    }
}
