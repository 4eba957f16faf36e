package dev.grove.node.packages;

/**
 * Whose packages a read names: this node's own names ({@code /v1/packages/...}) or those of one log it mirrors
 * ({@code /v1/origins/{origin}/packages/...}). The same reads serve both; only the rows they look in differ.
 */
public sealed interface PackageOrigin {

    /** This node's names: its own package, else the one origin it mirrors a package of that name from. */
    PackageOrigin OWN = new Own();

    /**
     * A plain name as this node answers it (docs/protocol.md, "Names"): its own package when it has one, else the one
     * origin it mirrors a package of that name from; ambiguous when several have it.
     */
    record Own() implements PackageOrigin {
    }

    /** The packages of the log {@code origin}, as this node mirrors them. */
    record Mirrored(String origin) implements PackageOrigin {
    }
}
