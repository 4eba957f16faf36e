package dev.grove.semver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3", "10.20.30", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7",
        "1.0.0-x.7.z.92", "1.0.0-x-y-z.--", "1.3.0-rc.1", "2147483647.0.0", "1.0.0-0", "1.0.0-00a"})
    void parse_toStringRoundTrips(String text) {
        SemVer v = SemVer.parse(text);
        assertThat(v.toString()).isEqualTo(text);
        assertThat(SemVer.parse(v.toString())).isEqualTo(v);
    }

    @Test
    void parse_components() {
        SemVer v = SemVer.parse("1.3.0-rc.1");
        assertThat(v.major()).isEqualTo(1);
        assertThat(v.minor()).isEqualTo(3);
        assertThat(v.patch()).isEqualTo(0);
        assertThat(v.prerelease()).containsExactly("rc", "1");
        assertThat(v.isPrerelease()).isTrue();
        assertThat(v.release()).isEqualTo(SemVer.of(1, 3, 0));
        assertThat(SemVer.parse("1.3.0").isPrerelease()).isFalse();
    }

    @Test
    void precedence_semverOrgExample() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0");
        List<SemVer> shuffled = new ArrayList<>();
        for (String s : ordered) {
            shuffled.add(SemVer.parse(s));
        }
        Collections.reverse(shuffled);
        Collections.shuffle(shuffled, new java.util.Random(7));
        Collections.sort(shuffled);
        assertThat(shuffled).extracting(SemVer::toString).containsExactlyElementsOf(ordered);
        for (int i = 0; i + 1 < ordered.size(); i++) {
            SemVer a = SemVer.parse(ordered.get(i));
            SemVer b = SemVer.parse(ordered.get(i + 1));
            assertThat(a.compareTo(b)).as(a + " < " + b).isNegative();
            assertThat(b.compareTo(a)).as(b + " > " + a).isPositive();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.0-2, 1.0.0-10",            // numeric identifiers compare numerically
        "1.0.0-999, 1.0.0-a",           // numeric lower than alphanumeric
        "1.0.0-Z, 1.0.0-a",             // ASCII order
        "1.0.0-a.b, 1.0.0-a.b.0",       // shorter prefix lower
        "1.0.0-99999999999999999999, 1.0.0-100000000000000000000", // beyond long range
    })
    void precedence_rules(String lower, String higher) {
        assertThat(SemVer.parse(lower)).isLessThan(SemVer.parse(higher));
    }

    @Test
    void equalPrecedenceMeansEqual() {
        assertThat(SemVer.parse("1.0.0-rc.1").compareTo(SemVer.parse("1.0.0-rc.1"))).isZero();
        assertThat(SemVer.parse("1.0.0-rc.1")).isEqualTo(SemVer.parse("1.0.0-rc.1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.0.0+build.1|build metadata is not allowed: '1.0.0+build.1'",
        "1.0.0-rc.1+x|build metadata is not allowed: '1.0.0-rc.1+x'",
        "1.0|not a semantic version: '1.0': expected MAJOR.MINOR.PATCH",
        "1.0.0.0|not a semantic version: '1.0.0.0': expected MAJOR.MINOR.PATCH",
        "v1.0.0|not a semantic version: 'v1.0.0': 'v1' is not a number",
        "01.0.0|not a semantic version: '01.0.0': '01' has a leading zero",
        "1.00.0|not a semantic version: '1.00.0': '00' has a leading zero",
        "1..0|not a semantic version: '1..0': '' is not a number",
        "1.0.0-|not a semantic version: '1.0.0-': pre-release identifier '' is empty",
        "1.0.0-rc..1|not a semantic version: '1.0.0-rc..1': pre-release identifier '' is empty",
        "1.0.0-01|not a semantic version: '1.0.0-01': pre-release identifier '01' has a leading zero",
        "1.0.0-r_c|not a semantic version: '1.0.0-r_c': pre-release identifier 'r_c' has a character outside [0-9A-Za-z-]",
        "2147483648.0.0|not a semantic version: '2147483648.0.0': '2147483648' is too large",
        "-1.0.0|not a semantic version: '-1.0.0': expected MAJOR.MINOR.PATCH",
        "latest|not a semantic version: 'latest': expected MAJOR.MINOR.PATCH",
    })
    void parse_refuses(String text, String message) {
        assertThatThrownBy(() -> SemVer.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parse_checksTheLengthBeforeParsing() {
        String deep = "1.0.0-" + "a.".repeat(2000) + "a";
        assertThatThrownBy(() -> SemVer.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("...': longer than 128 characters");
        String longest = "1.0.0-" + "a".repeat(SemVer.MAX_LENGTH - 6);
        assertThat(SemVer.parse(longest).prerelease()).containsExactly("a".repeat(122));
        assertThatThrownBy(() -> SemVer.parse(longest + "b")).hasMessageEndingWith("longer than 128 characters");
    }

    @Test
    void parse_manyIdentifiersWithinTheLimit() {
        String dotted = "1.0.0-" + "1.".repeat(60) + "x";
        assertThat(SemVer.parse(dotted).prerelease()).hasSize(61);
        assertThat(SemVer.parse(dotted).toString()).isEqualTo(dotted);
    }

    @Test
    void parse_refusesWhitespace() {
        assertThatThrownBy(() -> SemVer.parse("1.0.0 ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a semantic version: '1.0.0 ': '0 ' is not a number");
    }

    @Test
    void constructor_validates() {
        assertThatThrownBy(() -> new SemVer(1, -1, 0, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version numbers must not be negative: 1.-1.0");
        assertThatThrownBy(() -> new SemVer(1, 0, 0, List.of("a b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid pre-release identifier 'a b': has a character outside [0-9A-Za-z-]");
    }
}
