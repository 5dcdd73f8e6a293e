package dev.jrunc.state;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.sys.IoErrors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The containers under a state root ({@code --root}): one directory per container id holding
 * {@code state.json} (replaced atomically: written to a temporary file, then renamed), the
 * {@code exec.fifo} while the container is {@code created}, and {@code lock}, which every
 * command that changes the container holds with flock for its duration.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String EXEC_FIFO = "exec.fifo";
    private static final String LOCK_FILE = "lock";
    private static final String HOOKS_FILE = "hooks.json";

    private final Path root;

    public StateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The directory of a container; the id is checked first, so no id can name a path outside the root. */
    public Path dir(String id) throws JruncException {
        return root.resolve(ContainerId.check(id));
    }

    public boolean exists(String id) throws JruncException {
        return Files.exists(dir(id).resolve(STATE_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    public Optional<ContainerRecord> find(String id) throws JruncException {
        Path file = dir(id).resolve(STATE_FILE);
        byte[] bytes;
        try {
            // never a link, fifo or device (a state.json replaced by a link to /dev/zero must not hang list)
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > dev.jrunc.json.JsonFile.MAX_BYTES) {
                throw new CorruptState(file, attrs.isRegularFile() ? "too large" : "not a regular file", null);
            }
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = dev.jrunc.json.JsonFile.bounded(in);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
        ContainerRecord record;
        try {
            record = StateCodec.read(bytes);
        } catch (IOException e) {
            throw new CorruptState(file, IoErrors.reason(e), e);
        }
        if (!record.id().equals(id)) {
            throw new CorruptState(file, "member \"id\" is \"" + record.id() + "\", not the container's id", null);
        }
        return Optional.of(record);
    }

    /** A state.json that exists but cannot be read as a container's state: the message names the file and why. */
    public static final class CorruptState extends JruncException {
        private static final long serialVersionUID = 1L;

        CorruptState(Path file, String reason, Throwable cause) {
            super("corrupt state file " + file + ": " + reason, cause);
        }
    }

    /** The record of an existing container, or runc's "does not exist" error. */
    public ContainerRecord load(String id) throws JruncException {
        return find(id).orElseThrow(() -> new JruncException("container \"" + id + "\" does not exist"));
    }

    /**
     * Makes the state directory of a new container (mode 0711, as runc); fails when the id is
     * taken. The root is created (0700) when missing.
     */
    public Path create(String id) throws JruncException {
        Path dir = dir(id);
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
            return dir;
        } catch (FileAlreadyExistsException e) {
            throw new JruncException("container with given ID already exists: " + id);
        } catch (AccessDeniedException e) {
            throw new JruncException("cannot create state directory " + dir + ": permission denied", e);
        } catch (IOException e) {
            throw new JruncException("cannot create state directory " + dir + ": " + IoErrors.message(e), e);
        }
    }

    /** Replaces state.json atomically: a reader sees the old or the new record, never a torn one. */
    public void save(ContainerRecord record) throws JruncException {
        Path dir = dir(record.id());
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try {
            Files.write(tmp, StateCodec.write(record));
            Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JruncException("cannot write state of " + record.id() + ": " + IoErrors.message(e), e);
        }
    }

    /**
     * Keeps the config's hooks for start (poststart) and delete (poststop) in {@code hooks.json},
     * written only when there are any, so that containers without hooks never load databind.
     */
    public void saveHooks(String id, Hooks hooks) throws JruncException {
        if (hooks == null) {
            return;
        }
        try {
            Files.write(dir(id).resolve(HOOKS_FILE), Json.mapper().writeValueAsBytes(hooks));
        } catch (IOException e) {
            throw new JruncException("cannot write hooks of " + id + ": " + IoErrors.message(e), e);
        }
    }

    /** The hooks saved at create, or null. */
    public Hooks loadHooks(String id) throws JruncException {
        Path file = dir(id).resolve(HOOKS_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), Hooks.class);
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
        }
    }

    /** Removes the container's directory and everything in it; a missing directory is not an error. */
    public void remove(String id) throws JruncException {
        Path dir = dir(id);
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new JruncException("cannot remove state directory " + dir + ": " + IoErrors.message(e), e);
        }
    }

    /** The ids of every container under the root, sorted; an absent root has none. */
    public List<String> ids() throws JruncException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (ContainerId.isValid(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    ids.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new JruncException("cannot read state root " + root + ": " + IoErrors.reason(e), e);
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Takes the container's flock (blocking); close the result to release it. The lock file
     * lives in the state directory, so it disappears with the container.
     */
    public ContainerLock lock(String id) throws JruncException {
        Path file = dir(id).resolve(LOCK_FILE);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new ContainerLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new JruncException("container \"" + id + "\" does not exist");
        } catch (IOException e) {
            throw new JruncException("cannot lock container " + id + ": " + IoErrors.message(e), e);
        }
    }

    /** A held container lock. */
    public record ContainerLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // the lock goes with the descriptor; nothing else to undo
            }
        }
    }
}
