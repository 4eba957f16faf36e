package dev.grove.node.log;

/**
 * An entry appended to the node's log, before or after it was sequenced: the key a statement's row keeps to find its
 * entry ({@code log_entries.id}). Its index in the log is assigned by the {@link LogSequencer} once the appending
 * transaction committed.
 */
public record LogEntryId(long value) {
}
