package dev.jrunc.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only regular files, and bounded reads: never a blocked open or an endless read. */
class JsonFileTest {
    @Test
    void aRegularFileIsReadThroughASymlink(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{}");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
        assertArrayEquals("{}".getBytes(), JsonFile.read(link));
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        // /dev/zero never ends: a read of it would grow memory until killed
        JsonFile.Refused e = assertThrows(JsonFile.Refused.class, () -> JsonFile.read(Path.of("/dev/zero")));
        assertEquals("not a regular file", e.getMessage());
    }

    @Test
    void aSymlinkToADeviceIsRefused(@TempDir Path dir) throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("config.json"), Path.of("/dev/zero"));
        assertEquals("not a regular file", assertThrows(JsonFile.Refused.class, () -> JsonFile.read(link)).getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("config.json");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mk.waitFor());
        // an open of a fifo with no writer would block forever
        assertEquals("not a regular file", assertThrows(JsonFile.Refused.class, () -> JsonFile.read(fifo)).getMessage());
    }

    @Test
    void aDirectoryIsRefused(@TempDir Path dir) {
        assertEquals("is a directory", assertThrows(JsonFile.Refused.class, () -> JsonFile.read(dir)).getMessage());
    }

    @Test
    void aMissingFileIsNoSuchFile(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> JsonFile.read(dir.resolve("none")));
    }

    @Test
    void aFileLargerThanTheLimitIsRefused(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.json");
        try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), JsonFile.MAX_BYTES); // sparse
        }
        assertEquals("larger than 16 MiB", assertThrows(JsonFile.Refused.class, () -> JsonFile.read(big)).getMessage());
    }

    @Test
    void anEndlessStreamIsCutAtTheLimit() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) ' ');
                return len;
            }
        };
        assertEquals("larger than 16 MiB", assertThrows(JsonFile.Refused.class, () -> JsonFile.bounded(endless)).getMessage());
    }

    @Test
    void aSmallStreamIsReadWhole() throws IOException {
        assertArrayEquals("{\"a\":1}".getBytes(), JsonFile.bounded(new ByteArrayInputStream("{\"a\":1}".getBytes())));
    }
}
