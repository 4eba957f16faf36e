package dev.grove.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.StrictBase64;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.Signature;
import dev.grove.federation.EntryVerifierTest;
import dev.grove.federation.MemoryTileLog;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.logentry.LogEntries;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.ParsedBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel against real signatures, a real Merkle log and real cosignatures: an honest document passes, and each way
 * of lying (stripping the proof, re-signing, another log key, another digest or origin, a missing, invalid or stale
 * cosignature) is refused with its own check.
 */
class VersionVerifierTest {
    static final String ORIGIN = "a.example/grove-log";
    static final long NOW = 1_800_000_000L;

    final Ed25519PrivateKey publisher = EntryVerifierTest.key(1);
    final Ed25519PrivateKey intruder = EntryVerifierTest.key(2);
    final NoteSigner logSigner = NoteSigner.ed25519(ORIGIN, EntryVerifierTest.key(3));
    final Ed25519PrivateKey witnessKey = EntryVerifierTest.key(4);
    final NoteVerifier witness = NoteVerifier.cosignatureV1("w.example/witness", witnessKey.publicKey());
    final MemoryTileLog log = new MemoryTileLog(logSigner);
    final Bundle bundle = EntryVerifierTest.bundle("1.0.0", publisher);
    final PackageRef asked = PackageRef.parse("demo/tiny@1.0.0");
    final long index;

