package dev.grove.verify;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.SignatureException;
import dev.grove.logentry.LogEntries;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.Contract;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a version can be believed, the same way for every client. In order, stopping at the first failure:
 *
 * <ol>
 *   <li><b>keyset:</b> the bundle's keys, narrowed to the policy's publisher keys and to the keys the namespace has or
 *       had (when its keyset document is given);</li>
 *   <li><b>signatures, cards:</b> each envelope signed by one of those keys, checked once
 *       ({@link BundleVerifier}); the cards about the contract's version and pinned by its digests;</li>
 *   <li><b>package digest, reference:</b> the node's stated digest is the signed contract's; the contract is the
 *       package asked for (which log it comes from is the policy's choice of key, not the node's word);</li>
 *   <li><b>log:</b> the {@code package/v1} entry rebuilt from the verified bundle (never taken from the node) is at the
 *       stated index of a tree whose checkpoint the policy's log key signed. A document without a proof is refused:
 *       there is no weaker mode to fall back to;</li>
 *   <li><b>witnesses, freshness:</b> the policy's quorum of valid cosignatures, and the freshest of them young
 *       enough.</li>
 * </ol>
 *
 * <pre>{@code
 * TrustPolicy policy = TrustPolicy.forLog(pinnedKey).withWitnesses(witnesses, 1).withMaxAge(3600);
 * VerifiedVersion v = VersionVerifier.verify(VersionDocument.parse(text), PackageRef.parse("demo/langid@1.0.0"),
 *         policy, NamespaceKeys.parse("demo", keysetText), nowSeconds);
 * }</pre>
 */
public final class VersionVerifier {
    private VersionVerifier() {
    }

    /** Verifies a version document without a namespace keyset document (the bundle's keys, narrowed by the policy). */
    public static VerifiedVersion verify(VersionDocument doc, PackageRef asked, TrustPolicy policy, long nowSeconds) {
        return verify(doc, asked, policy, null, nowSeconds);
    }

    /**
     * Verifies a version document.
     *
     * @param asked      the reference the client asked for ({@code latest} matches any version)
     * @param keyset     the namespace's keyset as the node reports it: signers must be in it, now or earlier
     * @param nowSeconds the client's clock (POSIX seconds), for the policy's maximum age
     * @throws Refusal naming the first check that failed
     */
    public static VerifiedVersion verify(VersionDocument doc, PackageRef asked, TrustPolicy policy,
                                         NamespaceKeys keyset, long nowSeconds) {
        List<VerifiedVersion.Check> checks = new ArrayList<>();
        try {
            return verify(doc, asked, policy, keyset, nowSeconds, checks);
        } catch (Refusal r) {
            throw r.after(checks);
        }
    }

    private static VerifiedVersion verify(VersionDocument doc, PackageRef asked, TrustPolicy policy,
                                          NamespaceKeys keyset, long nowSeconds, List<VerifiedVersion.Check> checks) {
        // each document of the bundle is parsed once, when verified, and the log entry is rebuilt from those
        ParsedBundle bundle = ParsedBundle.of(doc.bundle());
        VerifiedPackage pkg = verifyPackage(bundle, asked.name().namespace(), policy, keyset, checks);
        Contract contract = pkg.contract();
        if (!pkg.digest().toString().equals(doc.digest())) {
            throw new Refusal(Refusal.Check.PACKAGE_DIGEST, "the node says " + contract.ref() + " has digest "
                    + (doc.digest().isEmpty() ? "(none)" : doc.digest()) + ", but the signed contract's digest is "
                    + pkg.digest());
        }
        pass(checks, Refusal.Check.PACKAGE_DIGEST, pkg.digest() + " (SHA-256 of the signed contract bytes), as the "
                + "node states");
        if (!contract.name().equals(asked.name())
                || (!asked.isLatest() && !contract.version().toString().equals(asked.version()))) {
            throw new Refusal(Refusal.Check.REFERENCE, "asked for " + asked + ", but the signed contract is "
                    + contract.ref());
        }
        pass(checks, Refusal.Check.REFERENCE, "the signed contract is " + contract.ref() + ", as asked (" + asked + ")");
        LogProof proof = doc.proof();
        if (proof instanceof LogProof.Absent) {
            throw new Refusal(Refusal.Check.LOG, "the node serves no log proof for " + contract.ref() + "; every "
                    + "version of log " + policy.origin() + " must be proven in it, so this one is refused");
        }
        if (proof instanceof LogProof.Pending p) {
            throw new Refusal(Refusal.Check.LOG_PENDING, contract.ref() + " is entry " + p.index() + " of log "
                    + policy.origin() + " but not in a signed checkpoint yet");
        }
        return verifyInLog(pkg, bundle, (LogProof.Included) proof, policy, nowSeconds, checks);
    }

    /**
     * Verifies a package kept offline (a directory {@code grove pull} wrote): its bundle, signed by its own keys
     * narrowed to the policy's publishers, and its saved proof against the policy's log.
     *
     * @throws Refusal naming the first check that failed
     */
    public static VerifiedVersion verifyOffline(Bundle bundle, LogProof.Included proof, TrustPolicy policy,
                                                long nowSeconds) {
        return verifyOffline(ParsedBundle.of(bundle), proof, policy, nowSeconds);
    }

