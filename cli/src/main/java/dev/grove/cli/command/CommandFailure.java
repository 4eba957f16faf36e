package dev.grove.cli.command;

/**
 * A failure a user can act on. The command prints {@code error: <message>} to standard error, with no stack trace unless
 * {@code --verbose} was given, and exits with {@link #exitCode()}.
 */
public final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Something did not verify, or the registry refused the request. */
    public static final int REFUSED = 1;
    /** The command line or its arguments are wrong (picocli uses the same code for its own usage errors). */
    public static final int USAGE = 2;
    /** The registry could not be reached or failed itself. */
    public static final int UNAVAILABLE = 3;

    private final int exitCode;

    private CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static CommandFailure refused(String message) {
        return new CommandFailure(REFUSED, message, null);
    }

    public static CommandFailure refused(String message, Throwable cause) {
        return new CommandFailure(REFUSED, message, cause);
    }

    public static CommandFailure usage(String message) {
        return new CommandFailure(USAGE, message, null);
    }

    public static CommandFailure unavailable(String message, Throwable cause) {
        return new CommandFailure(UNAVAILABLE, message, cause);
    }

    public int exitCode() {
        return exitCode;
    }
}
