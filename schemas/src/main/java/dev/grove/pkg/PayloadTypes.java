package dev.grove.pkg;

/** The DSSE payload types of Grove documents; the signature covers the type, so a card cannot pass for a contract. */
public final class PayloadTypes {
    public static final String CONTRACT = "application/vnd.grove.contract+json";
    public static final String LINEAGE = "application/vnd.grove.lineage+json";
    public static final String EVALUATION = "application/vnd.grove.evaluation+json";
    public static final String KEYSET = "application/vnd.grove.keyset+json";
    public static final String YANK = "application/vnd.grove.yank+json";

    private PayloadTypes() {
    }
}
