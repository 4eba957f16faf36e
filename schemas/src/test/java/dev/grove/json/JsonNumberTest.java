package dev.grove.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonNumberTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "-0, 0", "42, 42", "-42, -42", "3.0, 3", "3.000, 3", "3e2, 300", "3E+2, 300", "1.5e1, 15",
        "0.0e5, 0", "9223372036854775807, 9223372036854775807", "-9223372036854775808, -9223372036854775808",
        "0e99999999999, 0", "12.3400e2, 1234", "100e-2, 1", "0.5e1, 5", "-0.0, 0", "-92233720368547758.08e2, -9223372036854775808",
        "0.00000000000000000000000000001e29, 1",
    })
    void longValue_exactIntegers(String literal, long expected) {
        JsonNumber n = new JsonNumber(literal);
        assertThat(n.isInteger()).isTrue();
        assertThat(n.longValue()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e-1", "0.001e2", "1e-99999999999", "1234e-2", "-0.5"})
    void longValue_refusesFractions(String literal) {
        JsonNumber n = new JsonNumber(literal);
        assertThat(n.isInteger()).isFalse();
        assertThatThrownBy(n::longValue).isInstanceOf(JsonException.class)
                .hasMessage("number " + literal + " is not an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "1e19", "1e99999999999"})
    void longValue_refusesOutOfRange(String literal) {
        JsonNumber n = new JsonNumber(literal);
        assertThat(n.isInteger()).isTrue();
        assertThatThrownBy(n::longValue).isInstanceOf(JsonException.class)
                .hasMessage("number " + literal + " is out of the 64-bit integer range");
    }

    @Test
    void longLiteralsAreLinear() {
        String huge = "1" + "0".repeat(2_000_000) + "e-2000000";
        assertThat(new JsonNumber(huge).longValue()).isEqualTo(1L);
        String hugeFraction = "1." + "0".repeat(2_000_000) + "1";
        assertThat(new JsonNumber(hugeFraction).isInteger()).isFalse();
        assertThat(new JsonNumber("1" + "0".repeat(2_000_000)).isInteger()).isTrue();
    }

    @Test
    void doubleValue() {
        assertThat(new JsonNumber("0.93").doubleValue()).isEqualTo(0.93);
        assertThat(new JsonNumber("-1E-5").doubleValue()).isEqualTo(-1e-5);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, 0.5, 0.93, 1.0E-5, 123456.789, 1.0E21, Double.MIN_VALUE, Double.MAX_VALUE, 100.0})
    void ofDouble_writesValidJsonThatRoundTrips(double d) {
        JsonNumber n = JsonNumber.of(d);
        JsonValue reparsed = Json.parse(Json.write(n));
        assertThat(reparsed).isEqualTo(n);
        assertThat(((JsonNumber) reparsed).doubleValue()).isEqualTo(d);
    }

    @Test
    void ofDouble_literals() {
        assertThat(JsonNumber.of(1.0E-5).literal()).isEqualTo("1.0E-5");
        assertThat(JsonNumber.of(0.5).literal()).isEqualTo("0.5");
        assertThat(JsonNumber.of(42L).literal()).isEqualTo("42");
    }

    @Test
    void ofDouble_refusesNonFinite() {
        assertThatThrownBy(() -> JsonNumber.of(Double.NaN)).isInstanceOf(JsonException.class)
                .hasMessage("not a JSON number: NaN");
        assertThatThrownBy(() -> JsonNumber.of(Double.POSITIVE_INFINITY)).isInstanceOf(JsonException.class)
                .hasMessage("not a JSON number: Infinity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "01", "+1", ".5", "1.", "1e", "0x10", " 1", "1 ", "NaN", "Infinity", "--1", "1e1.5"})
    void constructor_refusesNonRfcLiterals(String literal) {
        assertThatThrownBy(() -> new JsonNumber(literal)).isInstanceOf(JsonException.class)
                .hasMessage("not a JSON number: '" + literal + "'");
    }

    @Test
    void equalityIsByLiteral() {
        assertThat(new JsonNumber("1")).isEqualTo(JsonNumber.of(1));
        assertThat(new JsonNumber("1.0")).isNotEqualTo(new JsonNumber("1"));
    }
}
