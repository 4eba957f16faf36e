package dev.grove.verify;

import dev.grove.crypto.KeyId;
import dev.grove.note.NoteVerifier;
import java.util.List;
import java.util.Set;

/**
 * What a client demands of a version before it believes it.
 *
 * @param logKey        the origin's log key (its name is the log's origin): a version must be proven by an inclusion
 *                      proof against a checkpoint this key signed. Always required: a client that has no key for a log
 *                      has nothing to hold a node to, so it must get one (given, pinned earlier, or pinned now).
 * @param publishers    when not empty, only these keys may have signed the package (on top of the namespace keyset)
 * @param witnesses     witness keys (c2sp.org/tlog-cosignature) whose cosignatures count
 * @param quorum        how many of {@code witnesses} must have cosigned the checkpoint (0 to their number)
 * @param maxAgeSeconds when above 0, the freshest valid cosignature by one of {@code witnesses} must be at most this old:
 *                      a node that keeps showing an old checkpoint (a freeze) is refused once its witnesses' last word
 *                      on it is too old
 */
public record TrustPolicy(NoteVerifier logKey, Set<KeyId> publishers, List<NoteVerifier> witnesses, int quorum,
                          long maxAgeSeconds) {

    public TrustPolicy {
        if (logKey == null) {
            throw new IllegalArgumentException("a trust policy needs the log's key");
        }
        if (logKey.type() != NoteVerifier.ED25519) {
            throw new IllegalArgumentException(logKey + " is not a log (Ed25519, type 0x01) key");
        }
        publishers = Set.copyOf(publishers);
        witnesses = List.copyOf(witnesses);
        for (NoteVerifier w : witnesses) {
            if (w.type() != NoteVerifier.COSIGNATURE_V1) {
                throw new IllegalArgumentException(w + " is not a witness (cosignature/v1, type 0x04) key");
            }
        }
        if (quorum < 0 || quorum > witnesses.size()) {
            throw new IllegalArgumentException("the witness quorum must be between 0 and the " + witnesses.size()
                    + " witness key(s) given, was " + quorum);
        }
        if (maxAgeSeconds < 0) {
            throw new IllegalArgumentException("the maximum age must not be negative, was " + maxAgeSeconds);
        }
        if (maxAgeSeconds > 0 && witnesses.isEmpty()) {
            throw new IllegalArgumentException("a maximum age needs at least one witness key: a checkpoint's age is "
                    + "the time of its freshest cosignature by a known witness");
        }
    }

    /** Proof in the log of {@code logKey}, no publisher, witness or age demands. */
    public static TrustPolicy forLog(NoteVerifier logKey) {
        return new TrustPolicy(logKey, Set.of(), List.of(), 0, 0);
    }

    /** The log's origin, which is its key's name. */
    public String origin() {
        return logKey.name();
    }

    public TrustPolicy withPublishers(Set<KeyId> keys) {
        return new TrustPolicy(logKey, keys, witnesses, quorum, maxAgeSeconds);
    }

    public TrustPolicy withWitnesses(List<NoteVerifier> keys, int k) {
        return new TrustPolicy(logKey, publishers, keys, k, maxAgeSeconds);
    }

    public TrustPolicy withMaxAge(long seconds) {
        return new TrustPolicy(logKey, publishers, witnesses, quorum, seconds);
    }
}
