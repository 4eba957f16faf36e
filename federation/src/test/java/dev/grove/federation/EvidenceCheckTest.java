package dev.grove.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.logentry.LogEntries;
import dev.grove.note.NoteSigner;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Evidence checked offline with the log key alone: each kind it proves, and copies with one byte changed (in a
 * checkpoint, an entry, an inclusion or consistency hash) or without the entries a rule needs, which it refuses.
 */
class EvidenceCheckTest {
    static final String ORIGIN = "liar.grove.test/grove-log";
    final NoteSigner key = NoteSigner.ed25519(ORIGIN, EntryVerifierTest.key(9));
    final NoteVerifier logKey = key.verifier();
    final CheckpointFollower follower = CheckpointFollower.forKey(logKey);
    final Ed25519PrivateKey alice = EntryVerifierTest.key(1);
    final Ed25519PrivateKey bob = EntryVerifierTest.key(2);

    MemoryTileLog log(int n, String prefix) {
        MemoryTileLog log = new MemoryTileLog(key);
        for (int i = 0; i < n; i++) {
            log.append((prefix + " " + i).getBytes(StandardCharsets.UTF_8));
        }
        return log;
    }

    Evidence forked(CheckpointFollower.Comparison c) {
        assertThat(c).isInstanceOf(CheckpointFollower.Comparison.Forked.class);
        return ((CheckpointFollower.Comparison.Forked) c).evidence();
    }

    EvidenceCheck.Proven proven(Evidence e) throws EvidenceException {
        // what is checked is the JSON form, as served and as a file
        return EvidenceCheck.check(Evidence.parse(Json.parseObject(e.toJsonString())));
    }

    static String flipSignature(String note) {
        int dash = note.lastIndexOf("— ");
        int space = note.indexOf(' ', dash + 2);
        byte[] sig = Base64.getDecoder().decode(note.substring(space + 1, note.length() - 1));
        sig[10] ^= 1;
        return note.substring(0, space + 1) + Base64.getEncoder().encodeToString(sig) + "\n";
    }

