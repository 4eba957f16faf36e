package dev.grove.node.db;

/** The schema cannot be brought up to date: a bad index, a changed or unknown applied migration, or a failed script. */
public final class MigrationException extends RuntimeException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
