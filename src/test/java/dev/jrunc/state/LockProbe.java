package dev.jrunc.state;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a second JVM by {@link StateStoreTest}: prints "locked" or "busy" for the given lock file. */
public final class LockProbe {
    private LockProbe() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            System.out.println(lock == null ? "busy" : "locked");
        }
    }
}