    /**
     * {@link #verifyOffline(Bundle, LogProof.Included, TrustPolicy, long)} of {@code bundle.bundle()}, with the
     * documents {@code bundle} parsed (or parses now, once each): the verified package holds those very documents.
     *
     * @throws Refusal naming the first check that failed
     */
    public static VerifiedVersion verifyOffline(ParsedBundle bundle, LogProof.Included proof, TrustPolicy policy,
                                                long nowSeconds) {
        List<VerifiedVersion.Check> checks = new ArrayList<>();
        try {
            VerifiedPackage pkg = verifyPackage(bundle, null, policy, null, checks);
            return verifyInLog(pkg, bundle, proof, policy, nowSeconds, checks);
        } catch (Refusal r) {
            throw r.after(checks);
        }
    }

    /**
     * The signed documents alone, for a package that has never been in a log (a directory before its first
     * publish): nothing here says any node accepted it.
     *
     * @throws Refusal KEYSET, SIGNATURES or CARDS
     */
    public static VerifiedPackage verifyUnpublished(Bundle bundle, Set<KeyId> publishers) {
        List<VerifiedVersion.Check> checks = new ArrayList<>();
        Map<KeyId, Ed25519PublicKey> keys = trustedKeys(bundle, publishers, null, null, checks);
        return signed(ParsedBundle.of(bundle), keys, checks);
    }

    private static VerifiedPackage verifyPackage(ParsedBundle bundle, String namespace, TrustPolicy policy,
                                                 NamespaceKeys keyset, List<VerifiedVersion.Check> checks) {
        Map<KeyId, Ed25519PublicKey> keys = trustedKeys(bundle.bundle(), policy.publishers(), namespace, keyset,
                checks);
        return signed(bundle, keys, checks);
    }

    private static Map<KeyId, Ed25519PublicKey> trustedKeys(Bundle bundle, Set<KeyId> publishers,
                                                            String namespace, NamespaceKeys keyset,
                                                            List<VerifiedVersion.Check> checks) {
        Map<KeyId, Ed25519PublicKey> keys = bundle.keyMap();
        if (keys.isEmpty()) {
            throw new Refusal(Refusal.Check.KEYSET, "the bundle carries no public keys, so its signatures cannot be "
                    + "checked");
        }
        int carried = keys.size();
        if (!publishers.isEmpty()) {
            keys.keySet().retainAll(publishers);
            if (keys.isEmpty()) {
                throw new Refusal(Refusal.Check.KEYSET, "the bundle is not signed by a trusted key: it carries "
                        + ids(bundle.keyMap().keySet()) + ", trusted are " + ids(publishers));
            }
        }
        if (keyset != null) {
            if (!keyset.namespace().equals(namespace)) {
                throw new Refusal(Refusal.Check.KEYSET, "the keyset given is of namespace '" + keyset.namespace()
                        + "', not '" + namespace + "'");
            }
            keys.keySet().removeIf(k -> !keyset.hadKey(k));
            if (keys.isEmpty()) {
                throw new Refusal(Refusal.Check.KEYSET, "none of the bundle's keys (" + ids(bundle.keyMap().keySet())
                        + ") is or was in the keyset of namespace '" + namespace + "'; the package was not signed by "
                        + "the namespace");
            }
            StringBuilder standing = new StringBuilder();
            for (KeyId k : keys.keySet()) {
                standing.append(standing.length() == 0 ? "" : "; ").append(k.hex()).append(' ')
                        .append(keyset.standing(k).orElse(""));
            }
            pass(checks, Refusal.Check.KEYSET, standing.toString());
        } else {
            pass(checks, Refusal.Check.KEYSET, keys.size() + " of the bundle's " + carried + " key(s)"
                    + (publishers.isEmpty() ? ", taken as the bundle names them" : ", given as trusted"));
        }
        return keys;
    }

