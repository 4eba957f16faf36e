package dev.grove.federation;

import java.util.Objects;
import java.util.Optional;

/**
 * What a mirror knows of one peer between two checks.
 *
 * @param url        the peer's base URL
 * @param origin     the peer's log origin (also its log key's name); empty until first contact
 * @param logKey     the pinned verifier key string; empty until first contact (trust on first use)
 * @param status     trusted, or quarantined after misbehaviour
 * @param reason     why it is quarantined
 * @param checkpoint the last checkpoint verified (signature, and consistency with the one before)
 * @param nextEntry  the index of the first log entry not yet accepted
 */
public record PeerState(String url, Optional<String> origin, Optional<String> logKey, Status status,
                        Optional<String> reason, Optional<VerifiedCheckpoint> checkpoint, long nextEntry) {

    /** A peer's standing. */
    public enum Status {
        TRUSTED("trusted"), QUARANTINED("quarantined");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Status fromWireName(String name) {
            return name.equals("quarantined") ? QUARANTINED : TRUSTED;
        }
    }

    public PeerState {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logKey, "logKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (nextEntry < 0) {
            throw new IllegalArgumentException("nextEntry must not be negative, was " + nextEntry);
        }
        if (checkpoint.isPresent() && nextEntry > checkpoint.get().size()) {
            throw new IllegalArgumentException("nextEntry " + nextEntry + " lies beyond the verified tree of size "
                    + checkpoint.get().size());
        }
    }

    /** A peer never contacted, optionally with a configured key. */
    public static PeerState fresh(String url, Optional<String> configuredKey) {
        return new PeerState(url, Optional.empty(), configuredKey, Status.TRUSTED, Optional.empty(), Optional.empty(), 0);
    }

    public boolean quarantined() {
        return status == Status.QUARANTINED;
    }

    /** Entries in the verified tree not yet accepted. */
    public long lag() {
        return checkpoint.map(c -> c.size() - nextEntry).orElse(0L);
    }
}
