package dev.jrunc.sys;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jrunc.JruncException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns a failure (an {@link java.io.IOException}, a
 * {@link FileSystemException}, an {@link ErrnoException}, or anything wrapping one) into the
 * words runc prints: Go's {@code *PathError} layout {@code OP PATH: REASON}, with REASON the
 * strerror text as Go's {@code syscall.Errno} prints it ({@code no such file or directory},
 * {@code permission denied}, {@code no space left on device}). No Java class name ever comes
 * out of it.
 */
public final class IoErrors {
    /** How far down a chain of causes to look; a chain may loop. */
    private static final int MAX_DEPTH = 16;

    /** The JDK's ELOOP text adds this to strerror (UnixException.translateToIOException). */
    private static final String JDK_ELOOP_SUFFIX = " or unable to access attributes of symbolic link";

    /** FileInputStream and friends: {@code PATH (REASON)}. */
    private static final Pattern PATH_AND_REASON = Pattern.compile("^(.*) \\(([^()]+)\\)$");

    /** A qualified Java class name, e.g. {@code java.nio.file.NoSuchFileException} or {@code java.lang.Integer}. */
    private static final Pattern QUALIFIED = Pattern.compile("(?<![/\\w.$-])(?:[a-z_][\\w$]*\\.){2,}([A-Z][\\w$]*)");

    /** An exception's or error's simple name, with the {@code ": "} toString() puts after it. */
    private static final Pattern THROWABLE_NAME = Pattern.compile("\\b[A-Z][\\w$]*(?:Exception|Error)\\b(?::\\s*)?");

    private IoErrors() {}

    /**
     * Why {@code e} failed, in Go's words ({@code no such file or directory}); never null, never
     * empty, never a Java class name. Follows the chain of causes to the first that says why.
     */
    public static String reason(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            String r = own(t);
            if (r != null) {
                return r;
            }
        }
        return e == null ? "unknown error" : fallback(rootOf(e));
    }

    /**
     * Go's {@code *PathError}: {@code OP PATH: REASON}, e.g. {@code open /x/.pid: no such file or
     * directory}.
     */
    public static String pathError(String op, Object path, Throwable e) {
        return op + " " + path + ": " + reason(e);
    }

    /**
     * What to put where {@code e.getMessage()} was: {@code PATH: REASON} when the failure names
     * its file ({@code PATH -> OTHER: REASON} for a two-file one), the errno call's own
     * {@code CALL: REASON}, or the reason alone.
     */
    public static String message(Throwable e) {
        if (e instanceof ErrnoException) {
            return e.getMessage();
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String files = f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
            return files + ": " + reason(e);
        }
        if (e instanceof FileNotFoundException && e.getMessage() != null) {
            Matcher m = PATH_AND_REASON.matcher(e.getMessage());
            if (m.matches()) {
                return m.group(1) + ": " + reason(e);
            }
        }
        return reason(e);
    }

    /**
     * strerror(3)'s text as Go prints it: the first letter lowercased when the second is
     * lowercase ({@code No space left on device} to {@code no space left on device}; an acronym
     * such as {@code RFS specific error} stays), the JDK's additions dropped.
     */
    public static String goCase(String strerror) {
        String s = strerror.strip();
        if (s.endsWith(JDK_ELOOP_SUFFIX)) {
            s = s.substring(0, s.length() - JDK_ELOOP_SUFFIX.length());
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            s = Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }

    /**
     * Removes Java class names from a text made by a library: an exception's name and its
     * {@code ": "} go, a qualified name keeps its simple name ({@code java.lang.Integer} to
     * {@code Integer}).
     */
    public static String scrub(String text) {
        String s = QUALIFIED.matcher(text).replaceAll("$1");
        s = THROWABLE_NAME.matcher(s).replaceAll("");
        return s.strip();
    }

    /** What this throwable itself says about the cause, or null to look at its cause. */
    private static String own(Throwable t) {
        if (t instanceof ErrnoException x) {
            return Errno.describe(x.errno());
        }
        if (t instanceof JruncException) {
            return t.getMessage(); // already in runc's words
        }
        // the JDK gives these no reason (UnixException maps the errno to the type)
        if (t instanceof NoSuchFileException) {
            return Errno.describe(Errno.ENOENT);
        }
        if (t instanceof AccessDeniedException) {
            return Errno.describe(Errno.EACCES);
        }
        if (t instanceof FileAlreadyExistsException) {
            return Errno.describe(Errno.EEXIST);
        }
        if (t instanceof NotDirectoryException) {
            return Errno.describe(Errno.ENOTDIR);
        }
        if (t instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (t instanceof FileSystemLoopException) {
            return "too many levels of symbolic links";
        }
        if (t instanceof NotLinkException) {
            return Errno.describe(Errno.EINVAL); // readlink(2) of a non-link
        }
        if (t instanceof FileSystemException f) {
            return f.getReason() == null || f.getReason().isBlank() ? null : goCase(f.getReason());
        }
        if (t instanceof FileNotFoundException) { // FileInputStream and friends: "PATH (REASON)"
            Matcher m = PATH_AND_REASON.matcher(String.valueOf(t.getMessage()));
            return m.matches() ? goCase(m.group(2)) : Errno.describe(Errno.ENOENT);
        }
        if (t instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException j) {
            return dev.jrunc.json.Json.describe(j); // a read limit: which one, without Jackson's method name
        }
        if (t instanceof JsonProcessingException j) {
            String m = j.getOriginalMessage();
            return m == null || m.isBlank() ? null : scrub(m);
        }
        String m = t.getMessage();
        if (m == null || m.isBlank() || t.getCause() != null && m.equals(t.getCause().toString())) {
            return null; // new IOException(cause) copies cause.toString(): the cause says it better
        }
        return goCase(scrub(m));
    }

    private static Throwable rootOf(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = e;
        while (t.getCause() != null && seen.size() < MAX_DEPTH && seen.add(t)) {
            t = t.getCause();
        }
        return t;
    }

    /** A failure that gives no words of its own, described by its kind. */
    private static String fallback(Throwable t) {
        if (t instanceof EOFException) {
            return "unexpected EOF"; // Go's io.ErrUnexpectedEOF
        }
        if (t instanceof ClosedChannelException) {
            return "file already closed"; // Go's os.ErrClosed
        }
        if (t instanceof InterruptedIOException) {
            return "i/o timeout";
        }
        if (t instanceof NullPointerException) {
            return "nil pointer dereference";
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory";
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow";
        }
        if (t instanceof java.io.IOException) {
            return Errno.describe(Errno.EIO);
        }
        return "unexpected failure";
    }
}
