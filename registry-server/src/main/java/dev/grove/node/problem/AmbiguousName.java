package dev.grove.node.problem;

import java.util.List;

/** A plain package name that several origins this node mirrors publish, and none this node: the client must pick one. */
public final class AmbiguousName extends NodeFailure {

    private final List<String> origins;

    public AmbiguousName(String message, List<String> origins) {
        super(message, null);
        this.origins = List.copyOf(origins);
    }

    public List<String> origins() {
        return origins;
    }
}
