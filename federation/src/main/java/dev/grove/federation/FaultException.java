package dev.grove.federation;

/** An answer refused for a {@link Fault}: not misbehaviour, the follower tries again later. */
public final class FaultException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Fault fault;

    public FaultException(Fault fault) {
        super(fault.toString(), null, false, false);
        this.fault = fault;
    }

    public static FaultException of(Fault.Kind kind, String reason) {
        return new FaultException(new Fault(kind, reason));
    }

    public Fault fault() {
        return fault;
    }
}
