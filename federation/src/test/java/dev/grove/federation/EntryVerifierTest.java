package dev.grove.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.logentry.LogEntries;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import dev.grove.semver.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class EntryVerifierTest {
    final Ed25519PrivateKey alice = key(1);
    final Ed25519PrivateKey bob = key(2);
    final EntryVerifier verifier = new EntryVerifier();

    public static Ed25519PrivateKey key(int seed) {
        byte[] s = new byte[32];
        s[0] = (byte) seed;
        return Ed25519PrivateKey.fromSeed(s);
    }

    /** A minimal valid bundle for demo/tiny@version signed by {@code signer}. */
    public static Bundle bundle(String version, Ed25519PrivateKey signer) {
        return bundle(version, signer, "w" + version);
    }

    /** The same with other weights (another digest for the same version). */
    static Bundle bundle(String version, Ed25519PrivateKey signer, String weightsText) {
        String subject = "{\"name\":\"demo/tiny\",\"version\":\"" + version + "\"}";
        byte[] lineage = ("{\"schema\":\"grove.lineage/v1\",\"subject\":" + subject
                + ",\"operator\":\"train\",\"parameters\":{},\"parents\":[],\"data\":[]}").getBytes(StandardCharsets.UTF_8);
        byte[] evaluation = ("{\"schema\":\"grove.evaluation/v1\",\"subject\":" + subject + ",\"evaluations\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] weights = weightsText.getBytes(StandardCharsets.UTF_8);
        byte[] contract = ("{\"schema\":\"grove.contract/v1\",\"name\":\"demo/tiny\",\"version\":\"" + version + "\","
                + "\"summary\":\"tiny\",\"license\":\"MIT\",\"task\":\"text-classification\",\"tags\":[],"
                + "\"interface\":{\"inputs\":[{\"name\":\"text\",\"dtype\":\"string\",\"shape\":[]}],"
                + "\"outputs\":[{\"name\":\"p\",\"dtype\":\"float32\",\"shape\":[1],\"labels\":[\"a\"]}]},"
                + "\"architecture\":{\"family\":\"mlp\",\"opset\":1,\"config\":{}},"
                + "\"resources\":{\"parameters\":1,\"bytes\":" + weights.length + "},"
                + "\"artifacts\":[{\"path\":\"w.bin\",\"mediaType\":\"application/octet-stream\",\"size\":"
                + weights.length + ",\"digest\":\"" + Sha256.of(weights) + "\"}],"
                + "\"cards\":{\"lineage\":\"" + Sha256.of(lineage) + "\",\"evaluation\":\"" + Sha256.of(evaluation)
                + "\"}}").getBytes(StandardCharsets.UTF_8);
        return new Bundle(EnvelopeSigner.sign(PayloadTypes.CONTRACT, contract, signer),
                EnvelopeSigner.sign(PayloadTypes.LINEAGE, lineage, signer),
                EnvelopeSigner.sign(PayloadTypes.EVALUATION, evaluation, signer),
                List.of(PublicKeyEntry.of(signer.publicKey())));
    }

    OriginKeyset bound() throws RuleBroken {
        LogEntry e = verifier.parse(0, LogEntries.keyset("demo", 1, Map.of(alice.keyId(), alice.publicKey()), Optional.empty()));
        return verifier.keyset((LogEntry.KeysetEntry) e, Optional.empty());
    }

    @Test
    void keyset_firstBindingIsTrustedOnFirstUse_laterChangesNeedThePreviousKeyset() throws Exception {
        OriginKeyset one = bound();
        assertThat(one.sequence()).isEqualTo(1);
        assertThat(one.keys()).containsOnlyKeys(alice.keyId());

        KeysetChange change = new KeysetChange("demo", 2, KeysetChange.keysetDigest("demo", 1, List.of(alice.keyId())),
                List.of(PublicKeyEntry.of(bob.publicKey())));
        byte[] payload = Json.writeBytes(change.toJson());
        Envelope signed = EnvelopeSigner.sign(PayloadTypes.KEYSET, payload, alice);
        var entry = (LogEntry.KeysetEntry) verifier.parse(1, LogEntries.keyset("demo", 2, PublicKeyEntry.toMap(change.keys()), Optional.of(signed)));
        OriginKeyset two = verifier.keyset(entry, Optional.of(one));
        assertThat(two.keys()).containsOnlyKeys(bob.keyId());

        Envelope selfSigned = EnvelopeSigner.sign(PayloadTypes.KEYSET, payload, bob);
        var forged = (LogEntry.KeysetEntry) verifier.parse(1, LogEntries.keyset("demo", 2, PublicKeyEntry.toMap(change.keys()), Optional.of(selfSigned)));
        assertThatThrownBy(() -> verifier.keyset(forged, Optional.of(one))).isInstanceOfSatisfying(RuleBroken.class, m -> {
            assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_KEYSET);
            assertThat(m.violation().detail()).startsWith("entry 1: keyset change 2 of 'demo' is not signed by its previous keyset");
        });
        KeysetChange elsewhere = new KeysetChange("demo", 2, KeysetChange.keysetDigest("demo", 1, List.of(alice.keyId(),
                bob.keyId())), List.of(PublicKeyEntry.of(bob.publicKey())));
        Envelope replayed = EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(elsewhere.toJson()), alice);
        var otherHistory = (LogEntry.KeysetEntry) verifier.parse(1, LogEntries.keyset("demo", 2,
                PublicKeyEntry.toMap(elsewhere.keys()), Optional.of(replayed)));
        assertThatThrownBy(() -> verifier.keyset(otherHistory, Optional.of(one)))
                .as("a change signed against another keyset of the namespace")
                .isInstanceOfSatisfying(RuleBroken.class, m -> {
                    assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_KEYSET);
                    assertThat(m.violation().detail()).contains("previous: the change replaces keyset");
                });
        var rebind = (LogEntry.KeysetEntry) verifier.parse(1, LogEntries.keyset("demo", 1, Map.of(bob.keyId(), bob.publicKey()), Optional.empty()));
        assertThatThrownBy(() -> verifier.keyset(rebind, Optional.of(one))).isInstanceOfSatisfying(RuleBroken.class,
                m -> assertThat(m.violation().detail()).isEqualTo("entry 1: keyset of 'demo' has sequence 1, expected 2"));
    }

    @Test
    void package_verifiesAgainstTheNamespaceKeyset_notTheBundledKeys() throws Exception {
        OriginKeyset keyset = bound();
        var good = (LogEntry.PackageEntry) verifier.parse(1, LogEntries.pkg(bundle("1.0.0", alice)));
        assertThat(verifier.pkg(good, Optional.of(keyset)).digest()).isEqualTo(good.digest());

        var intruder = (LogEntry.PackageEntry) verifier.parse(2, LogEntries.pkg(bundle("1.0.1", bob)));
        assertThatThrownBy(() -> verifier.pkg(intruder, Optional.of(keyset))).isInstanceOfSatisfying(RuleBroken.class, m -> {
            assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_PACKAGE);
            assertThat(m.violation().detail()).contains("does not verify against the keyset of namespace 'demo'");
            assertThat(m.violation().index()).isEqualTo(2);
            assertThat(m.violation().entry()).isEqualTo(intruder.bytes());
            assertThat(m.violation().needs()).isEqualTo(new Violation.Needs.KeysetInForce("demo"));
        });
        assertThatThrownBy(() -> verifier.pkg(good, Optional.empty())).isInstanceOfSatisfying(RuleBroken.class,
                m -> assertThat(m.violation().detail()).contains("which no earlier keyset/v1 entry bound"));
    }

    @Test
    void package_parsesEachDocumentOnce_andHandsThemOnWithTheEntry() throws Exception {
        OriginKeyset keyset = bound();
        var e = (LogEntry.PackageEntry) verifier.parse(1, LogEntries.pkg(bundle("1.0.0", alice)));
        assertThat(e.parsed().parses()).isZero();
        VerifiedPackage pkg = verifier.pkg(e, Optional.of(keyset));
        VerifiedPackage again = verifier.pkg(e, Optional.of(keyset));
        assertThat(e.parsed().parses()).isEqualTo(3);   // the contract, the lineage card, the evaluation card
        assertThat(pkg.contract()).isSameAs(e.parsed().contract()).isSameAs(again.contract());
        assertThat(LogEntries.pkg(e.parsed())).isEqualTo(e.bytes());
        assertThat(e.parsed().parses()).isEqualTo(3);
    }

    @Test
    void package_whoseSignatureDoesNotVerify() throws Exception {
        OriginKeyset keyset = bound();
        Bundle b = bundle("1.0.0", alice);
        Envelope c = b.contract();
        byte[] sig = c.signatures().get(0).sig().clone();
        sig[5] ^= 1;
        Envelope broken = Envelope.of(c.payloadType(), c.payload(),
                List.of(new dev.grove.dsse.Signature(c.signatures().get(0).keyid(), sig)));
        Bundle forged = new Bundle(broken, b.lineage(), b.evaluation(), b.keys());
        var e = (LogEntry.PackageEntry) verifier.parse(1, LogEntries.pkg(forged));
        assertThatThrownBy(() -> verifier.pkg(e, Optional.of(keyset))).isInstanceOfSatisfying(RuleBroken.class,
                m -> assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_PACKAGE));
    }

    @Test
    void keyset_aV1ChangeInTheLogIsStillRead() throws Exception {
        OriginKeyset one = bound();
        byte[] v1 = ("{\"schema\":\"grove.keyset/v1\",\"namespace\":\"demo\",\"sequence\":2,\"keys\":[{\"keyid\":\""
                + bob.keyId() + "\",\"publicKey\":\"" + bob.publicKey().base64() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        var entry = (LogEntry.KeysetEntry) verifier.parse(1, LogEntries.keyset("demo", 2, Map.of(bob.keyId(),
                bob.publicKey()), Optional.of(EnvelopeSigner.sign(PayloadTypes.KEYSET, v1, alice))));
        assertThat(verifier.keyset(entry, Optional.of(one)).keys()).containsOnlyKeys(bob.keyId());
    }

    @Test
    void yank_aV1StatementInTheLogIsStillRead_aV2OneMustNameTheLoggedDigest() throws Exception {
        OriginKeyset keyset = bound();
        Sha256 digest = Sha256.of("contract".getBytes(StandardCharsets.UTF_8));
        byte[] v1 = "{\"schema\":\"grove.yank/v1\",\"name\":\"demo/tiny\",\"version\":\"1.0.0\",\"reason\":\"old\"}"
                .getBytes(StandardCharsets.UTF_8);
        var old = (LogEntry.YankEntry) verifier.parse(3, LogEntries.yank(PackageName.parse("demo/tiny"), "1.0.0", digest,
                EnvelopeSigner.sign(PayloadTypes.YANK, v1, alice)));
        assertThat(verifier.yank(old, Optional.of(keyset)).digest()).isEqualTo(digest);

        byte[] other = Json.writeBytes(new Yank(PackageName.parse("demo/tiny"), SemVer.parse("1.0.0"),
                Sha256.of("other content".getBytes(StandardCharsets.UTF_8)), "oops").toJson());
        var mismatch = (LogEntry.YankEntry) verifier.parse(3, LogEntries.yank(PackageName.parse("demo/tiny"), "1.0.0",
                digest, EnvelopeSigner.sign(PayloadTypes.YANK, other, alice)));
        assertThatThrownBy(() -> verifier.yank(mismatch, Optional.of(keyset))).isInstanceOfSatisfying(RuleBroken.class,
                m -> {
                    assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_YANK);
                    assertThat(m.violation().detail()).contains("but the entry records " + digest);
                });
    }

    @Test
    void yank_mustBeSignedByTheKeyset() throws Exception {
        OriginKeyset keyset = bound();
        Sha256 digest = Sha256.of("contract".getBytes(StandardCharsets.UTF_8));
        byte[] payload = Json.writeBytes(new Yank(PackageName.parse("demo/tiny"), SemVer.parse("1.0.0"), digest, "oops")
                .toJson());
        var ok = (LogEntry.YankEntry) verifier.parse(3, LogEntries.yank(PackageName.parse("demo/tiny"), "1.0.0", digest,
                EnvelopeSigner.sign(PayloadTypes.YANK, payload, alice)));
        assertThat(verifier.yank(ok, Optional.of(keyset)).reason()).isEqualTo("oops");
        var forged = (LogEntry.YankEntry) verifier.parse(3, LogEntries.yank(PackageName.parse("demo/tiny"), "1.0.0", digest,
                EnvelopeSigner.sign(PayloadTypes.YANK, payload, bob)));
        assertThatThrownBy(() -> verifier.yank(forged, Optional.of(keyset))).isInstanceOfSatisfying(RuleBroken.class,
                m -> assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_YANK));
    }

    @Test
    void malformedEntries() {
        assertThatThrownBy(() -> verifier.parse(4, "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(RuleBroken.class, m -> {
                    assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.MALFORMED_ENTRY);
                    assertThat(m.violation().detail()).startsWith("entry 4 is not a Grove log entry: ");
                });
        assertThat(assertOther()).isInstanceOf(LogEntry.OtherEntry.class);
    }

    LogEntry assertOther() {
        try {
            return verifier.parse(5, "{\"kind\":\"attestation/v9\"}".getBytes(StandardCharsets.UTF_8));
        } catch (RuleBroken m) {
            throw new AssertionError(m);
        }
    }

    static final String LOG = "node.grove.test/grove-log";
    static final Sha256 DIGEST = Sha256.of("contract".getBytes(StandardCharsets.UTF_8));

    static byte[] decisionPayload(String node, String version, long sequence, String previous, String status) {
        return ("{\"schema\":\"grove.decision/v1\",\"node\":\"" + node + "\",\"subject\":{\"name\":\"demo/tiny\","
                + "\"version\":\"" + version + "\",\"digest\":\"" + DIGEST + "\"},\"sequence\":" + sequence
                + ",\"previous\":\"" + previous + "\",\"status\":\"" + status + "\",\"conditions\":[],\"evidence\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    LogEntry.DecisionEntry decisionEntry(Envelope envelope, String status) throws RuleBroken {
        return (LogEntry.DecisionEntry) verifier.parse(7, LogEntries.decision(PackageName.parse("demo/tiny"), "1.0.0",
                DIGEST, status, envelope));
    }

    @Test
    void decisionSignedByTheLogKey() throws RuleBroken {
        Envelope signed = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload(LOG, "1.0.0", 1, "experiment", "promoted"), alice);
        ReleaseDecision d = verifier.decision(decisionEntry(signed, "promoted"),
                dev.grove.note.NoteVerifier.ed25519(LOG, alice.publicKey()));
        assertThat(d.sequence()).isEqualTo(1);
        assertThat(d.previous()).isEqualTo("experiment");
        assertThat(d.status()).isEqualTo("promoted");
        assertThat(d.digest()).isEqualTo(DIGEST);
    }

    @Test
    void forgedDecisions() {
        dev.grove.note.NoteVerifier logKey = dev.grove.note.NoteVerifier.ed25519(LOG, alice.publicKey());
        Envelope byBob = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload(LOG, "1.0.0", 1, "experiment", "promoted"), bob);
        assertThatThrownBy(() -> verifier.decision(decisionEntry(byBob, "promoted"), logKey))
                .isInstanceOfSatisfying(RuleBroken.class, m -> {
                    assertThat(m.violation().kind()).isEqualTo(Evidence.Kind.FORGED_DECISION);
                    assertThat(m.violation().detail()).startsWith("entry 7: decision on demo/tiny@1.0.0 is not signed by "
                            + "the log key of " + LOG + ": ");
                });
        Envelope otherVersion = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload(LOG, "2.0.0", 1, "experiment", "promoted"), alice);
        assertThatThrownBy(() -> verifier.decision(decisionEntry(otherVersion, "promoted"), logKey))
                .isInstanceOfSatisfying(RuleBroken.class, m -> assertThat(m.violation().detail())
                        .contains("but the signed decision is about demo/tiny@2.0.0"));
        Envelope otherStatus = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload(LOG, "1.0.0", 1, "experiment", "promoted"), alice);
        assertThatThrownBy(() -> verifier.decision(decisionEntry(otherStatus, "experiment"), logKey))
                .isInstanceOfSatisfying(RuleBroken.class, m -> assertThat(m.violation().kind())
                        .isEqualTo(Evidence.Kind.FORGED_DECISION));
        Envelope otherNode = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload("elsewhere.test/grove-log", "1.0.0", 1, "experiment", "promoted"), alice);
        assertThatThrownBy(() -> verifier.decision(decisionEntry(otherNode, "promoted"), logKey))
                .isInstanceOfSatisfying(RuleBroken.class, m -> assertThat(m.violation().detail())
                        .endsWith("decision signed by " + LOG + " names node elsewhere.test/grove-log"));
        Envelope noChange = EnvelopeSigner.sign(ReleaseDecision.PAYLOAD_TYPE,
                decisionPayload(LOG, "1.0.0", 1, "promoted", "promoted"), alice);
        assertThatThrownBy(() -> verifier.decision(decisionEntry(noChange, "promoted"), logKey))
                .isInstanceOfSatisfying(RuleBroken.class, m -> assertThat(m.violation().detail())
                        .contains("a decision changes the status"));
    }
}
