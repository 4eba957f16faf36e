package dev.grove.node.secrets;

/** A process's secret files hold other keys than the ones its node recorded: the process must not start. */
public final class KeyMismatchException extends RuntimeException {

    public KeyMismatchException(String message) {
        super(message);
    }
}
