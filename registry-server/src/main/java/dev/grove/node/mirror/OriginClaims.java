package dev.grove.node.mirror;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which configured log follows which origin, so that one origin is followed by one {@link LogFollower} (whose sources
 * take turns) and never by two at once. A log configured with its key claims its origin at start; one trusted on
 * first use claims it once its source names it.
 */
final class OriginClaims {

    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /**
     * Claims {@code origin} for the configured log {@code owner} (its first URL); the other owner when another log
     * claimed it first.
     */
    Optional<String> claim(String origin, String owner) {
        String first = owners.putIfAbsent(origin, owner);
        return first == null || first.equals(owner) ? Optional.empty() : Optional.of(first);
    }
}