    @Test
    void forkAtTheSameSize() throws Exception {
        MemoryTileLog honest = log(5, "a");
        MemoryTileLog other = log(5, "b");
        Evidence e = forked(follower.compare(follower.verify(honest.checkpoint(5)), follower.verify(other.checkpoint(5)),
                List.of(), Optional.empty()));
        EvidenceCheck.Proven p = proven(e);
        assertThat(p.statement()).startsWith("the holder of log key " + logKey + " signed two checkpoints of size 5");

        Evidence tampered = new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(),
                List.of(e.checkpoints().get(0), flipSignature(e.checkpoints().get(1))), e.consistency(), e.entries());
        assertThatThrownBy(() -> proven(tampered)).isInstanceOf(EvidenceException.class)
                .hasMessageStartingWith("checkpoint 2 does not verify with " + logKey);
        Evidence same = new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(),
                List.of(e.checkpoints().get(0), e.checkpoints().get(0)), e.consistency(), e.entries());
        assertThatThrownBy(() -> proven(same)).hasMessageContaining("have the same root: no fork");
        NoteVerifier another = NoteSigner.ed25519(ORIGIN, EntryVerifierTest.key(10)).verifier();
        assertThatThrownBy(() -> EvidenceCheck.check(e, another)).hasMessageContaining("does not verify with " + another);
    }

    @Test
    void forkAtDifferentSizes() throws Exception {
        MemoryTileLog honest = log(20, "a");
        MemoryTileLog other = log(20, "b");
        VerifiedCheckpoint seven = follower.verify(honest.checkpoint(7));
        VerifiedCheckpoint twenty = follower.verify(other.checkpoint(20));
        Evidence e = forked(follower.compare(seven, twenty, other.consistency(7, 20), Optional.empty()));
        assertThat(proven(e).statement()).contains("signed checkpoints of sizes 7 and 20 that cannot both be true");

        List<byte[]> hashes = new ArrayList<>(e.consistency().orElseThrow().hashes());
        byte[] h = hashes.get(0).clone();
        h[3] ^= 1;
        hashes.set(0, h);
        Evidence flipped = new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), e.checkpoints(),
                Optional.of(new Evidence.Consistency(7, 20, hashes, Optional.empty())), e.entries());
        assertThatThrownBy(() -> proven(flipped)).hasMessageContaining("so they prove nothing");

        // consistent checkpoints with a valid proof are no fork
        Evidence consistent = Evidence.fork(ORIGIN, logKey.toString(), "not a fork", honest.checkpoint(7),
                honest.checkpoint(20), Optional.of(new Evidence.Consistency(7, 20, honest.consistency(7, 20),
                        Optional.empty())));
        assertThatThrownBy(() -> proven(consistent)).hasMessageContaining("are consistent: no fork");

        // from a power of two the larger tree's own hash over the smaller size is carried
        Evidence eight = forked(follower.compare(follower.verify(honest.checkpoint(8)), twenty,
                other.consistency(8, 20), Optional.of(other.root(8))));
        assertThat(proven(eight).statement()).contains("sizes 8 and 20");
        Evidence withoutIt = new Evidence(eight.kind(), eight.origin(), eight.logKey(), eight.detail(),
                eight.checkpoints(), Optional.of(new Evidence.Consistency(8, 20, eight.consistency().get().hashes(),
                Optional.empty())), eight.entries());
        assertThatThrownBy(() -> proven(withoutIt)).hasMessageContaining("need oldTreeHash");
    }

    /** A Grove log: demo bound to alice, then the given entries. */
    MemoryTileLog grove(byte[]... entries) {
        MemoryTileLog log = new MemoryTileLog(key);
        log.append(LogEntries.keyset("demo", 1, Map.of(alice.keyId(), alice.publicKey()), Optional.empty()));
        for (byte[] e : entries) {
            log.append(e);
        }
        return log;
    }

    Evidence entries(MemoryTileLog log, Evidence.Kind kind, long... indices) throws Exception {
        List<Evidence.ProvenEntry> out = new ArrayList<>();
        for (long i : indices) {
            out.add(new Evidence.ProvenEntry(i, log.entry(i), log.inclusion(i, log.size())));
        }
        return new Evidence(kind, ORIGIN, logKey.toString(), "accused", List.of(log.checkpoint(log.size())),
                Optional.empty(), out);
    }

    @Test
    void forgedPackage_withTheKeysetInForce() throws Exception {
        MemoryTileLog log = grove(LogEntries.pkg(EntryVerifierTest.bundle("1.0.0", alice)),
                LogEntries.pkg(EntryVerifierTest.bundle("1.0.1", bob)));
        Evidence e = entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 1, 2);
        assertThat(proven(e).statement()).contains("whose tree holds entry 2, which breaks a rule (forged-package)")
                .contains("does not verify against the keyset of namespace 'demo'");

        // a byte of an entry, of an inclusion hash, of the checkpoint
        List<Evidence.ProvenEntry> flippedEntry = new ArrayList<>(e.entries());
        byte[] bytes = flippedEntry.get(2).bytes();
        bytes[bytes.length - 3] ^= 1;
        flippedEntry.set(2, new Evidence.ProvenEntry(2, bytes, flippedEntry.get(2).inclusion()));
        assertThatThrownBy(() -> proven(with(e, flippedEntry))).hasMessageStartingWith("entry 2 is not proven");
        List<Evidence.ProvenEntry> flippedHash = new ArrayList<>(e.entries());
        List<byte[]> inclusion = new ArrayList<>(flippedHash.get(0).inclusion());
        byte[] h = inclusion.get(0).clone();
        h[0] ^= 1;
        inclusion.set(0, h);
        flippedHash.set(0, new Evidence.ProvenEntry(0, flippedHash.get(0).bytes(), inclusion));
        assertThatThrownBy(() -> proven(with(e, flippedHash))).hasMessageStartingWith("entry 0 is not proven");
        String cp = e.checkpoints().get(0);
        String flippedCp = cp.replace("\n3\n", "\n4\n");
        assertThatThrownBy(() -> proven(new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), List.of(flippedCp),
                e.consistency(), e.entries()))).hasMessageStartingWith("checkpoint 1 does not verify");

        // without the keyset entry the rule cannot be seen; with the entries from the keyset on it can
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_PACKAGE, 2)))
                .hasMessageContaining("breaks no rule that the entries carried show");
        assertThat(proven(entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 1, 2)).kind())
                .isEqualTo(Evidence.Kind.FORGED_PACKAGE);
        // the accused entry must be the one that breaks the rule
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 1)))
                .hasMessageContaining("breaks no rule");
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_YANK, 0, 1, 2)))
                .hasMessageContaining("the evidence says forged-yank, but entry 2 breaks another rule");
    }

    static Evidence with(Evidence e, List<Evidence.ProvenEntry> entries) {
        return new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), e.checkpoints(), e.consistency(), entries);
    }

    @Test
    void aKeysetChangeBetween_isSeenOnlyWithEveryEntryBetween() throws Exception {
        KeysetChange change = new KeysetChange("demo", 2, KeysetChange.keysetDigest("demo", 1, List.of(alice.keyId())),
                List.of(PublicKeyEntry.of(bob.publicKey())));
        Envelope signed = EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(change.toJson()), alice);
        MemoryTileLog log = grove(LogEntries.keyset("demo", 2, PublicKeyEntry.toMap(change.keys()), Optional.of(signed)),
                LogEntries.pkg(EntryVerifierTest.bundle("1.0.0", bob)));
        // bob's package is valid after the change: all entries show it
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 1, 2)))
                .hasMessageContaining("breaks no rule");
        // leaving the change out does not make it forged: the gap clears what entry 0 said
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 2)))
                .hasMessageContaining("breaks no rule");
        // a change signed by the new keys only is forged
        Envelope selfSigned = EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(change.toJson()), bob);
        MemoryTileLog forged = grove(LogEntries.keyset("demo", 2, PublicKeyEntry.toMap(change.keys()),
                Optional.of(selfSigned)));
        assertThat(proven(entries(forged, Evidence.Kind.FORGED_KEYSET, 0, 1)).statement())
                .contains("is not signed by its previous keyset");
    }

    @Test
    void rewrittenVersion_twoEntriesOfOneVersion() throws Exception {
        Bundle first = EntryVerifierTest.bundle("1.0.0", alice);
        Bundle second = EntryVerifierTest.bundle("1.0.0", alice, "other weights");
        MemoryTileLog log = grove(LogEntries.pkg(first), LogEntries.pkg(EntryVerifierTest.bundle("2.0.0", alice)),
                LogEntries.pkg(second));
        assertThat(proven(entries(log, Evidence.Kind.REWRITTEN_VERSION, 1, 3)).statement())
                .contains("entry 3 logs demo/tiny@1.0.0 with digest").contains("but entry 1 logged it");
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.REWRITTEN_VERSION, 2, 3)))
                .hasMessageContaining("breaks no rule");
    }

    @Test
    void decisions_unsignedAlone_replayedWithTheOneBefore() throws Exception {
        Bundle b = EntryVerifierTest.bundle("1.0.0", alice);
        Sha256 digest = new LogEntryProbe(LogEntries.pkg(b)).digest();
        Envelope promotion = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE, decision(digest, 1, "experiment",
                "promoted"), key(9));
        byte[] entry = LogEntries.decision(PackageName.parse("demo/tiny"), "1.0.0", digest, "promoted", promotion);
        Envelope byAnother = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE, decision(digest, 1, "experiment",
                "promoted"), bob);
        MemoryTileLog log = grove(LogEntries.pkg(b), entry, entry,
                LogEntries.decision(PackageName.parse("demo/tiny"), "1.0.0", digest, "promoted", byAnother));
        assertThat(proven(entries(log, Evidence.Kind.FORGED_DECISION, 4)).statement())
                .contains("is not signed by the log key of " + ORIGIN);
        assertThat(proven(entries(log, Evidence.Kind.FORGED_DECISION, 2, 3)).statement())
                .contains("decision 1 on demo/tiny@1.0.0 changes 'experiment' to 'promoted', but the log's decisions "
                        + "make it decision 2 from 'promoted'");
        assertThatThrownBy(() -> proven(entries(log, Evidence.Kind.FORGED_DECISION, 3)))
                .hasMessageContaining("breaks no rule");
        // from the first entry, a decision on a version the log never recorded
        MemoryTileLog orphan = grove(entry);
        assertThat(proven(entries(orphan, Evidence.Kind.FORGED_DECISION, 0, 1)).statement())
                .contains("a version the log never recorded");
    }

    static Ed25519PrivateKey key(int seed) {
        return EntryVerifierTest.key(seed);
    }

    static byte[] decision(Sha256 digest, long sequence, String previous, String status) {
        return ("{\"schema\":\"grove.decision/v1\",\"node\":\"" + ORIGIN + "\",\"subject\":{\"name\":\"demo/tiny\","
                + "\"version\":\"1.0.0\",\"digest\":\"" + digest + "\"},\"sequence\":" + sequence
                + ",\"previous\":\"" + previous + "\",\"status\":\"" + status + "\",\"conditions\":[],\"evidence\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The digest a package entry records. */
    record LogEntryProbe(byte[] entry) {
        Sha256 digest() throws RuleBroken {
            return ((LogEntry.PackageEntry) new EntryVerifier().parse(0, entry)).digest();
        }
    }

    @Test
    void checkpointSignedByAnotherKeyOfTheSameName_isRefused() throws Exception {
        MemoryTileLog log = grove(LogEntries.pkg(EntryVerifierTest.bundle("1.0.1", bob)));
        NoteSigner impostor = NoteSigner.ed25519(ORIGIN, EntryVerifierTest.key(11));
        Evidence e = entries(log, Evidence.Kind.FORGED_PACKAGE, 0, 1);
        Evidence signedByImpostor = new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(),
                List.of(MemoryTileLog.sign(new Checkpoint(ORIGIN, 2, log.root(2)), impostor)), e.consistency(),
                e.entries());
        assertThatThrownBy(() -> proven(signedByImpostor)).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> EvidenceCheck.check(e, NoteSigner.ed25519("other.test/grove-log",
                EntryVerifierTest.key(12)).verifier())).hasMessageContaining("is named 'other.test/grove-log'");
    }
}
