package dev.grove.federation;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@link Evidence} offline, with nothing but a log key: whether what it carries proves that the holder of that key
 * signed statements that cannot all be true, or a log that breaks a Grove rule.
 *
 * <ul>
 *   <li>{@code fork}: two checkpoints that verify with the key. Of the same size, their roots differ. Of sizes m &lt; n,
 *       the consistency hashes run through RFC 9162 §2.1.4.2 lead to the signed size-n root (which binds them to that
 *       tree) but to a size-m root other than the signed one.</li>
 *   <li>every other kind: one checkpoint that verifies with the key, and entries each with an inclusion proof in it. The
 *       entries are replayed in order with the rules a follower applies ({@link EntryVerifier}): the first entry of a
 *       run of consecutive indices gives the state it sets (a namespace's keyset, a version's decisions) at face value,
 *       as the log's own statement, unless the run starts at index 0, where nothing came before. The last entry must
 *       break the rule the evidence names, and no entry before it any rule.</li>
 * </ul>
 *
 * The check proves only that the holder of the key used misbehaved; whether that key is the log's is the reader's to
 * know (pinned, or from the origin's own node).
 */
public final class EvidenceCheck {

    /** Most entries a piece of evidence may carry. */
    public static final int MAX_ENTRIES = 256;

    private EvidenceCheck() {
    }

    /** What the evidence proves, in a sentence naming the key. */
    public record Proven(Evidence.Kind kind, String origin, String logKey, String statement) {
    }

    /** Checks the evidence with the key it names. */
    public static Proven check(Evidence e) throws EvidenceException {
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(e.logKey());
        } catch (NoteException ex) {
            throw new EvidenceException("the log key the evidence names is malformed: " + ex.getMessage());
        }
        return check(e, key);
    }

    /** Checks the evidence with {@code key}, whatever key the evidence names. */
    public static Proven check(Evidence e, NoteVerifier key) throws EvidenceException {
        if (key.type() != NoteVerifier.ED25519) {
            throw new EvidenceException("the key " + key + " is not an Ed25519 log key");
        }
        if (!key.name().equals(e.origin())) {
            throw new EvidenceException("the key is named '" + key.name() + "', but the evidence is about the log '"
                    + e.origin() + "' (a Grove log's key is named after its origin)");
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        CheckpointVerifier verifier = CheckpointVerifier.forLog(key);
        for (int i = 0; i < e.checkpoints().size(); i++) {
            try {
                checkpoints.add(verifier.verify(e.checkpoints().get(i)));
            } catch (CheckpointException ex) {
                throw new EvidenceException("checkpoint " + (i + 1) + " does not verify with " + key + ": "
                        + ex.getMessage());
            }
        }
        String holder = "the holder of log key " + key;
        if (e.kind() == Evidence.Kind.FORK) {
            return new Proven(e.kind(), e.origin(), key.toString(), holder + " " + fork(e, checkpoints));
        }
        return new Proven(e.kind(), e.origin(), key.toString(), holder + " " + entries(e, key, checkpoints));
    }

    private static String fork(Evidence e, List<Checkpoint> cps) throws EvidenceException {
        if (cps.size() != 2) {
            throw new EvidenceException("a fork needs two checkpoints, the evidence has " + cps.size());
        }
        Checkpoint a = cps.get(0).size() <= cps.get(1).size() ? cps.get(0) : cps.get(1);
        Checkpoint b = a == cps.get(0) ? cps.get(1) : cps.get(0);
        if (a.size() == b.size()) {
            if (Arrays.equals(a.rootHash(), b.rootHash())) {
                throw new EvidenceException("the two checkpoints of size " + a.size() + " have the same root: no fork");
            }
            return "signed two checkpoints of size " + a.size() + " with different roots, " + b64(a.rootHash())
                    + " and " + b64(b.rootHash());
        }
        if (a.size() == 0) {
            throw new EvidenceException("the smaller checkpoint is of the empty tree, which every tree extends");
        }
        Evidence.Consistency c = e.consistency().orElseThrow(() -> new EvidenceException("checkpoints of sizes "
                + a.size() + " and " + b.size() + " need consistency hashes to show a fork; the evidence has none"));
        if (c.from() != a.size() || c.to() != b.size()) {
            throw new EvidenceException("the consistency hashes are from " + c.from() + " to " + c.to()
                    + ", the checkpoints are of sizes " + a.size() + " and " + b.size());
        }
        boolean powerOfTwo = Long.bitCount(a.size()) == 1;
        if (powerOfTwo != c.oldTreeHash().isPresent()) {
            throw new EvidenceException(powerOfTwo ? "size " + a.size() + " is a power of two: the consistency hashes "
                    + "need oldTreeHash, the larger tree's hash over its first " + a.size() + " leaves"
                    : "oldTreeHash is only for a smaller size that is a power of two, not " + a.size());
        }
        ConsistencyProof.Roots roots;
        try {
            roots = ConsistencyProof.roots(a.size(), c.oldTreeHash().orElse(a.rootHash()), b.size(), c.hashes());
        } catch (ProofException ex) {
            throw new EvidenceException("the consistency hashes: " + ex.getMessage());
        }
        if (!Arrays.equals(roots.newRoot(), b.rootHash())) {
            throw new EvidenceException("the consistency hashes lead to root " + b64(roots.newRoot())
                    + ", not the signed root of size " + b.size() + ", so they prove nothing");
        }
        if (Arrays.equals(roots.oldRoot(), a.rootHash())) {
            throw new EvidenceException("the checkpoints of sizes " + a.size() + " and " + b.size()
                    + " are consistent: no fork");
        }
        return "signed checkpoints of sizes " + a.size() + " and " + b.size() + " that cannot both be true: the hashes "
                + "that lead to the signed root of size " + b.size() + " give root " + b64(roots.oldRoot()) + " at size "
                + a.size() + ", not the signed " + b64(a.rootHash());
    }

    private static String entries(Evidence e, NoteVerifier key, List<Checkpoint> cps) throws EvidenceException {
        if (cps.size() != 1) {
            throw new EvidenceException("evidence about entries needs the one checkpoint they are in, it has "
                    + cps.size());
        }
        Checkpoint cp = cps.get(0);
        List<Evidence.ProvenEntry> entries = e.entries();
        if (entries.isEmpty()) {
            throw new EvidenceException("the evidence carries no entry");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new EvidenceException("the evidence carries " + entries.size() + " entries, at most " + MAX_ENTRIES
                    + " are read");
        }
        long previous = -1;
        for (Evidence.ProvenEntry pe : entries) {
            if (pe.index() <= previous) {
                throw new EvidenceException("entries must be in ascending order of index, entry " + pe.index()
                        + " follows entry " + previous);
            }
            previous = pe.index();
            if (pe.index() >= cp.size()) {
                throw new EvidenceException("entry " + pe.index() + " is not in the checkpoint's tree of size "
                        + cp.size());
            }
            try {
                InclusionProof.verify(MerkleHash.leafHash(pe.bytes()), pe.index(), cp.size(), cp.rootHash(),
                        pe.inclusion());
            } catch (ProofException ex) {
                throw new EvidenceException("entry " + pe.index() + " is not proven in the checkpoint of size "
                        + cp.size() + ": " + ex.getMessage());
            }
        }
        Replay replay = new Replay(key, entries.get(0).index() == 0);
        Evidence.ProvenEntry last = entries.get(entries.size() - 1);
        long before = -1;
        for (Evidence.ProvenEntry pe : entries) {
            if (before >= 0 && pe.index() != before + 1) {
                replay.gap();
            }
            before = pe.index();
            Optional<String> broken = replay.apply(pe);
            if (broken.isPresent()) {
                Evidence.Kind kind = replay.lastKind;
                if (pe != last) {
                    throw new EvidenceException("entry " + pe.index() + ", before the accused entry " + last.index()
                            + ", already breaks a rule (" + kind.wireName() + ": " + broken.get() + ")");
                }
                if (kind != e.kind()) {
                    throw new EvidenceException("the evidence says " + e.kind().wireName() + ", but entry "
                            + pe.index() + " breaks another rule (" + kind.wireName() + ": " + broken.get() + ")");
                }
                return "signed a checkpoint of size " + cp.size() + " whose tree holds entry " + pe.index()
                        + ", which breaks a rule (" + kind.wireName() + "): " + broken.get();
            }
        }
        throw new EvidenceException("entry " + last.index() + " breaks no rule that the entries carried show (a rule "
                + "about a namespace or a version needs the entry that set its state and every entry since)");
    }

    /** The state a run of entries sets, as far as the entries carried show it. */
    private static final class Replay {
        private final NoteVerifier key;
        private final EntryVerifier verifier = new EntryVerifier();
        /** Whether the entries so far are every entry from index 0 (then what is absent is known to be absent). */
        private boolean fromStart;
        private final Map<String, OriginKeyset> keysets = new HashMap<>();
        private final Map<Sha256, Decided> decisions = new HashMap<>();
        /** name@version to digest and the index that logged it: rewriting a version needs no state between. */
        private final Map<String, Logged> versions = new HashMap<>();
        Evidence.Kind lastKind;

        private record Decided(String name, String version, long sequence, String status) {
        }

        private record Logged(Sha256 digest, long index) {
        }

        Replay(NoteVerifier key, boolean fromStart) {
            this.key = key;
            this.fromStart = fromStart;
        }

        /** Entries are missing here: what they may have changed is no longer known. */
        void gap() {
            fromStart = false;
            keysets.clear();
            decisions.clear();
        }

        private Optional<String> broken(Evidence.Kind kind, String detail) {
            lastKind = kind;
            return Optional.of(detail);
        }

        private Optional<String> broken(RuleBroken b) {
            return broken(b.violation().kind(), b.violation().detail());
        }

        /** Applies the entry; the rule it breaks, if the state known shows one. */
        Optional<String> apply(Evidence.ProvenEntry pe) {
            LogEntry entry;
            try {
                entry = verifier.parse(pe.index(), pe.bytes());
            } catch (RuleBroken b) {
                return broken(b);
            }
            try {
                if (entry instanceof LogEntry.KeysetEntry k) {
                    if (known(k.namespace())) {
                        keysets.put(k.namespace(), verifier.keyset(k, current(k.namespace())));
                    } else {
                        keysets.put(k.namespace(), faceValue(k));
                    }
                } else if (entry instanceof LogEntry.PackageEntry p) {
                    if (known(p.name().namespace())) {
                        verifier.pkg(p, current(p.name().namespace()));
                    }
                    String version = p.name() + "@" + p.version();
                    Logged earlier = versions.get(version);
                    if (earlier != null && !earlier.digest().equals(p.digest())) {
                        return broken(Evidence.Kind.REWRITTEN_VERSION, "entry " + p.index() + " logs " + version
                                + " with digest " + p.digest() + ", but entry " + earlier.index()
                                + " logged it with digest " + earlier.digest() + "; a published version never changes");
                    }
                    versions.putIfAbsent(version, new Logged(p.digest(), p.index()));
                    decisions.putIfAbsent(p.digest(), new Decided(p.name().toString(), p.version().toString(), 0,
                            "experiment"));
                } else if (entry instanceof LogEntry.YankEntry y) {
                    if (known(y.name().namespace())) {
                        verifier.yank(y, current(y.name().namespace()));
                    }
                } else if (entry instanceof LogEntry.DecisionEntry d) {
                    return decision(d, verifier.decision(d, key));
                }
            } catch (RuleBroken b) {
                return broken(b);
            }
            return Optional.empty();
        }

        private Optional<String> decision(LogEntry.DecisionEntry e, ReleaseDecision d) {
            Decided state = decisions.get(d.digest());
            String what = d.name() + "@" + d.version();
            if (state == null) {
                if (fromStart) {
                    return broken(Evidence.Kind.FORGED_DECISION, "entry " + e.index() + ": decision on " + what + " "
                            + d.digest() + ", a version the log never recorded");
                }
                decisions.put(d.digest(), new Decided(d.name().toString(), d.version().toString(), d.sequence(),
                        d.status()));
                return Optional.empty();
            }
            if (!state.name().equals(d.name().toString()) || !state.version().equals(d.version().toString())) {
                return broken(Evidence.Kind.FORGED_DECISION, "entry " + e.index() + ": decision names " + what
                        + " but the log recorded " + d.digest() + " as " + state.name() + "@" + state.version());
            }
            if (d.sequence() != state.sequence() + 1 || !d.previous().equals(state.status())) {
                return broken(Evidence.Kind.FORGED_DECISION, "entry " + e.index() + ": decision " + d.sequence()
                        + " on " + what + " changes '" + d.previous() + "' to '" + d.status() + "', but the log's "
                        + "decisions make it decision " + (state.sequence() + 1) + " from '" + state.status() + "'");
            }
            decisions.put(d.digest(), new Decided(state.name(), state.version(), d.sequence(), d.status()));
            return Optional.empty();
        }

        private boolean known(String namespace) {
            return fromStart || keysets.containsKey(namespace);
        }

        private Optional<OriginKeyset> current(String namespace) {
            return Optional.ofNullable(keysets.get(namespace));
        }

        /** A keyset entry read as the log's own statement of the keyset in force, without checking it. */
        private static OriginKeyset faceValue(LogEntry.KeysetEntry k) {
            Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
            for (PublicKeyEntry p : k.keys()) {
                keys.put(p.keyid(), p.publicKey());
            }
            return new OriginKeyset(k.namespace(), k.sequence(), keys);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
