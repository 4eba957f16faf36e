package dev.grove.federation;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.dsse.VerifiedEnvelope;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the signed statements of a peer's log entries against the keysets of the peer's own namespaces, as a mirror
 * replays the log in order. A namespace's first keyset (sequence 1) is trusted on first use, as the origin did; every
 * later change must be signed by the keyset before it (and, from {@code grove.keyset/v2} on, name it); packages and
 * yanks must be signed by the namespace's current keyset (keys the bundle carries are not trusted for being there), and a
 * {@code grove.yank/v2} statement must name the package digest its entry records. Statements signed in the earlier
 * formats ({@code grove.keyset/v1}, {@code grove.yank/v1}) stay readable: logs keep them.
 *
 * <p>Every method throws {@link RuleBroken} naming the rule and the entries a checker needs to see it broken: the
 * follower that replays the log and {@link EvidenceCheck}, which re-checks evidence offline, apply the same rules.
 */
public final class EntryVerifier {

    public EntryVerifier() {
    }

    /** Parses an entry; see {@link LogEntry#parse}. */
    public LogEntry parse(long index, byte[] bytes) throws RuleBroken {
        return LogEntry.parse(index, bytes);
    }

    /** The namespace's keyset after this entry, given the one before it (empty for a namespace not yet seen). */
    public OriginKeyset keyset(LogEntry.KeysetEntry e, Optional<OriginKeyset> current) throws RuleBroken {
        Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
        for (PublicKeyEntry k : e.keys()) {
            keys.put(k.keyid(), k.publicKey());
        }
        if (keys.isEmpty()) {
            throw broken(keysetOf(e.namespace()), Evidence.Kind.FORGED_KEYSET, e,
                    "keyset of '" + e.namespace() + "' has no keys");
        }
        long expected = current.map(c -> c.sequence() + 1).orElse(1L);
        if (e.sequence() != expected) {
            throw broken(keysetOf(e.namespace()), Evidence.Kind.FORGED_KEYSET, e,
                    "keyset of '" + e.namespace() + "' has sequence "
                    + e.sequence() + ", expected " + expected);
        }
        if (expected == 1) {
            return new OriginKeyset(e.namespace(), 1, keys);
        }
        if (e.envelope().isEmpty()) {
            throw broken(keysetOf(e.namespace()), Evidence.Kind.FORGED_KEYSET, e,
                    "keyset change " + e.sequence() + " of '" + e.namespace()
                    + "' carries no signed envelope");
        }
        KeysetChange change;
        try {
            VerifiedEnvelope v = EnvelopeVerifier.verify(e.envelope().get(), current.get().keys(), PayloadTypes.KEYSET);
            // a grove.keyset/v2 change must name the keyset it replaces here; a v1 change (before v2) names none
            change = KeysetChange.parseLogged(v.payload(), KeysetChange.keysetDigest(e.namespace(),
                    current.get().sequence(), current.get().keys().keySet()));
        } catch (RuntimeException ex) {
            throw broken(keysetOf(e.namespace()), Evidence.Kind.FORGED_KEYSET, e,
                    "keyset change " + e.sequence() + " of '" + e.namespace()
                    + "' is not signed by its previous keyset: " + ex.getMessage());
        }
        if (!change.namespace().equals(e.namespace()) || change.sequence() != e.sequence()
                || !PublicKeyEntry.toMap(change.keys()).equals(keys)) {
            throw broken(keysetOf(e.namespace()), Evidence.Kind.FORGED_KEYSET, e,
                    "the signed keyset change (" + change.namespace() + ", sequence "
                    + change.sequence() + ") is not the change the entry records");
        }
        return new OriginKeyset(e.namespace(), e.sequence(), keys);
    }