    private static VerifiedPackage signed(ParsedBundle bundle, Map<KeyId, Ed25519PublicKey> keys,
                                          List<VerifiedVersion.Check> checks) {
        VerifiedPackage pkg;
        try {
            pkg = BundleVerifier.verify(bundle, keys);
        } catch (SignatureException e) {
            throw new Refusal(Refusal.Check.SIGNATURES, "signature check failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.CARDS, "the package documents are not valid: " + e.getMessage(), e);
        }
        StringBuilder signers = new StringBuilder();
        for (KeyId k : pkg.signers()) {
            signers.append(signers.length() == 0 ? "" : ", ").append(abbreviate(k));
        }
        pass(checks, Refusal.Check.SIGNATURES, "contract, lineage and evaluation card signed by " + signers
                + " (Ed25519 over DSSE PAE)");
        pass(checks, Refusal.Check.CARDS, "both cards are about " + pkg.contract().ref() + " and their payload digests "
                + "are those the contract pins");
        return pkg;
    }

    private static VerifiedVersion verifyInLog(VerifiedPackage pkg, ParsedBundle bundle, LogProof.Included proof,
                                               TrustPolicy policy,
                                               long nowSeconds, List<VerifiedVersion.Check> checks) {
        NoteVerifier logKey = policy.logKey();
        Note note;
        Checkpoint cp;
        try {
            note = Note.parse(proof.checkpoint());
            cp = CheckpointVerifier.forLog(logKey).verify(note);
        } catch (NoteException | CheckpointException e) {
            throw new Refusal(Refusal.Check.LOG, "the checkpoint does not verify with the key of log " + logKey.name()
                    + " (" + logKey + "): " + e.getMessage(), e);
        }
        if (cp.size() != proof.treeSize()) {
            throw new Refusal(Refusal.Check.LOG, "the proof is for tree size " + proof.treeSize() + ", but its "
                    + "checkpoint is of size " + cp.size());
        }
        byte[] entry;
        try {
            entry = LogEntries.pkg(bundle);
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.LOG, "cannot rebuild the package's log entry: " + e.getMessage(), e);
        }
        try {
            InclusionProof.verify(MerkleHash.leafHash(entry), proof.index(), proof.treeSize(), cp.rootHash(),
                    proof.inclusion());
        } catch (ProofException | RuntimeException e) {
            throw new Refusal(Refusal.Check.LOG, pkg.contract().ref() + " is not entry " + proof.index() + " of log "
                    + cp.origin() + " at size " + cp.size() + ": " + e.getMessage(), e);
        }
        pass(checks, Refusal.Check.LOG, "entry " + proof.index() + " of log " + cp.origin() + ", in its signed "
                + "checkpoint of size " + cp.size() + " (the package/v1 entry rebuilt from the verified bundle, "
                + proof.inclusion().size() + "-hash inclusion proof, checkpoint signed by " + logKey + ")");
        List<Cosignature> cosigned = cosignatures(note, policy);
        if (!policy.witnesses().isEmpty()) {
            if (cosigned.size() < policy.quorum()) {
                throw new Refusal(Refusal.Check.WITNESSES, "the checkpoint of size " + cp.size() + " has "
                        + cosigned.size() + " valid cosignature(s) by the " + policy.witnesses().size()
                        + " witness(es) given, " + policy.quorum() + " needed (missing: " + missing(note, policy) + ")");
            }
            pass(checks, Refusal.Check.WITNESSES, "checkpoint cosigned by " + cosigned.size() + " of the "
                    + policy.witnesses().size() + " witness(es) given, " + policy.quorum() + " needed");
        }
        if (policy.maxAgeSeconds() > 0) {
            long at = -1;
            for (Cosignature c : cosigned) {
                at = Math.max(at, c.timestamp());
            }
            if (at < 0) {
                throw new Refusal(Refusal.Check.FRESHNESS, "the checkpoint of size " + cp.size() + " carries no "
                        + "cosignature by a known witness, so nothing says it is recent (maximum age "
                        + policy.maxAgeSeconds() + " s)");
            }
            long age = nowSeconds - at;
            if (age > policy.maxAgeSeconds()) {
                throw new Refusal(Refusal.Check.FRESHNESS, "the checkpoint of size " + cp.size() + " was last "
                        + "cosigned by a known witness " + age + " s ago (at " + at + "), more than the maximum age of "
                        + policy.maxAgeSeconds() + " s: the node may be showing a frozen view of log " + cp.origin());
            }
            pass(checks, Refusal.Check.FRESHNESS, "last cosigned " + Math.max(0, age) + " s ago, within "
                    + policy.maxAgeSeconds() + " s");
        }
        return new VerifiedVersion(pkg, proof, cp, cosigned, checks);
    }

    /** The valid cosignatures of the policy's witnesses; an invalid one by a listed witness refuses the checkpoint. */
    private static List<Cosignature> cosignatures(Note note, TrustPolicy policy) {
        List<Cosignature> out = new ArrayList<>();
        for (NoteVerifier w : policy.witnesses()) {
            if (!hasSignatureBy(note, w)) {
                continue;
            }
            try {
                out.add(Cosignature.verify(note, w));
            } catch (NoteException e) {
                throw new Refusal(Refusal.Check.WITNESSES, "the checkpoint's cosignature by witness " + w.name()
                        + " does not verify: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String missing(Note note, TrustPolicy policy) {
        StringBuilder sb = new StringBuilder();
        for (NoteVerifier w : policy.witnesses()) {
            if (!hasSignatureBy(note, w)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(w.name());
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static boolean hasSignatureBy(Note note, NoteVerifier key) {
        for (NoteSignature s : note.signatures()) {
            if (key.isKeyOf(s)) {
                return true;
            }
        }
        return false;
    }

    private static void pass(List<VerifiedVersion.Check> checks, Refusal.Check check, String detail) {
        checks.add(new VerifiedVersion.Check(check.wireName(), detail));
    }

    private static String ids(Iterable<KeyId> keys) {
        StringBuilder sb = new StringBuilder();
        Iterator<KeyId> it = keys.iterator();
        while (it.hasNext()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(it.next().hex());
        }
        return sb.toString();
    }

    private static String abbreviate(KeyId k) {
        return k.hex().substring(0, 16) + "…";
    }
}
