package dev.grove.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SigningKeyFileTest {
    private static final Ed25519PrivateKey KEY = Ed25519PrivateKey.fromSeed(Hex.decode(Ed25519Test.SEED1));
    private static final String KEYID = KEY.keyId().hex();
    private static final String PUB = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    private static final String PRIV = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

    @Test
    void write_thenRead() {
        String json = SigningKeyFile.write(KEY);
        assertThat(json).isEqualTo("{\"type\":\"ed25519\",\"keyid\":\"" + KEYID + "\",\"publicKey\":\"" + PUB
                + "\",\"privateKey\":\"" + PRIV + "\"}");
        Ed25519PrivateKey read = SigningKeyFile.read(json);
        assertThat(read.seed()).isEqualTo(KEY.seed());
        assertThat(new SigningKeyFile(KEY).toString()).doesNotContain(PRIV);
    }

    private static String file(String type, String keyid, String pub, String priv) {
        return "{\"type\":\"" + type + "\",\"keyid\":\"" + keyid + "\",\"publicKey\":\"" + pub + "\",\"privateKey\":\""
                + priv + "\"}";
    }

    @Test
    void read_refusesInconsistentOrMalformedFiles() {
        String otherPub = Ed25519PrivateKey.fromSeed(new byte[32]).publicKey().base64();
        String otherId = Ed25519PrivateKey.fromSeed(new byte[32]).keyId().hex();
        assertThatThrownBy(() -> SigningKeyFile.read(file("rsa", KEYID, PUB, PRIV)))
                .isInstanceOf(KeyFileException.class).hasMessage("key file type is 'rsa', expected 'ed25519'");
        assertThatThrownBy(() -> SigningKeyFile.read(file("ed25519", KEYID, otherPub, PRIV)))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("key file publicKey " + otherPub + " does not match the private key (" + PUB + ")");
        assertThatThrownBy(() -> SigningKeyFile.read(file("ed25519", otherId, PUB, PRIV)))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("key file keyid " + otherId + " does not match the private key (" + KEYID + ")");
        assertThatThrownBy(() -> SigningKeyFile.read(file("ed25519", KEYID, PUB, "AQI=")))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("key file privateKey must be a 32-byte seed, got 2 bytes");
        assertThatThrownBy(() -> SigningKeyFile.read(file("ed25519", KEYID, PUB, "!!")))
                .isInstanceOf(KeyFileException.class).hasMessage("key file privateKey: not base64");
        assertThatThrownBy(() -> SigningKeyFile.read("{\"type\":\"ed25519\"}"))
                .isInstanceOf(KeyFileException.class).hasMessage("key file: missing field 'keyid'");
        assertThatThrownBy(() -> SigningKeyFile.read("not json"))
                .isInstanceOf(KeyFileException.class).hasMessage("key file: unexpected character 'n' at offset 0");
    }
}
