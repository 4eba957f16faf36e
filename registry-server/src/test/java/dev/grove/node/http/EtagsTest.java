package dev.grove.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EtagsTest {

    static final String TAG = "\"sha256-abc\"";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"sha256-abc\"                 | true",
            "W/\"sha256-abc\"               | true",
            "*                              | true",
            "\"x\", \"sha256-abc\"          | true",
            "\"x\",W/\"sha256-abc\" ,\"y\"  | true",
            "\"x\" ,\t\"sha256-abc\"\t      | true",
            "\"sha256-abd\"                 | false",
            "sha256-abc                     | false",
            "\"sha256-abc                   | false",
            "\"x\", \"y\"                   | false",
            "**                             | false",
            "W/                             | false",
            "','                            | false",
    })
    void ifNoneMatchIsComparedWeaklyAgainstEachListedTag(String header, boolean matches) {
        assertThat(Etags.matches(header, TAG)).as(header).isEqualTo(matches);
    }

    @Test
    void noHeaderMatchesNothing() {
        assertThat(Etags.matches(null, TAG)).isFalse();
        assertThat(Etags.matches("", TAG)).isFalse();
    }

    @Test
    void aStrongTagIsTheBase64urlSha256OfTheBytes() {
        // SHA-256 of "abc" is ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
        assertThat(Etags.strong("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("\"sha256-ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0\"");
    }
}
