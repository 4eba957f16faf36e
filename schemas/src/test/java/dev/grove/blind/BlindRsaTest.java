package dev.grove.blind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlindRsaTest {

    private static Map<String, String> vector;
    private static BlindRsaPrivateKey vectorKey;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static BlindRsaPrivateKey key2048;
    private static BlindRsaPrivateKey otherKey2048;

    @BeforeAll
    static void load() throws IOException {
        vector = readVector("rfc9474-a-rsabssa-sha384-pss-randomized.txt");
        vectorKey = BlindRsaPrivateKey.of(big("p"), big("q"), big("e"), big("d"));
        BlindRsaPrivateKey a = BlindRsaPrivateKey.generate(2048, RANDOM);
        BlindRsaPrivateKey b = BlindRsaPrivateKey.generate(2048, RANDOM);
        // the other key's modulus is the larger, so that it can sign any message blinded for the first
        boolean aSmaller = a.publicKey().modulus().compareTo(b.publicKey().modulus()) < 0;
        key2048 = aSmaller ? a : b;
        otherKey2048 = aSmaller ? b : a;
    }

    @Test
    void rfc9474AppendixA_everyStepMatchesByteForByte() throws Exception {
        BlindRsaPublicKey pk = vectorKey.publicKey();
        assertThat(pk.modulus()).isEqualTo(big("n"));

        byte[] prepared = BlindRsa.prepare(bytes("msg"), bytes("msg_prefix"));
        assertThat(Hex.encode(prepared)).isEqualTo(vector.get("prepared_msg"));

        BigInteger r = big("inv").modInverse(pk.modulus());
        Blinding blinding = BlindRsa.blind(pk, prepared, bytes("salt"), r);
        assertThat(Hex.encode(blinding.blindedMessage())).isEqualTo(vector.get("blinded_msg"));

        byte[] blindSig = BlindRsa.blindSign(vectorKey, blinding.blindedMessage(), RANDOM);
        assertThat(Hex.encode(blindSig)).isEqualTo(vector.get("blind_sig"));

        byte[] sig = BlindRsa.finalizeSignature(pk, blinding, blindSig);
        assertThat(Hex.encode(sig)).isEqualTo(vector.get("sig"));
        assertThat(BlindRsa.verify(pk, prepared, sig)).isTrue();
    }

    @Test
    void rfc9474AppendixA_prepareWithRandomnessUsesItAsThePrefix() {
        byte[] prefix = bytes("msg_prefix");
        byte[] prepared = BlindRsa.prepare(bytes("msg"), out -> System.arraycopy(prefix, 0, out, 0, out.length));
        assertThat(Hex.encode(prepared)).isEqualTo(vector.get("prepared_msg"));
    }

    @Test
    void verify_refusesAChangedMessageOrSignatureAndAnotherKey() {
        BlindRsaPublicKey pk = vectorKey.publicKey();
        byte[] prepared = bytes("prepared_msg");
        byte[] sig = bytes("sig");
        assertThat(BlindRsa.verify(pk, prepared, sig)).isTrue();

        byte[] otherMessage = prepared.clone();
        otherMessage[40] ^= 1;
        assertThat(BlindRsa.verify(pk, otherMessage, sig)).isFalse();
        byte[] otherSig = sig.clone();
        otherSig[100] ^= 1;
        assertThat(BlindRsa.verify(pk, prepared, otherSig)).isFalse();
        assertThat(BlindRsa.verify(key2048.publicKey(), prepared, sig)).isFalse();
        assertThat(BlindRsa.verify(pk, prepared, new byte[10])).isFalse();
        byte[] tooLarge = new byte[pk.modulusBytes()];
        java.util.Arrays.fill(tooLarge, (byte) 0xff);
        assertThat(BlindRsa.verify(pk, prepared, tooLarge)).isFalse();
    }

    @Test
    void crossCheck_bouncyCastlePssSignerAgreesInBothDirections() throws Exception {
        // BouncyCastle's PSSSigner verifies the RFC's signature and one made here
        BlindRsaPublicKey vk = vectorKey.publicKey();
        assertThat(bcVerify(vk, bytes("prepared_msg"), bytes("sig"))).isTrue();
        byte[] prepared = BlindRsa.prepare("cross".getBytes(StandardCharsets.UTF_8), RANDOM::nextBytes);
        Blinding blinding = BlindRsa.blind(key2048.publicKey(), prepared, RANDOM::nextBytes);
        byte[] sig = BlindRsa.finalizeSignature(key2048.publicKey(), blinding,
                BlindRsa.blindSign(key2048, blinding.blindedMessage(), RANDOM));
        assertThat(bcVerify(key2048.publicKey(), prepared, sig)).isTrue();
        sig[7] ^= 1;
        assertThat(bcVerify(key2048.publicKey(), prepared, sig)).isFalse();

        // and a plain PSS signature by BouncyCastle verifies here
        for (int i = 0; i < 20; i++) {
            byte[] message = new byte[1 + i * 7];
            RANDOM.nextBytes(message);
            org.bouncycastle.crypto.signers.PSSSigner signer = new org.bouncycastle.crypto.signers.PSSSigner(
                    new org.bouncycastle.crypto.engines.RSAEngine(), new org.bouncycastle.crypto.digests.SHA384Digest(),
                    new org.bouncycastle.crypto.digests.SHA384Digest(), BlindRsa.SALT_BYTES);
            signer.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(key2048.params(), RANDOM));
            signer.update(message, 0, message.length);
            byte[] bcSig = signer.generateSignature();
            byte[] padded = BlindRsa.i2osp(new BigInteger(1, bcSig), 256);
            assertThat(BlindRsa.verify(key2048.publicKey(), message, padded)).isTrue();
            message[0] ^= 1;
            assertThat(BlindRsa.verify(key2048.publicKey(), message, padded)).isFalse();
        }
    }

    private static boolean bcVerify(BlindRsaPublicKey key, byte[] message, byte[] sig) {
        org.bouncycastle.crypto.signers.PSSSigner verifier = new org.bouncycastle.crypto.signers.PSSSigner(
                new org.bouncycastle.crypto.engines.RSAEngine(), new org.bouncycastle.crypto.digests.SHA384Digest(),
                new org.bouncycastle.crypto.digests.SHA384Digest(), BlindRsa.SALT_BYTES);
        verifier.init(false, new org.bouncycastle.crypto.params.RSAKeyParameters(false, key.modulus(), key.exponent()));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(sig);
    }

    @Test
    void roundTrip_withAFreshKeyAndRealRandomness() throws Exception {
        BlindRsaPublicKey pk = key2048.publicKey();
        byte[] prepared = BlindRsa.prepare("a token".getBytes(StandardCharsets.UTF_8), RANDOM::nextBytes);
        Blinding blinding = BlindRsa.blind(pk, prepared, RANDOM::nextBytes);
        assertThat(blinding.blindedMessage()).hasSize(256);
        byte[] sig = BlindRsa.finalizeSignature(pk, blinding,
                BlindRsa.blindSign(key2048, blinding.blindedMessage(), RANDOM));
        assertThat(sig).hasSize(256);
        assertThat(BlindRsa.verify(pk, prepared, sig)).isTrue();
    }

    @Test
    void blinding_twiceGivesUnrelatedBlindedMessages() throws Exception {
        BlindRsaPublicKey pk = key2048.publicKey();
        byte[] prepared = BlindRsa.prepare(new byte[8], RANDOM::nextBytes);
        assertThat(BlindRsa.blind(pk, prepared, RANDOM::nextBytes).blindedMessage())
                .isNotEqualTo(BlindRsa.blind(pk, prepared, RANDOM::nextBytes).blindedMessage());
    }

    @Test
    void finalize_refusesABlindSignatureByAnotherKey() throws Exception {
        byte[] prepared = BlindRsa.prepare(new byte[8], RANDOM::nextBytes);
        Blinding blinding = BlindRsa.blind(key2048.publicKey(), prepared, RANDOM::nextBytes);
        byte[] wrong = BlindRsa.blindSign(otherKey2048, blinding.blindedMessage(), RANDOM);
        assertThatThrownBy(() -> BlindRsa.finalizeSignature(key2048.publicKey(), blinding, wrong))
                .isInstanceOf(BlindSignatureException.class)
                .hasMessage("the signature does not verify with the issuer's key");
        assertThatThrownBy(() -> BlindRsa.finalizeSignature(key2048.publicKey(), blinding, new byte[255]))
                .isInstanceOf(BlindSignatureException.class)
                .hasMessage("a blind signature for this key has 256 bytes, not 255");
    }

    @Test
    void blindSign_refusesAMessageOfTheWrongLengthOrNotBelowTheModulus() {
        assertThatThrownBy(() -> BlindRsa.blindSign(key2048, new byte[255], RANDOM))
                .isInstanceOf(BlindSignatureException.class)
                .hasMessage("a blinded message for this key has 256 bytes, not 255");
        byte[] ones = new byte[256];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThatThrownBy(() -> BlindRsa.blindSign(key2048, ones, RANDOM))
                .isInstanceOf(BlindSignatureException.class)
                .hasMessage("the blinded message is not below the key's modulus");
    }

    @Test
    void publicKey_keyIdIsTheSha256OfTheLengthPrefixedComponents() {
        BlindRsaPublicKey pk = vectorKey.publicKey();
        byte[] n = bytes("n");
        byte[] e = bytes("e");
        byte[] encoded = new byte[8 + n.length + e.length];
        encoded[2] = 2; // 512 = 0x00000200
        System.arraycopy(n, 0, encoded, 4, n.length);
        encoded[4 + n.length + 3] = 3;
        System.arraycopy(e, 0, encoded, 8 + n.length, e.length);
        assertThat(pk.keyId()).isEqualTo(dev.grove.crypto.Sha256.of(encoded).hex()).hasSize(64);
        assertThat(BlindRsaPublicKey.fromBytes(pk.modulusBytesMinimal(), pk.exponentBytesMinimal())).isEqualTo(pk);
        assertThat(key2048.publicKey().keyId()).isNotEqualTo(pk.keyId());
    }

    @Test
    void publicKey_refusesSmallOrEvenModuliAndBadExponents() {
        assertThatThrownBy(() -> BlindRsaPublicKey.of(BigInteger.ONE.shiftLeft(1023).add(BigInteger.ONE),
                BigInteger.valueOf(65537)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an RSA modulus is odd and 2048 to 4096 bits long, not 1024 bits");
        BigInteger n = key2048.publicKey().modulus();
        assertThatThrownBy(() -> BlindRsaPublicKey.of(n, BigInteger.valueOf(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an RSA public exponent is odd, at least 3 and below n, not 4");
        assertThatThrownBy(() -> BlindRsaPublicKey.fromBytes(new byte[] {0, 1}, new byte[] {3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be minimal big-endian bytes (no leading zero byte)");
    }

    @Test
    void base64Url_decodesOnlyTheCanonicalUnpaddedSpelling() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x01};
        assertThat(Base64Url.encode(bytes)).isEqualTo("-_8B");
        assertThat(Base64Url.decode("-_8B")).isEqualTo(bytes);
        assertThat(Base64Url.decode("AQ")).isEqualTo(new byte[] {1});
        assertThatThrownBy(() -> Base64Url.decode("AQ==")).hasMessage("not unpadded base64url: character '=' at 2");
        assertThatThrownBy(() -> Base64Url.decode("+/8B")).hasMessage("not unpadded base64url: character '+' at 0");
        assertThatThrownBy(() -> Base64Url.decode("AR")).hasMessage("not canonical base64url (non-zero trailing bits)");
        assertThatThrownBy(() -> Base64Url.decode("A"))
                .hasMessage("not base64url: 1 characters cannot encode whole bytes");
    }

    private static BigInteger big(String name) {
        return new BigInteger(vector.get(name), 16);
    }

    private static byte[] bytes(String name) {
        return Hex.decode(vector.get(name));
    }

    private static Map<String, String> readVector(String resource) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        try (InputStream in = BlindRsaTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf(" = ");
                values.put(line.substring(0, eq), line.substring(eq + 3).trim());
            }
        }
        return values;
    }
}