    /**
     * The verified package, its signers in the namespace's keyset; its documents are those the entry's
     * {@link LogEntry.PackageEntry#parsed bundle} parsed, once.
     */
    public VerifiedPackage pkg(LogEntry.PackageEntry e, Optional<OriginKeyset> keyset) throws RuleBroken {
        if (keyset.isEmpty()) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_PACKAGE, e,
                    e.name() + "@" + e.version() + " is in namespace '"
                    + e.name().namespace() + "', which no earlier keyset/v1 entry bound");
        }
        VerifiedPackage pkg;
        try {
            pkg = BundleVerifier.verify(e.parsed(), keyset.get().keys());
        } catch (RuntimeException ex) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_PACKAGE, e,
                    e.name() + "@" + e.version()
                    + " does not verify against the keyset of namespace '" + e.name().namespace() + "' (sequence "
                    + keyset.get().sequence() + "): " + ex.getMessage());
        }
        if (!pkg.contract().name().equals(e.name()) || !pkg.contract().version().equals(e.version())
                || !pkg.digest().equals(e.digest())) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_PACKAGE, e,
                    "entry records " + e.name() + "@" + e.version() + " "
                    + e.digest() + " but its signed contract is " + pkg.contract().name() + "@"
                    + pkg.contract().version() + " " + pkg.digest());
        }
        return pkg;
    }

    /** The verified yank statement. */
    public Yank yank(LogEntry.YankEntry e, Optional<OriginKeyset> keyset) throws RuleBroken {
        if (keyset.isEmpty()) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_YANK, e,
                    "yank of " + e.name() + "@" + e.version()
                    + " in a namespace no keyset/v1 entry bound");
        }
        Yank yank;
        try {
            VerifiedEnvelope v = EnvelopeVerifier.verify(e.envelope(), keyset.get().keys(), PayloadTypes.YANK);
            // a grove.yank/v2 statement must name the digest the entry records; a v1 statement (before v2) names none
            yank = Yank.parseLogged(v.payload(), e.digest());
        } catch (RuntimeException ex) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_YANK, e,
                    "yank of " + e.name() + "@" + e.version()
                    + " is not signed by the keyset of namespace '" + e.name().namespace() + "': " + ex.getMessage());
        }
        if (!yank.name().equals(e.name()) || !yank.version().equals(e.version())) {
            throw broken(keysetOf(e.name().namespace()), Evidence.Kind.FORGED_YANK, e,
                    "entry records a yank of " + e.name() + "@" + e.version()
                    + " but the signed statement yanks " + yank.name() + "@" + yank.version());
        }
        return yank;
    }

    /**
     * The verified decision: its envelope is signed by the log's own key ({@code logKey}, the pinned note key whose name
     * is the log origin) and its payload is a {@code grove.decision/v1} statement by that origin about the version and
     * status the entry records. Whether it follows the decisions before it is for the caller to check against what it
     * stored.
     */
    public ReleaseDecision decision(LogEntry.DecisionEntry e, NoteVerifier logKey) throws RuleBroken {
        Ed25519PublicKey key = logKey.publicKey();
        ReleaseDecision d;
        try {
            VerifiedEnvelope v = EnvelopeVerifier.verify(e.envelope(), Map.of(key.keyId(), key), ReleaseDecision.PAYLOAD_TYPE);
            d = ReleaseDecision.parse(v.payload());
        } catch (RuntimeException ex) {
            throw broken(NOTHING, Evidence.Kind.FORGED_DECISION, e,
                    "decision on " + e.name() + "@" + e.version()
                    + " is not signed by the log key of " + logKey.name() + ": " + ex.getMessage());
        }
        if (!d.node().equals(logKey.name())) {
            throw broken(NOTHING, Evidence.Kind.FORGED_DECISION, e,
                    "decision signed by " + logKey.name() + " names node "
                    + d.node());
        }
        if (!d.name().equals(e.name()) || !d.version().equals(e.version()) || !d.digest().equals(e.digest())
                || !d.status().equals(e.status())) {
            throw broken(NOTHING, Evidence.Kind.FORGED_DECISION, e,
                    "entry records " + e.name() + "@" + e.version() + " "
                    + e.digest() + " " + e.status() + " but the signed decision is about " + d.name() + "@"
                    + d.version() + " " + d.digest() + " " + d.status());
        }
        return d;
    }

    private static final Violation.Needs NOTHING = new Violation.Needs.Nothing();

    private static Violation.Needs keysetOf(String namespace) {
        return new Violation.Needs.KeysetInForce(namespace);
    }

    /** A broken rule about entry {@code e}, needing {@code needs} to be shown. */
    public static RuleBroken broken(Violation.Needs needs, Evidence.Kind kind, LogEntry e, String detail) {
        return new RuleBroken(new Violation(kind, "entry " + e.index() + ": " + detail, e.index(), e.bytes(), needs));
    }
}
