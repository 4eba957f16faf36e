package dev.grove.federation;

import dev.grove.crypto.Sha256;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import java.util.Objects;

/**
 * A log entry that breaks a rule, as a follower found it replaying the log: not evidence yet, since that also needs the
 * entry's inclusion proof and the entries the rule depends on ({@link Needs}), which the follower collects before it
 * accuses anyone.
 *
 * @param kind   the evidence kind it would be
 * @param detail what is wrong, naming the entry's index
 * @param index  the entry's index
 * @param entry  the entry bytes
 * @param needs  which earlier entries a checker needs to see the rule broken
 */
public record Violation(Evidence.Kind kind, String detail, long index, byte[] entry, Needs needs) {

    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(needs, "needs");
        entry = entry.clone();
    }

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    /** What a checker must see besides the entry itself. */
    public sealed interface Needs {
        /** The entry alone shows it (not a Grove entry, a decision not signed by the log's key). */
        record Nothing() implements Needs {
        }

        /**
         * The namespace's keyset in force: its latest {@code keyset/v1} entry before this one and every entry between
         * (so no later change intervened), or every entry from the first when the namespace was never bound.
         */
        record KeysetInForce(String namespace) implements Needs {
        }

        /**
         * The log's latest decision on the version (or, before any, its {@code package/v1} entry) and every entry
         * between, or every entry from the first when the log never recorded the version.
         */
        record DecisionsOn(Sha256 digest) implements Needs {
        }

        /** The earlier {@code package/v1} entry of the same version. */
        record EarlierVersion(PackageName name, SemVer version) implements Needs {
        }
    }
}
