package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.dsse.SignatureException;
import dev.grove.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleTest {
    static final Ed25519PrivateKey ALICE = key(1);
    static final Ed25519PrivateKey BOB = key(2);
    static final Map<KeyId, Ed25519PublicKey> TRUST_ALICE = Map.of(ALICE.keyId(), ALICE.publicKey());

    static Ed25519PrivateKey key(int n) {
        byte[] seed = new byte[32];
        seed[31] = (byte) n;
        return Ed25519PrivateKey.fromSeed(seed);
    }

    static Bundle bundle(JsonObject contract, JsonObject lineage, JsonObject evaluation, Ed25519PrivateKey... keys) {
        return new Bundle(
                EnvelopeSigner.sign(PayloadTypes.CONTRACT, Docs.bytes(contract), keys),
                EnvelopeSigner.sign(PayloadTypes.LINEAGE, Docs.bytes(lineage), keys),
                EnvelopeSigner.sign(PayloadTypes.EVALUATION, Docs.bytes(evaluation), keys),
                List.of(PublicKeyEntry.of(keys[0].publicKey())));
    }

    static Bundle good() {
        return bundle(Docs.contract(), Docs.lineage(), Docs.evaluation(), ALICE);
    }

    @Test
    void verify_happyPath() {
        Bundle b = good();
        VerifiedPackage p = BundleVerifier.verify(b, TRUST_ALICE);
        assertThat(p.contract().name().toString()).isEqualTo("demo/langid");
        assertThat(p.lineage().operator()).isEqualTo(Operator.QUANTIZE);
        assertThat(p.evaluation().evaluations()).hasSize(1);
        assertThat(p.digest()).isEqualTo(Sha256.of(Docs.bytes(Docs.contract()))).isEqualTo(b.packageDigest());
        assertThat(p.signers()).containsExactly(ALICE.keyId());
    }

    @Test
    void verify_signersAreTheDistinctTrustedSignersOfAllEnvelopes() {
        Bundle b = new Bundle(
                EnvelopeSigner.sign(PayloadTypes.CONTRACT, Docs.bytes(Docs.contract()), ALICE),
                EnvelopeSigner.sign(PayloadTypes.LINEAGE, Docs.bytes(Docs.lineage()), BOB, ALICE),
                EnvelopeSigner.sign(PayloadTypes.EVALUATION, Docs.bytes(Docs.evaluation()), BOB),
                List.of());
        Map<KeyId, Ed25519PublicKey> both = Map.of(ALICE.keyId(), ALICE.publicKey(), BOB.keyId(), BOB.publicKey());
        assertThat(BundleVerifier.verify(b, both).signers()).containsExactly(ALICE.keyId(), BOB.keyId());
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(SignatureException.class)
                .hasMessage("evaluation: no signature by a trusted key (signed by keyid " + BOB.keyId() + ")");
    }

    @Test
    void json_roundTrip() {
        Bundle b = good();
        Bundle parsed = Bundle.parse(b.toJsonString());
        assertThat(parsed).isEqualTo(b);
        assertThat(Bundle.parse(b.toJsonBytes())).isEqualTo(b);
        assertThat(parsed.keyMap()).containsExactly(Map.entry(ALICE.keyId(), ALICE.publicKey()));
        assertThat(b.toJson().array("keys").object(0).string("publicKey")).isEqualTo(ALICE.publicKey().base64());
    }

    @Test
    void verify_refusesUntrustedSigner() {
        Bundle b = bundle(Docs.contract(), Docs.lineage(), Docs.evaluation(), BOB);
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(SignatureException.class)
                .hasMessage("contract: no signature by a trusted key (signed by keyid " + BOB.keyId() + ")");
    }

    @Test
    void verify_refusesSwappedPayloadTypes() {
        Bundle g = good();
        Bundle b = new Bundle(g.contract(), g.evaluation(), g.lineage(), g.keys());
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(SignatureException.class)
                .hasMessage("lineage: payload type is 'application/vnd.grove.evaluation+json', expected "
                        + "'application/vnd.grove.lineage+json'");
    }

    @Test
    void verify_refusesTamperedPayload() {
        Bundle g = good();
        byte[] tampered = g.evaluation().payload();
        tampered[tampered.length - 2] = ' ';
        Envelope forged = Envelope.of(PayloadTypes.EVALUATION, tampered, g.evaluation().signatures());
        Bundle b = new Bundle(g.contract(), g.lineage(), forged, g.keys());
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(SignatureException.class)
                .hasMessage("evaluation: signature by key " + ALICE.keyId() + " does not verify");
    }

    @Test
    void verify_refusesInvalidSignedDocument() {
        JsonObject bad = Docs.with(Docs.contract(), "artifacts[0].digest", "\"abc\"");
        Bundle b = bundle(bad, Docs.lineage(), Docs.evaluation(), ALICE);
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessage("contract: artifacts[0].digest: not a sha256 digest: 'abc'");
        JsonObject badLineage = Docs.with(Docs.lineage(), "operator", "\"bake\"");
        Bundle b2 = bundle(Docs.contract(Docs.bytes(badLineage), Docs.bytes(Docs.evaluation())), badLineage,
                Docs.evaluation(), ALICE);
        assertThatThrownBy(() -> BundleVerifier.verify(b2, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("lineage: operator: unknown operator 'bake'");
    }

    @Test
    void verify_refusesCardAboutAnotherSubject() {
        JsonObject lineage = Docs.with(Docs.lineage(), "subject.name", "\"demo/other\"");
        JsonObject contract = Docs.contract(Docs.bytes(lineage), Docs.bytes(Docs.evaluation()));
        Bundle b = bundle(contract, lineage, Docs.evaluation(), ALICE);
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessage("lineage card subject demo/other@1.0.0 does not match contract demo/langid@1.0.0");

        JsonObject evaluation = Docs.with(Docs.evaluation(), "subject.version", "\"1.0.1\"");
        JsonObject contract2 = Docs.contract(Docs.bytes(Docs.lineage()), Docs.bytes(evaluation));
        Bundle b2 = bundle(contract2, Docs.lineage(), evaluation, ALICE);
        assertThatThrownBy(() -> BundleVerifier.verify(b2, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessage("evaluation card subject demo/langid@1.0.1 does not match contract demo/langid@1.0.0");
    }

    @Test
    void verify_refusesCardNotPinnedByContract() {
        JsonObject otherLineage = Docs.with(Docs.lineage(), "parameters.scheme", "\"int4\"");
        Bundle b = bundle(Docs.contract(), otherLineage, Docs.evaluation(), ALICE);
        assertThatThrownBy(() -> BundleVerifier.verify(b, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessage("lineage card digest " + Sha256.of(Docs.bytes(otherLineage))
                        + " does not match contract cards.lineage " + Sha256.of(Docs.bytes(Docs.lineage())));

        // same JSON value, different bytes: the digest is over the exact payload bytes
        byte[] reformatted = (" " + new String(Docs.bytes(Docs.evaluation()), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        Bundle g = good();
        Bundle b2 = new Bundle(g.contract(), g.lineage(),
                EnvelopeSigner.sign(PayloadTypes.EVALUATION, reformatted, ALICE), g.keys());
        assertThatThrownBy(() -> BundleVerifier.verify(b2, TRUST_ALICE)).isInstanceOf(DocumentException.class)
                .hasMessage("evaluation card digest " + Sha256.of(reformatted)
                        + " does not match contract cards.evaluation " + Sha256.of(Docs.bytes(Docs.evaluation())));
    }

    @Test
    void parse_refusesMalformedBundles() {
        JsonObject good = good().toJson();
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "lineage", null).toString()))
                .isInstanceOf(DocumentException.class).hasMessage("lineage: missing");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "contract", "[]").toString()))
                .isInstanceOf(DocumentException.class).hasMessage("contract: must be an object");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "contract.signatures", "[]").toString()))
                .isInstanceOf(DocumentException.class).hasMessage("contract: envelope has no signatures");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "evaluation.payload", "\"e30\"").toString()))
                .isInstanceOf(DocumentException.class)
                .hasMessage("evaluation: payload: not canonical padded base64: 'e30'");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys", null).toString()))
                .isInstanceOf(DocumentException.class).hasMessage("keys: missing");
        assertThatThrownBy(() -> Bundle.parse(
                Docs.with(good, "keys[0].keyid", "\"" + BOB.keyId() + "\"").toString()))
                .isInstanceOf(DocumentException.class)
                .hasMessage("keys[0].keyid: keyid " + BOB.keyId() + " does not match the public key (its keyid is "
                        + ALICE.keyId() + ")");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys[0].publicKey", "\"AAAA\"").toString()))
                .isInstanceOf(DocumentException.class)
                .hasMessage("keys[0].publicKey: an Ed25519 public key has 32 bytes, got 3");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys[0].keyid", "\"abc\"").toString()))
                .isInstanceOf(DocumentException.class)
                .hasMessage("keys[0].keyid: not a key id (64 lowercase hex digits): 'abc'");
        String entry = good.array("keys").get(0).toString();
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys", "[" + entry + "," + entry + "]").toString()))
                .isInstanceOf(DocumentException.class).hasMessage("keys[1].keyid: duplicate keyid " + ALICE.keyId());
        String many = "[" + (entry + ",").repeat(24) + entry + "]";
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys", many).toString()))
                .isInstanceOf(DocumentException.class).hasMessage("keys: at most 24 keys are allowed, got 25");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "artifacts", "[]").toString()))
                .isInstanceOf(DocumentException.class).hasMessage("artifacts: unknown field");
        assertThatThrownBy(() -> Bundle.parse(Docs.with(good, "keys[0].comment", "\"x\"").toString()))
                .isInstanceOf(DocumentException.class).hasMessage("keys[0].comment: unknown field");
        assertThatThrownBy(() -> Bundle.parse("{"))
                .isInstanceOf(DocumentException.class).hasMessage("invalid JSON: unexpected end of input at offset 1");
    }
}
