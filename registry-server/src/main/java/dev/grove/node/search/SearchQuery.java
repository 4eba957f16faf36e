package dev.grove.node.search;

import java.util.Optional;

/**
 * One search, its parameters already checked.
 *
 * @param text          the words or part of a name ({@code ""}: everything)
 * @param origin        only packages of this log origin; {@code ""} for this node's own
 * @param status        only packages whose latest version has this release status
 * @param limit         at least 1 result
 */
record SearchQuery(String text, Optional<String> task, Optional<String> license, Optional<Long> maxParameters,
                   Optional<Long> maxBytes, long limit, long offset, Optional<String> status, Optional<String> origin) {
}
