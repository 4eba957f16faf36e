package dev.grove.cli.command;

import dev.grove.cli.client.RegistryException;
import dev.grove.cli.pack.VerificationException;
import dev.grove.json.Json;
import dev.grove.json.JsonValue;
import dev.grove.verify.Refusal;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The shared frame of the {@code grove} client commands: output goes through picocli's streams (so tests capture it), and
 * every failure becomes one {@code error: ...} line on standard error and a distinct exit code
 * ({@link CommandFailure#REFUSED}, {@link CommandFailure#USAGE}, {@link CommandFailure#UNAVAILABLE}); the stack trace is
 * shown only with {@code --verbose}.
 */
public abstract class GroveSubcommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--verbose", description = "Show stack traces of failures.")
    protected boolean verbose;

    /** The command's work; returns normally on success. */
    protected abstract void run() throws IOException;

    @Override
    public final Integer call() {
        try {
            run();
            out().flush();
            return 0;
        } catch (CommandFailure e) {
            return fail(e.exitCode(), e.getMessage(), e);
        } catch (VerificationException e) {
            return fail(CommandFailure.REFUSED, e.getMessage(), e);
        } catch (Refusal e) {
            return fail(CommandFailure.REFUSED, e.getMessage(), e);
        } catch (RegistryException e) {
            int code = e.isRefusal() ? CommandFailure.REFUSED : CommandFailure.UNAVAILABLE;
            return fail(code, e.getMessage(), e);
        } catch (IOException e) {
            return fail(CommandFailure.REFUSED, describe(e), e);
        } catch (UncheckedIOException e) {
            return fail(CommandFailure.REFUSED, describe(e.getCause()), e);
        } catch (RuntimeException e) {
            return fail(CommandFailure.REFUSED, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run again with --verbose for details)"), e);
        }
    }

    protected final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected final PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The result of a command run with {@code --json}: one JSON document on one line of standard output. */
    protected final void printJson(JsonValue result) {
        out().println(Json.write(result));
    }

    private int fail(int code, String message, Throwable e) {
        out().flush();
        PrintWriter err = err();
        err.println("error: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
