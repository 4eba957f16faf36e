package dev.grove.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    // FIPS 180-2 two-block message
    private static final String TWO_BLOCK = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";

    @Test
    void knownAnswers() {
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(ABC);
        assertThat(Sha256.of(new byte[0]).hex()).isEqualTo(EMPTY);
        assertThat(Sha256.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                .getBytes(StandardCharsets.US_ASCII)).hex()).isEqualTo(TWO_BLOCK);
    }

    @Test
    void hasher_streamsInPieces() {
        byte[] data = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
        Sha256Hasher h = new Sha256Hasher();
        h.update(data, 0, 5).update(data, 5, 20).update(new byte[0]);
        byte[] rest = new byte[data.length - 25];
        System.arraycopy(data, 25, rest, 0, rest.length);
        h.update(rest);
        assertThat(h.digest().hex()).isEqualTo(TWO_BLOCK);
        assertThatThrownBy(h::digest).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toString_parseRoundTrip() {
        Sha256 d = Sha256.of("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.toString()).isEqualTo("sha256:" + ABC);
        assertThat(Sha256.parse(d.toString())).isEqualTo(d).hasSameHashCodeAs(d);
        assertThat(Sha256.fromBytes(d.bytes())).isEqualTo(d);
        assertThat(d).isNotEqualTo(Sha256.of(new byte[0]));
    }

    @Test
    void bytes_areCopies() {
        Sha256 d = Sha256.of(new byte[0]);
        d.bytes()[0] = 0;
        assertThat(d.hex()).isEqualTo(EMPTY);
        byte[] raw = d.bytes();
        Sha256 e = Sha256.fromBytes(raw);
        raw[0] = 0;
        assertThat(e).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "abc", ABC, "sha256:", "SHA256:" + ABC, "sha256:" + "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        "sha256:" + ABC + "00", "sha256:" + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
        "sha512:" + ABC, " sha256:" + ABC, "sha256:" + "zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    })
    void parse_refuses(String text) {
        assertThatThrownBy(() -> Sha256.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a sha256 digest: '" + text + "'");
    }

    @Test
    void fromBytes_refusesWrongLength() {
        assertThatThrownBy(() -> Sha256.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a sha256 digest has 32 bytes, got 31");
    }

    @Test
    void hex_codec() {
        assertThat(Hex.encode(new byte[] {0, 1, (byte) 0xab, (byte) 0xff})).isEqualTo("0001abff");
        assertThat(Hex.decode("0001abff")).containsExactly(0, 1, 0xab, 0xff);
        assertThat(Hex.decode("")).isEmpty();
        assertThatThrownBy(() -> Hex.decode("abc")).hasMessage("not lowercase hex (odd length 3): 'abc'");
        assertThatThrownBy(() -> Hex.decode("AB")).hasMessage("not lowercase hex (character 0): 'AB'");
        assertThatThrownBy(() -> Hex.decode("0g")).hasMessage("not lowercase hex (character 1): '0g'");
    }

    @Test
    void strictBase64() {
        assertThat(StrictBase64.encode(new byte[] {1, 2})).isEqualTo("AQI=");
        assertThat(StrictBase64.decode("AQI=")).containsExactly(1, 2);
        assertThatThrownBy(() -> StrictBase64.decode("AQI")).hasMessage("not canonical padded base64: 'AQI'");
        assertThatThrownBy(() -> StrictBase64.decode("AQJ=")).hasMessage("not canonical padded base64: 'AQJ='");
        assertThatThrownBy(() -> StrictBase64.decode("A-_=")).hasMessage("not base64: 'A-_='");
        assertThatThrownBy(() -> StrictBase64.decode("AQ I=")).hasMessage("not base64: 'AQ I='");
    }
}
