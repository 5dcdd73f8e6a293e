package dev.jrunc.sys;

import dev.jrunc.sys.ffm.FfmSyscalls;

/**
 * {@link SyscallsContract} against the FFM binding in a JVM of its own (started by
 * {@code SyscallsContractTest} with umask 077), where the checks that insist on the umask run too. Prints one {@code PASS|FAIL check[: detail]} line
 * per check; exits 1 if any failed.
 *
 * <p>usage: {@code FfmContractMain EUID} (what {@code id -u} says).
 */
public final class FfmContractMain {
    private FfmContractMain() {}

    public static void main(String[] args) {
        var expected = new SyscallsContract.Expected(Integer.parseInt(args[0]), true);
        boolean ok = true;
        for (SyscallsContract.Result r : SyscallsContract.run(binding(), expected)) {
            System.out.println(r.toString().replace('\n', ' '));
            ok &= r.passed();
        }
        System.exit(ok ? 0 : 1);
    }

    /** The library the test JVM forwarded as {@code -Djrunc.native.lib}, else the default one. */
    private static FfmSyscalls binding() {
        String library = System.getProperty(FfmSyscalls.LIBRARY_PROPERTY);
        return new FfmSyscalls(FfmSyscalls.locateLibrary(library == null || library.isBlank() ? null : java.nio.file.Path.of(library)));
    }
}
