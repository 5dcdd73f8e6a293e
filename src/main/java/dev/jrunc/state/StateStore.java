package dev.jrunc.state;

import dev.jrunc.JruncException;
import dev.jrunc.json.Json;
import dev.jrunc.spec.model.Hooks;
import dev.jrunc.state.model.ContainerRecord;
import dev.jrunc.state.model.Status;
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
import java.util.List;
import java.util.Optional;

/**
 * The containers under a state root ({@code --root}): one directory per container id holding
 * {@code state.json} (written to a temporary file, then renamed), the {@code exec.fifo} while
 * the container is {@code created}, and {@code lock}, which every command that changes the
 * container holds with flock for its duration.
 *
 * <p>While {@code create} runs, the record (status {@code creating}) is {@code state.json.creating};
 * the created record then becomes {@code state.json}, and only after that is the creating one
 * removed: a reader finds one of them at every moment. Neither rename replaces a file: on ext4 a
 * rename over an existing file flushes the new file's data first (auto_da_alloc), which cost
 * create 2.5-6 ms when it replaced state.json.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String EXEC_FIFO = "exec.fifo";
    private static final String LOCK_FILE = "lock";
    private static final String HOOKS_FILE = "hooks.json";
    /** The record while create runs (status creating). */
    public static final String CREATING_FILE = STATE_FILE + ".creating";

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
        Path dir = dir(id);
        return Files.exists(dir.resolve(STATE_FILE), LinkOption.NOFOLLOW_LINKS)
                || Files.exists(dir.resolve(CREATING_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    public Optional<ContainerRecord> find(String id) throws JruncException {
        Path dir = dir(id);
        // state.json; else the record of a create in progress; else state.json once more, in
        // case that create finished between the two reads (state.json appears before the
        // creating record goes)
        Path file = dir.resolve(STATE_FILE);
        byte[] bytes = read(file);
        if (bytes == null) {
            file = dir.resolve(CREATING_FILE);
            bytes = read(file);
        }
        if (bytes == null) {
            file = dir.resolve(STATE_FILE);
            bytes = read(file);
        }
        if (bytes == null) {
            return Optional.empty();
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

    /** The bytes of a state file, or null when it does not exist. */
    /** The bytes of a state file, null when there is none; never a link, fifo or device, nor one too large. */
    private static byte[] read(Path file) throws JruncException {
        try {
            // a state.json replaced by a link to /dev/zero must not hang list
            var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > dev.jrunc.json.JsonFile.MAX_BYTES) {
                throw new CorruptState(file, attrs.isRegularFile() ? "too large" : "not a regular file", null);
            }
            try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return dev.jrunc.json.JsonFile.bounded(in);
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new JruncException("cannot read " + file + ": " + IoErrors.reason(e), e);
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

    /**
     * Writes the record atomically (a reader sees the old or the new record, never a torn one):
     * a {@code creating} one as {@code state.json.creating}, any other as {@code state.json},
     * after which the creating record, if any, is removed.
     */
    public void save(ContainerRecord record) throws JruncException {
        Path dir = dir(record.id());
        boolean creating = record.phase() == Status.CREATING;
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        try {
            Files.write(tmp, StateCodec.write(record));
            Files.move(tmp, dir.resolve(creating ? CREATING_FILE : STATE_FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            if (!creating) {
                Files.deleteIfExists(dir.resolve(CREATING_FILE));
            }
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
        try {
            removeTree(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new JruncException("cannot remove state directory " + dir + ": " + IoErrors.message(e), e);
        }
    }

    /** {@code dir} and what it holds, symlinks not followed (a loop over the entries, not Files.walk's streams). */
    private static void removeTree(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    removeTree(entry);
                } else {
                    Files.deleteIfExists(entry);
                }
            }
        }
        Files.deleteIfExists(dir);
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
