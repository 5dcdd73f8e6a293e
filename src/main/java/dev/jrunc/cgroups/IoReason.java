package dev.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The errno text of a failed file operation, as Go prints it (lower case: {@code permission
 * denied}), for runc's messages. java.nio's own exceptions for ENOENT, EACCES, ... carry no
 * reason, and their toString is a Java class name, which never reaches a message.
 */
public final class IoReason {
    private IoReason() {}

    public static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        String r = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (r == null || r.isEmpty()) {
            return "input/output error";
        }
        return Character.toLowerCase(r.charAt(0)) + r.substring(1);
    }
}
