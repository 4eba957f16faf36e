package dev.grove.dsse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    static final String TYPE = "application/vnd.grove.contract+json";
    static final Ed25519PrivateKey ALICE = key(1);
    static final Ed25519PrivateKey BOB = key(2);
    static final Ed25519PrivateKey MALLORY = key(3);
    static final byte[] PAYLOAD = "{\"schema\":\"grove.contract/v1\"}".getBytes(StandardCharsets.UTF_8);

    static Ed25519PrivateKey key(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        return Ed25519PrivateKey.fromSeed(seed);
    }

    static Map<KeyId, Ed25519PublicKey> trust(Ed25519PrivateKey... keys) {
        Map<KeyId, Ed25519PublicKey> m = new LinkedHashMap<>();
        for (Ed25519PrivateKey k : keys) {
            m.put(k.keyId(), k.publicKey());
        }
        return m;
    }

    @Test
    void sign_verify_jsonRoundTrip() {
        Envelope e = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE, BOB);
        Envelope parsed = Envelope.parse(e.toJsonString());
        assertThat(parsed).isEqualTo(e);
        assertThat(parsed.payload()).isEqualTo(PAYLOAD);
        assertThat(parsed.payloadType()).isEqualTo(TYPE);
        assertThat(parsed.payloadDigest()).isEqualTo(Sha256.of(PAYLOAD));
        assertThat(parsed.signatures()).extracting(Signature::keyid)
                .containsExactly(ALICE.keyId().hex(), BOB.keyId().hex());

        VerifiedEnvelope v = EnvelopeVerifier.verify(parsed, trust(ALICE, BOB), TYPE);
        assertThat(v.signers()).containsExactly(ALICE.keyId(), BOB.keyId());
        assertThat(v.payload()).isEqualTo(PAYLOAD);
        assertThat(EnvelopeVerifier.verify(parsed, trust(BOB), TYPE).signers()).containsExactly(BOB.keyId());
    }

    @Test
    void toJson_shape() {
        Envelope e = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        String sig = Base64.getEncoder().encodeToString(ALICE.sign(Pae.encode(TYPE, PAYLOAD)));
        assertThat(e.toJsonString()).isEqualTo("{\"payloadType\":\"" + TYPE + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(PAYLOAD) + "\",\"signatures\":[{\"keyid\":\""
                + ALICE.keyId().hex() + "\",\"sig\":\"" + sig + "\"}]}");
    }

    @Test
    void verify_refusesTamperedPayload() {
        Envelope e = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        byte[] tampered = PAYLOAD.clone();
        tampered[3] ^= 1;
        Envelope bad = Envelope.of(TYPE, tampered, e.signatures());
        assertThatThrownBy(() -> EnvelopeVerifier.verify(bad, trust(ALICE), TYPE))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature by key " + ALICE.keyId().hex() + " does not verify");
    }

    @Test
    void verify_refusesWhenNoTrustedSigner() {
        Envelope e = EnvelopeSigner.sign(TYPE, PAYLOAD, MALLORY);
        assertThatThrownBy(() -> EnvelopeVerifier.verify(e, trust(ALICE, BOB), TYPE))
                .isInstanceOf(SignatureException.class)
                .hasMessage("no signature by a trusted key (signed by keyid " + MALLORY.keyId().hex() + ")");
    }

    @Test
    void verify_ignoresUntrustedSignaturesEvenIfBroken() {
        Envelope good = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        Signature junk = new Signature(MALLORY.keyId(), new byte[64]);
        Signature notAKeyId = new Signature("some-hint", new byte[3]);
        Envelope e = Envelope.of(TYPE, PAYLOAD, List.of(junk, good.signatures().get(0), notAKeyId));
        assertThat(EnvelopeVerifier.verify(e, trust(ALICE), TYPE).signers()).containsExactly(ALICE.keyId());
    }

    @Test
    void verify_refusesWhenAnyTrustedSignatureFails() {
        Envelope good = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        Signature forgedBob = new Signature(BOB.keyId(), ALICE.sign(Pae.encode(TYPE, PAYLOAD)));
        Envelope e = Envelope.of(TYPE, PAYLOAD, List.of(good.signatures().get(0), forgedBob));
        assertThatThrownBy(() -> EnvelopeVerifier.verify(e, trust(ALICE, BOB), TYPE))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature by key " + BOB.keyId().hex() + " does not verify");
        // with only ALICE trusted the bad BOB signature is ignored
        assertThat(EnvelopeVerifier.verify(e, trust(ALICE), TYPE).signers()).containsExactly(ALICE.keyId());
    }

    @Test
    void verify_refusesWrongPayloadType() {
        Envelope e = EnvelopeSigner.sign("application/vnd.grove.lineage+json", PAYLOAD, ALICE);
        assertThatThrownBy(() -> EnvelopeVerifier.verify(e, trust(ALICE), TYPE))
                .isInstanceOf(SignatureException.class)
                .hasMessage("payload type is 'application/vnd.grove.lineage+json', expected '" + TYPE + "'");
    }

    @Test
    void verify_signatureCoversPayloadType() {
        Envelope e = EnvelopeSigner.sign("application/vnd.grove.lineage+json", PAYLOAD, ALICE);
        Envelope relabelled = Envelope.of(TYPE, PAYLOAD, e.signatures());
        assertThatThrownBy(() -> EnvelopeVerifier.verify(relabelled, trust(ALICE), TYPE))
                .isInstanceOf(SignatureException.class)
                .hasMessage("signature by key " + ALICE.keyId().hex() + " does not verify");
    }

    @Test
    void verify_duplicateSignaturesCountOnce() {
        Envelope one = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        Envelope e = Envelope.of(TYPE, PAYLOAD, List.of(one.signatures().get(0), one.signatures().get(0)));
        assertThat(EnvelopeVerifier.verify(e, trust(ALICE), TYPE).signers()).containsExactly(ALICE.keyId());
    }

    @Test
    void verify_refusesMisfiledTrustedKey() {
        Envelope e = EnvelopeSigner.sign(TYPE, PAYLOAD, ALICE);
        Map<KeyId, Ed25519PublicKey> wrong = Map.of(ALICE.keyId(), BOB.publicKey());
        assertThatThrownBy(() -> EnvelopeVerifier.verify(e, wrong, TYPE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trusted key filed under keyid " + ALICE.keyId() + " has keyid " + BOB.keyId());
    }

    private static String envelope(String payloadType, String payload, String signatures) {
        return "{\"payloadType\":" + payloadType + ",\"payload\":" + payload + ",\"signatures\":" + signatures + "}";
    }

    private static final String SIG = "{\"keyid\":\"k\",\"sig\":\"AAAA\"}";

    @Test
    void parse_refusesMalformedEnvelopes() {
        assertThatThrownBy(() -> Envelope.parse("[]")).isInstanceOf(EnvelopeException.class)
                .hasMessage("envelope is not a JSON object: expected a JSON object, found array");
        assertThatThrownBy(() -> Envelope.parse("{\"payload\":\"\",\"signatures\":[" + SIG + "]}"))
                .isInstanceOf(EnvelopeException.class).hasMessage("envelope: missing field 'payloadType'");
        assertThatThrownBy(() -> Envelope.parse(envelope("1", "\"\"", "[" + SIG + "]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("envelope: field 'payloadType' must be a string");
        assertThatThrownBy(() -> Envelope.parse("{\"payloadType\":\"t\",\"signatures\":[" + SIG + "]}"))
                .isInstanceOf(EnvelopeException.class).hasMessage("envelope: missing field 'payload'");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"e30\"", "[" + SIG + "]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("payload: not canonical padded base64: 'e30'");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"e3*=\"", "[" + SIG + "]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("payload: not base64: 'e3*='");
        assertThatThrownBy(() -> Envelope.parse("{\"payloadType\":\"t\",\"payload\":\"\"}"))
                .isInstanceOf(EnvelopeException.class).hasMessage("envelope: missing field 'signatures'");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"\"", "[]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("envelope has no signatures");
        String nine = "[" + (SIG + ",").repeat(8) + SIG + "]";
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"\"", nine)))
                .isInstanceOf(EnvelopeException.class)
                .hasMessage("envelope has 9 signatures, at most 8 are allowed");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"\"", "[1]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("signatures[0] must be an object");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"\"", "[{\"sig\":\"AAAA\"}]")))
                .isInstanceOf(EnvelopeException.class).hasMessage("signatures[0]: missing field 'keyid'");
        assertThatThrownBy(() -> Envelope.parse(envelope("\"t\"", "\"\"", "[{\"keyid\":\"k\",\"sig\":\"AA\"}]")))
                .isInstanceOf(EnvelopeException.class)
                .hasMessage("signatures[0].sig: not canonical padded base64: 'AA'");
        assertThatThrownBy(() -> Envelope.parse("{\"payloadType\":\"t\""))
                .isInstanceOf(EnvelopeException.class)
                .hasMessage("envelope is not a JSON object: unexpected end of input at offset 18");
    }

    @Test
    void parse_acceptsEightSignaturesAndIgnoresUnknownFields() {
        String eight = "[" + (SIG + ",").repeat(7) + SIG + "]";
        Envelope e = Envelope.parse("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":" + eight
                + ",\"extra\":1}");
        assertThat(e.signatures()).hasSize(8);
        assertThat(e.payload()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(Envelope.parse(Json.parseObject(e.toJsonString()))).isEqualTo(e);
    }

    @Test
    void signer_refusesTooManyKeys() {
        Ed25519PrivateKey[] nine = new Ed25519PrivateKey[9];
        java.util.Arrays.fill(nine, ALICE);
        assertThatThrownBy(() -> EnvelopeSigner.sign(TYPE, PAYLOAD, nine)).isInstanceOf(EnvelopeException.class)
                .hasMessage("envelope has 9 signatures, at most 8 are allowed");
        assertThatThrownBy(() -> EnvelopeSigner.sign(TYPE, PAYLOAD)).isInstanceOf(EnvelopeException.class)
                .hasMessage("envelope has no signatures");
    }

    @Test
    void payloadAndSignatureBytesAreCopies() {
        byte[] payload = PAYLOAD.clone();
        Envelope e = EnvelopeSigner.sign(TYPE, payload, ALICE);
        payload[0] = 'X';
        e.payload()[0] = 'Y';
        assertThat(e.payload()).isEqualTo(PAYLOAD);
        Signature s = e.signatures().get(0);
        byte[] sig = s.sig();
        sig[0] ^= 1;
        assertThat(s.sig()).isNotEqualTo(sig);
        assertThat(new Signature(s.keyid(), s.sig())).isEqualTo(s).hasSameHashCodeAs(s);
    }
}
