package dev.grove.node.release;

/** A version's release status. Every version starts as an {@link #EXPERIMENT}. */
public enum Status {
    EXPERIMENT("experiment"),
    PROMOTED("promoted");

    private final String wireName;

    Status(String wireName) {
        this.wireName = wireName;
    }

    /** The name stored, served and signed: {@code experiment} or {@code promoted}. */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for another name */
    public static Status fromWire(String name) {
        for (Status s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown release status '" + name + "' (expected experiment or promoted)");
    }
}
