package dev.grove.node.search;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One package a search found, at its latest version.
 *
 * @param origin     the log origin of a mirrored package; {@code ""} for this node's own
 * @param fuzzy      found by name similarity (pg_trgm), not by words or part of the name
 * @param similarity for a fuzzy match, the name's similarity to the query
 */
record SearchHit(String origin, String namespace, String name, String version, String digest, String summary, String task,
                 String license, List<String> tags, Long parameters, Long bytes, String operator, String status,
                 OffsetDateTime publishedAt, boolean fuzzy, OptionalDouble similarity) {
}
