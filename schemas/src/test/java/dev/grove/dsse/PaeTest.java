package dev.grove.dsse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PaeTest {

    @Test
    void dsseSpecKnownAnswer() {
        byte[] pae = Pae.encode("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void lengthsAreUtf8ByteLengths() {
        // "t\u00e9st/\u2603" is 6 characters but 9 UTF-8 bytes; "\u00e9\u00e9" is 2 characters but 4 bytes
        byte[] pae = Pae.encode("t\u00e9st/\u2603", "\u00e9\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 9 t\u00e9st/\u2603 4 \u00e9\u00e9");
    }

    @Test
    void emptyPayloadAndBinaryBytesKeptAsIs() {
        assertThat(Pae.encode("", new byte[0])).isEqualTo("DSSEv1 0  0 ".getBytes(StandardCharsets.US_ASCII));
        byte[] pae = Pae.encode("x", new byte[] {0, (byte) 0xff});
        assertThat(pae).containsExactly('D', 'S', 'S', 'E', 'v', '1', ' ', '1', ' ', 'x', ' ', '2', ' ', 0, 0xff);
    }
}