    VersionVerifierTest() {
        log.append("{\"kind\":\"keyset/v1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        index = log.append(LogEntries.pkg(bundle));
        log.append(LogEntries.pkg(EntryVerifierTest.bundle("1.0.1", publisher)));
    }

    TrustPolicy policy() {
        return TrustPolicy.forLog(logSigner.verifier());
    }

    JsonObject document(Bundle b, JsonValue logProof) {
        JsonObject.Builder doc = JsonObject.builder()
                .put("ref", "demo/tiny@1.0.0")
                .put("digest", b.packageDigest().toString())
                .put("origin", ORIGIN)
                .put("bundle", b.toJson());
        if (logProof != null) {
            doc.put("log", logProof);
        }
        return doc.build();
    }

    JsonObject proof(String checkpoint) throws Exception {
        List<JsonValue> hashes = new ArrayList<>();
        for (byte[] h : log.inclusion(index, log.size())) {
            hashes.add(new JsonString(StrictBase64.encode(h)));
        }
        return JsonObject.builder().put("index", index).put("treeSize", log.size()).put("checkpoint", checkpoint)
                .put("inclusion", JsonArray.of(hashes)).build();
    }

    String cosigned(long at) throws Exception {
        Note note = Note.parse(log.checkpoint(log.size()));
        return note.withSignature(Cosignature.sign(witness.name(), witnessKey, at, note.text())).toString();
    }

    VerifiedVersion verify(JsonObject doc, TrustPolicy policy) {
        return VersionVerifier.verify(VersionDocument.of(doc), asked, policy, NOW);
    }

    @Test
    void anHonestDocumentIsProvenInTheLog() throws Exception {
        VerifiedVersion v = verify(document(bundle, proof(log.checkpoint(log.size()))), policy());
        assertThat(v.pkg().contract().ref().toString()).isEqualTo("demo/tiny@1.0.0");
        assertThat(v.proof().index()).isEqualTo(index);
        assertThat(v.checkpoint().size()).isEqualTo(3);
        assertThat(v.checks()).extracting(VerifiedVersion.Check::name)
                .containsExactly("keyset", "signatures", "cards", "package digest", "reference", "log");
    }

    @Test
    void eachDocumentIsParsedOnce_forTheSignaturesTheCardsAndTheRebuiltLogEntry() throws Exception {
        ParsedBundle parsed = ParsedBundle.of(bundle);
        assertThat(parsed.parses()).isZero();
        LogProof proof = LogProof.of(JsonObject.builder().put("log", proof(log.checkpoint(log.size()))).build());
        VerifiedVersion v = VersionVerifier.verifyOffline(parsed, (LogProof.Included) proof, policy(), NOW);
        assertThat(v.checks()).extracting(VerifiedVersion.Check::name).contains("log");
        assertThat(parsed.parses()).isEqualTo(3);   // the contract, the lineage card, the evaluation card
        assertThat(v.pkg().contract()).isSameAs(parsed.contract());
        assertThat(v.pkg().lineage()).isSameAs(parsed.lineage());
        assertThat(v.pkg().evaluation()).isSameAs(parsed.evaluation());
    }

    @Test
    void aForgedBundleIsRefusedForItsSignatures_beforeAnyDocumentIsParsed() throws Exception {
        Envelope c = bundle.contract();
        byte[] sig = c.signatures().get(0).sig().clone();
        sig[5] ^= 1;
        Envelope broken = Envelope.of(c.payloadType(), c.payload(),
                List.of(new Signature(c.signatures().get(0).keyid(), sig)));
        ParsedBundle forged = ParsedBundle.of(new Bundle(broken, bundle.lineage(), bundle.evaluation(), bundle.keys()));
        LogProof proof = LogProof.of(JsonObject.builder().put("log", proof(log.checkpoint(log.size()))).build());
        assertThatThrownBy(() -> VersionVerifier.verifyOffline(forged, (LogProof.Included) proof, policy(), NOW))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.SIGNATURES));
        assertThat(forged.parses()).isZero();
    }

    @Test
    void aDocumentStrippedOfItsProofIsRefusedEvenWhenItsSignaturesHold() {
        Bundle forged = EntryVerifierTest.bundle("1.0.0", intruder);
        assertThatThrownBy(() -> verify(document(forged, null), policy()))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG))
                .hasMessageContaining("serves no log proof");
        assertThatThrownBy(() -> verify(document(bundle, null), policy()))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG));
    }

    @Test
    void aResignedContractIsNotTheEntryTheProofIsFor() throws Exception {
        Bundle forged = EntryVerifierTest.bundle("1.0.0", intruder);
        assertThatThrownBy(() -> verify(document(forged, proof(log.checkpoint(log.size()))), policy()))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG))
                .hasMessageContaining("is not entry " + index);
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() throws Exception {
        NoteSigner other = NoteSigner.ed25519(ORIGIN, EntryVerifierTest.key(9));
        String forgedCheckpoint = MemoryTileLog.sign(new dev.grove.checkpoint.Checkpoint(ORIGIN, log.size(),
                log.root(log.size())), other);
        assertThatThrownBy(() -> verify(document(bundle, proof(forgedCheckpoint)), policy()))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG))
                .hasMessageContaining("does not verify with the key of log " + ORIGIN);
    }

    @Test
    void anEntryNotYetInACheckpointIsPendingNotAccepted() {
        JsonObject pending = JsonObject.builder().put("index", index).build();
        assertThatThrownBy(() -> verify(document(bundle, pending), policy()))
                .isInstanceOfSatisfying(Refusal.class,
                        r -> assertThat(r.check()).isEqualTo(Refusal.Check.LOG_PENDING));
    }

    @Test
    void theStatedDigestAndReferenceMustBeTheSignedOnes() throws Exception {
        JsonObject good = document(bundle, proof(log.checkpoint(log.size())));
        JsonObject wrongDigest = with(good, "digest", new JsonString(EntryVerifierTest.bundle("9.9.9", publisher)
                .packageDigest().toString()));
        assertThatThrownBy(() -> verify(wrongDigest, policy())).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.check()).isEqualTo(Refusal.Check.PACKAGE_DIGEST));
        assertThatThrownBy(() -> VersionVerifier.verify(VersionDocument.of(good), PackageRef.parse("demo/tiny@2.0.0"),
                policy(), NOW)).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.check()).isEqualTo(Refusal.Check.REFERENCE));
    }

    @Test
    void signersMustBeInTheNamespaceKeysetAndAmongTrustedPublishers() throws Exception {
        JsonObject doc = document(bundle, proof(log.checkpoint(log.size())));
        String keyset = "{\"namespace\":\"demo\",\"sequence\":1,\"keys\":[{\"keyid\":\""
                + KeyId.of(intruder.publicKey()).hex() + "\"}],\"history\":[]}";
        assertThatThrownBy(() -> VersionVerifier.verify(VersionDocument.of(doc), asked, policy(),
                NamespaceKeys.parse("demo", keyset), NOW)).isInstanceOfSatisfying(Refusal.class,
                r -> assertThat(r.check()).isEqualTo(Refusal.Check.KEYSET)).hasMessageContaining("namespace 'demo'");
        assertThatThrownBy(() -> verify(doc, policy().withPublishers(Set.of(KeyId.of(intruder.publicKey())))))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.KEYSET));
        String earlier = "{\"namespace\":\"demo\",\"sequence\":2,\"keys\":[{\"keyid\":\""
                + KeyId.of(intruder.publicKey()).hex() + "\"}],\"history\":[{\"sequence\":1,\"keys\":[{\"keyid\":\""
                + KeyId.of(publisher.publicKey()).hex() + "\"}]}]}";
        VerifiedVersion v = VersionVerifier.verify(VersionDocument.of(doc), asked, policy(),
                NamespaceKeys.parse("demo", earlier), NOW);
        assertThat(v.checks().get(0).detail()).contains("in keyset 1 of namespace 'demo', since replaced");
    }

    @Test
    void witnessesAndFreshnessComeFromCosignatureTimestamps() throws Exception {
        TrustPolicy witnessed = policy().withWitnesses(List.of(witness), 1);
        assertThatThrownBy(() -> verify(document(bundle, proof(log.checkpoint(log.size()))), witnessed))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.WITNESSES))
                .hasMessageContaining("missing: w.example/witness");
        VerifiedVersion v = verify(document(bundle, proof(cosigned(NOW - 60))), witnessed.withMaxAge(300));
        assertThat(v.freshestCosignature()).hasValue(NOW - 60);
        assertThatThrownBy(() -> verify(document(bundle, proof(cosigned(NOW - 3600))), witnessed.withMaxAge(300)))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.check()).isEqualTo(Refusal.Check.FRESHNESS))
                .hasMessageContaining("3600 s ago");
        String bad = cosigned(NOW - 60);
        String corrupted = bad.substring(0, bad.length() - 6) + (bad.charAt(bad.length() - 6) == 'A' ? 'B' : 'A')
                + bad.substring(bad.length() - 5);
        assertThatThrownBy(() -> verify(document(bundle, proof(corrupted)), witnessed))
                .isInstanceOf(Refusal.class);
    }

    @Test
    void aPolicyWithoutALogKeyCannotBeMade() {
        assertThatThrownBy(() -> TrustPolicy.forLog(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy().withMaxAge(60)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("witness");
    }

    static JsonObject with(JsonObject o, String key, JsonValue value) {
        JsonObject.Builder b = JsonObject.builder();
        o.members().forEach((k, v) -> b.put(k, k.equals(key) ? value : v));
        return b.build();
    }
}
