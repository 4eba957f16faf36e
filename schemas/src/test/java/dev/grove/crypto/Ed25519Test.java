package dev.grove.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Known answers from RFC 8032 section 7.1, TEST 1 and TEST 2. */
class Ed25519Test {
    static final String SEED1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PUB1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    @ParameterizedTest
    @CsvSource({
        SEED1 + "," + PUB1 + ",,"
            + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
            + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,72,"
            + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    })
    void rfc8032_knownAnswers(String seed, String pub, String message, String signature) {
        byte[] msg = message == null ? new byte[0] : Hex.decode(message);
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(Hex.decode(seed));
        assertThat(Hex.encode(key.publicKey().bytes())).isEqualTo(pub);
        assertThat(Hex.encode(key.sign(msg))).isEqualTo(signature);

        Ed25519PublicKey pk = Ed25519PublicKey.fromBytes(Hex.decode(pub));
        assertThat(pk).isEqualTo(key.publicKey());
        assertThat(pk.verify(msg, Hex.decode(signature))).isTrue();
        byte[] other = new byte[msg.length + 1];
        assertThat(pk.verify(other, Hex.decode(signature))).isFalse();
        byte[] badSig = Hex.decode(signature);
        badSig[10] ^= 1;
        assertThat(pk.verify(msg, badSig)).isFalse();
    }

    @Test
    void keyId_isSha256OfRawPublicKey() {
        Ed25519PublicKey pk = Ed25519PublicKey.fromBytes(Hex.decode(PUB1));
        assertThat(pk.keyId().hex()).isEqualTo(Sha256.of(Hex.decode(PUB1)).hex());
        assertThat(KeyId.of(pk)).isEqualTo(pk.keyId());
        assertThat(KeyId.parse(pk.keyId().toString())).isEqualTo(pk.keyId()).hasSameHashCodeAs(pk.keyId());
        assertThat(Ed25519PrivateKey.fromSeed(Hex.decode(SEED1)).keyId()).isEqualTo(pk.keyId());
    }

    @Test
    void keyId_parseRefuses() {
        assertThatThrownBy(() -> KeyId.parse("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a key id (64 lowercase hex digits): 'abc'");
        assertThatThrownBy(() -> KeyId.parse(PUB1.toUpperCase())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a key id (64 lowercase hex digits): '" + PUB1.toUpperCase() + "'");
    }

    @Test
    void verify_neverThrowsOnMalformedSignature() {
        Ed25519PublicKey pk = Ed25519PublicKey.fromBytes(Hex.decode(PUB1));
        assertThat(pk.verify(new byte[0], new byte[63])).isFalse();
        assertThat(pk.verify(new byte[0], new byte[65])).isFalse();
        assertThat(pk.verify(new byte[0], new byte[64])).isFalse();
        byte[] ff = new byte[64];
        java.util.Arrays.fill(ff, (byte) 0xff);
        assertThat(pk.verify(new byte[0], ff)).isFalse();
        assertThat(pk.verify(null, ff)).isFalse();
        assertThat(pk.verify(new byte[0], null)).isFalse();
    }

    @Test
    void publicKey_base64RoundTrip() {
        Ed25519PublicKey pk = Ed25519PublicKey.fromBytes(Hex.decode(PUB1));
        assertThat(pk.base64()).isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assertThat(Ed25519PublicKey.fromBase64(pk.base64())).isEqualTo(pk);
    }

    @Test
    void publicKey_refusesInvalidEncodings() {
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an Ed25519 public key has 32 bytes, got 31");
        // the identity point (small order) and a y >= p are refused
        byte[] identity = new byte[32];
        identity[0] = 1;
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(identity)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid Ed25519 public key: " + Hex.encode(identity));
        byte[] notOnCurve = new byte[32];
        java.util.Arrays.fill(notOnCurve, (byte) 0xff);
        notOnCurve[31] = 0x7f;
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(notOnCurve)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid Ed25519 public key: " + Hex.encode(notOnCurve));
        assertThatThrownBy(() -> Ed25519PublicKey.fromBase64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not canonical padded base64: '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo'");
    }

    @Test
    void privateKey_seedLengthAndSecrecy() {
        assertThatThrownBy(() -> Ed25519PrivateKey.fromSeed(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an Ed25519 seed has 32 bytes, got 16");
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(Hex.decode(SEED1));
        assertThat(key.toString()).isEqualTo("Ed25519PrivateKey[keyid=" + key.keyId().hex() + "]")
                .doesNotContain(SEED1);
        assertThat(Hex.encode(key.seed())).isEqualTo(SEED1);
        key.seed()[0] = 0;
        assertThat(Hex.encode(key.seed())).isEqualTo(SEED1);
    }

    @Test
    void generate_producesWorkingDistinctKeys() {
        Ed25519PrivateKey a = Ed25519PrivateKey.generate();
        Ed25519PrivateKey b = Ed25519PrivateKey.generate();
        assertThat(a.keyId()).isNotEqualTo(b.keyId());
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(a.publicKey().verify(msg, a.sign(msg))).isTrue();
        assertThat(b.publicKey().verify(msg, a.sign(msg))).isFalse();
    }
}
