package dev.vigil.report.cli;

import dev.vigil.report.text.Terminal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What the commands share: one safe line per message, and the input never overwritten. */
public final class Cli {

    private Cli() {
    }

    /** Prints {@code "vigil: " + message} as one line that no control character in it can break. */
    /** A command of the tools: its exit status. */
    public interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** Runs {@code command}; a bug in Vigil is one line and status 1, never a trace. */
    public static int guarded(Command command, String[] args, PrintStream out, PrintStream err) {
        try {
            return command.run(args, out, err);
        } catch (RuntimeException | LinkageError e) {
            say(err, "internal error in Vigil (please report it): " + e);
            return 1;
        }
    }

    public static void say(PrintStream p, String message) {
        p.println("vigil: " + Terminal.safe(message));
    }

    /** True when writing {@code output} would replace {@code input} (the same path, or a link to it). */
    public static boolean sameFile(Path input, Path output) {
        try {
            if (Files.exists(input) && Files.exists(output)) {
                return Files.isSameFile(input, output);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to comparing the paths
        }
        return input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize());
    }

    /** The refusal printed when an output names the input; the caller exits with 2. */
    public static int refuseOverwrite(PrintStream err, Path input, Path output) {
        say(err, "refusing to write " + output + ": it is the input " + input + " (choose another -o)");
        return 2;
    }

    /** Why a write failed, in a few words: {@code permission denied}, {@code No space left on device}. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            return e.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
