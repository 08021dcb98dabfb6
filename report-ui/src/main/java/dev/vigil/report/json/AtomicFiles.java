package dev.vigil.report.json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a file so that a reader sees either the old content or the new, never half of it:
 * write a temporary file in the same directory, then rename it over the target.
 *
 * <p>The temporary file is {@code .<name>.<pid>.<random>.tmp}. A process killed while writing
 * leaves one behind; every later write of the same target deletes those that are stale: written
 * by a process that is no longer alive, by this process but not in flight (a restart that got the
 * same pid, as pid 1 in a container does), or older than {@link #STALE_MILLIS} (a pid reused by
 * another program). Temporary files of versions before the pid was in the name
 * ({@code .<name><digits>.tmp}) are deleted once older than {@link #STALE_MILLIS}.
 */
public final class AtomicFiles {

    /** No write takes this long: a temporary file this old belongs to nobody. */
    public static final long STALE_MILLIS = 10 * 60 * 1000L;

    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private AtomicFiles() {
    }

    /** Writes content produced by {@code body}; on any failure the target is left untouched. */
    public static void replace(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a directory");
        }
        Files.createDirectories(dir);
        deleteStale(dir, target.getFileName().toString());
        Path tmp = newTemp(dir, target.getFileName().toString());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } finally {
                IN_FLIGHT.remove(tmp);
            }
        }
    }

    /** Creates the temporary file, registered as in flight before it exists. */
    private static Path newTemp(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + PID + "."
                    + Long.toUnsignedString(System.nanoTime() + COUNTER.incrementAndGet()) + ".tmp");
            if (!IN_FLIGHT.add(tmp)) {
                continue;
            }
            try {
                Files.createFile(tmp);
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                IN_FLIGHT.remove(tmp);
            } catch (IOException | RuntimeException e) {
                IN_FLIGHT.remove(tmp);
                throw e;
            }
        }
    }

    /**
     * Deletes the stale temporary files of {@code name} in {@code dir} (see the class comment);
     * never throws: a file that cannot be read or deleted is left where it is.
     */
    public static int deleteStale(Path dir, String name) {
        Pattern withPid = Pattern.compile(Pattern.quote("." + name + ".") + "(\\d+)\\.\\d+\\.tmp");
        Pattern legacy = Pattern.compile(Pattern.quote("." + name) + "\\d+\\.tmp");
        int deleted = 0;
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "." + globQuote(name) + "*.tmp")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                Matcher m = withPid.matcher(n);
                boolean stale;
                if (m.matches()) {
                    stale = !IN_FLIGHT.contains(f) && (!alive(m.group(1)) || old(f, now));
                } else {
                    stale = legacy.matcher(n).matches() && old(f, now);
                }
                if (stale && Files.isRegularFile(f) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Cleaning is a courtesy: the write itself goes on.
        }
        return deleted;
    }

    private static boolean alive(String pidText) {
        try {
            long pid = Long.parseLong(pidText);
            if (pid == PID) {
                return false; // this process: only files in IN_FLIGHT are its own live writes
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isPresent() && p.get().isAlive();
        } catch (NumberFormatException | SecurityException | UnsupportedOperationException e) {
            return true;
        }
    }

    private static boolean old(Path f, long now) {
        try {
            return now - Files.getLastModifiedTime(f).toMillis() > STALE_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    private static String globQuote(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /** Produces a file's content. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }
}
