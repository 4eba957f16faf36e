package dev.grove.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "\"\"", "0", "-0", "1.5", "-12.25e+3", "1E-5", "true", "false", "null",
        "{\"b\":1,\"a\":[true,null,{\"x\":\"y\"}]}",
        "[1,2,3,[[]],{}]",
        "\"h\\u00e9llo \u00e9 \ud83d\ude00\"",
        "123456789012345678901234567890",
    })
    void parse_writeRoundTrip(String text) {
        JsonValue v = Json.parse(text);
        String written = Json.write(v);
        assertThat(Json.parse(written)).isEqualTo(v);
    }

    @Test
    void write_isCompactAndKeepsMemberOrder() {
        JsonValue v = Json.parse(" { \"z\" : 1 ,\n\t\"a\" : [ 1 , 2 ] , \"m\" : { } } ");
        assertThat(Json.write(v)).isEqualTo("{\"z\":1,\"a\":[1,2],\"m\":{}}");
    }

    @Test
    void write_keepsNumberLiteralsExactly() {
        assertThat(Json.write(Json.parse("[1.50,1E2,-0,12345678901234567890123]")))
                .isEqualTo("[1.50,1E2,-0,12345678901234567890123]");
    }

    @Test
    void write_escapesOnlyQuotesBackslashesAndControls() {
        JsonString s = new JsonString("a\"b\\c/\n\t\r\b\f\u0001\u001f\u007f\u00e9\u2028\ud83d\ude00");
        assertThat(Json.write(s)).isEqualTo("\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\u007f\u00e9\u2028\ud83d\ude00\"");
    }

    @Test
    void writeBytes_isUtf8() {
        assertThat(Json.writeBytes(new JsonString("\u00e9\ud83d\ude00")))
                .isEqualTo("\"\u00e9\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_decodesEscapes() {
        assertThat(Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00E9\\ud83d\\ude00\""))
                .isEqualTo(new JsonString("\"\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00"));
    }

    @Test
    void parse_bytesDecodesUtf8() {
        byte[] utf8 = "{\"k\":\"\u00e9\u4e2d\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Json.parseObject(utf8).string("k")).isEqualTo("\u00e9\u4e2d\ud83d\ude00");
    }

    @Test
    void parse_acceptsDepth64() {
        String text = "[".repeat(64) + "]".repeat(64);
        assertThat(Json.parse(text)).isInstanceOf(JsonArray.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|unexpected end of input at offset 0",
        "`  `|unexpected end of input at offset 2",
        "{|unexpected end of input at offset 1",
        "{\"a\":1|unexpected end of input at offset 6",
        "{\"a\":1 \"b\":2}|expected ',' or '}' at offset 7",
        "{\"a\" 1}|expected ':' at offset 5",
        "{\"a\":1,}|expected a string key at offset 7",
        "{a:1}|expected a string key at offset 1",
        "[1 2]|expected ',' or ']' at offset 3",
        "[1,]|unexpected character ']' at offset 3",
        "{\"x\":1,\"x\":2}|duplicate key \"x\" at offset 7",
        "{} {}|trailing data after the JSON value at offset 3",
        "1 x|trailing data after the JSON value at offset 2",
        "tru|unexpected character 't' at offset 0",
        "nul|unexpected character 'n' at offset 0",
        "True|unexpected character 'T' at offset 0",
        "'a'|unexpected character ''' at offset 0",
        "01|invalid number at offset 0",
        "-|invalid number at offset 0",
        "1.|invalid number at offset 0",
        ".5|unexpected character '.' at offset 0",
        "+1|unexpected character '+' at offset 0",
        "1e|invalid number at offset 0",
        "1e+|invalid number at offset 0",
        "[1.0e5x]|invalid number at offset 1",
        "-01|invalid number at offset 0",
        "NaN|unexpected character 'N' at offset 0",
        "\"abc|unterminated string at offset 4",
        "\"\\x\"|invalid escape '\\x' at offset 1",
        "\"\\u12\"|invalid \\u escape at offset 1",
        "\"\\u12g4\"|invalid \\u escape at offset 1",
        "\"\\ud800\"|lone surrogate at offset 1",
        "\"\\ud800\\u0041\"|lone surrogate at offset 1",
        "\"\\udc00\"|lone surrogate at offset 1",
        "\"a\\u0000b\"|NUL character (\\u0000) in string at offset 2",
        "{\"\\u0000\": 1}|NUL character (\\u0000) in string at offset 2",
    })
    void parse_refuses(String text, String message) {
        assertThatThrownBy(() -> Json.parse(text == null ? "" : text))
                .isInstanceOf(JsonException.class)
                .hasMessage(message);
    }

    @Test
    void parse_refusesRawControlCharacterInString() {
        assertThatThrownBy(() -> Json.parse("\"a\nb\""))
                .isInstanceOf(JsonException.class)
                .hasMessage("unescaped control character character U+000A in string at offset 2");
    }

    @Test
    void parse_refusesRawLoneSurrogate() {
        assertThatThrownBy(() -> Json.parse("\"a\ud800\""))
                .isInstanceOf(JsonException.class)
                .hasMessage("lone surrogate at offset 2");
        assertThatThrownBy(() -> Json.parse("\"\udc00\""))
                .isInstanceOf(JsonException.class)
                .hasMessage("lone surrogate at offset 1");
    }

    @Test
    void parse_refusesNonJsonWhitespace() {
        assertThatThrownBy(() -> Json.parse("\u00a01"))
                .isInstanceOf(JsonException.class)
                .hasMessage("unexpected character U+00A0 at offset 0");
    }

    @Test
    void parse_refusesDepth65() {
        String text = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> Json.parse(text))
                .isInstanceOf(JsonException.class)
                .hasMessage("nesting deeper than 64 at offset 64");
        String objects = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
        assertThatThrownBy(() -> Json.parse(objects))
                .isInstanceOf(JsonException.class)
                .hasMessage("nesting deeper than 64 at offset 320");
    }

    @Test
    void parse_refusesHugeNestingWithoutStackOverflow() {
        String text = "[".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(JsonException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "'C0,80', invalid UTF-8 at byte offset 0",        // overlong NUL
        "'E0,80,80', invalid UTF-8 at byte offset 0",     // overlong
        "'ED,A0,80', invalid UTF-8 at byte offset 0",     // encoded surrogate
        "'F4,90,80,80', invalid UTF-8 at byte offset 0",  // above U+10FFFF
        "'FF', invalid UTF-8 at byte offset 0",
        "'80', invalid UTF-8 at byte offset 0",           // lone continuation
        "'22,C3', invalid UTF-8 at byte offset 1 (truncated sequence)",
        "'22,C3,41,22', invalid UTF-8 at byte offset 1",  // bad continuation
    })
    void parseBytes_refusesInvalidUtf8(String hexBytes, String message) {
        String[] parts = hexBytes.split(",");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        assertThatThrownBy(() -> Json.parse(b)).isInstanceOf(JsonException.class).hasMessage(message);
    }

    @Test
    void parseBytes_refusesByteOrderMark() {
        byte[] b = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};
        assertThatThrownBy(() -> Json.parse(b))
                .isInstanceOf(JsonException.class)
                .hasMessage("unexpected character U+FEFF at offset 0");
    }

    @Test
    void parseObject_refusesOtherTopLevelValues() {
        assertThatThrownBy(() -> Json.parseObject("[1]"))
                .isInstanceOf(JsonException.class)
                .hasMessage("expected a JSON object, found array");
        assertThatThrownBy(() -> Json.parseObject("\"x\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(JsonException.class)
                .hasMessage("expected a JSON object, found string");
    }

    @Test
    void jsonString_refusesLoneSurrogate() {
        assertThatThrownBy(() -> new JsonString("ab\ud800"))
                .isInstanceOf(JsonException.class)
                .hasMessage("lone surrogate at index 2 of string");
    }

    @Test
    void builder_andMembersKeepInsertionOrder() {
        JsonObject o = JsonObject.builder()
                .put("s", "text")
                .put("l", 42L)
                .put("d", 0.5)
                .put("b", true)
                .put("n", JsonNull.INSTANCE)
                .put("a", JsonArray.of(List.of(JsonNumber.of(1), new JsonString("x"))))
                .build();
        assertThat(o.members().keySet()).containsExactly("s", "l", "d", "b", "n", "a");
        assertThat(Json.write(o)).isEqualTo("{\"s\":\"text\",\"l\":42,\"d\":0.5,\"b\":true,\"n\":null,\"a\":[1,\"x\"]}");
        assertThatThrownBy(() -> o.members().put("x", JsonNull.INSTANCE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void builder_refusesDuplicateKey() {
        JsonObject.Builder b = JsonObject.builder().put("k", 1L);
        assertThatThrownBy(() -> b.put("k", 2L)).isInstanceOf(JsonException.class).hasMessage("duplicate key 'k'");
    }

    @Test
    void of_copiesMapInOrder() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("z", JsonBoolean.TRUE);
        m.put("a", JsonBoolean.FALSE);
        JsonObject o = JsonObject.of(m);
        m.put("late", JsonNull.INSTANCE);
        assertThat(Json.write(o)).isEqualTo("{\"z\":true,\"a\":false}");
    }

    @Test
    void accessors_returnTypedValues() {
        JsonObject o = Json.parseObject(
                "{\"s\":\"x\",\"i\":7,\"f\":2.5,\"b\":false,\"o\":{\"k\":1},\"a\":[{\"q\":1},\"t\"],\"i2\":3.0}");
        assertThat(o.string("s")).isEqualTo("x");
        assertThat(o.optString("s")).contains("x");
        assertThat(o.optString("none")).isEmpty();
        assertThat(o.integer("i")).isEqualTo(7L);
        assertThat(o.integer("i2")).isEqualTo(3L);
        assertThat(o.number("f")).isEqualTo(2.5);
        assertThat(o.number("i")).isEqualTo(7.0);
        assertThat(o.bool("b")).isFalse();
        assertThat(o.object("o").integer("k")).isEqualTo(1L);
        assertThat(o.optObject("o")).isPresent();
        assertThat(o.optObject("none")).isEmpty();
        assertThat(o.array("a").size()).isEqualTo(2);
        assertThat(o.array("a").object(0).integer("q")).isEqualTo(1L);
        assertThat(o.array("a").string(1)).isEqualTo("t");
        assertThat(o.optArray("none")).isEmpty();
        assertThat(o.has("s")).isTrue();
        assertThat(o.has("none")).isFalse();
        assertThat(o.get("none")).isEmpty();
    }

    @Test
    void accessors_failWithFieldName() {
        JsonObject o = Json.parseObject("{\"s\":1,\"i\":1.5,\"big\":1e30,\"n\":\"x\",\"b\":0,\"o\":[],\"a\":{}}");
        assertThatThrownBy(() -> o.string("version")).hasMessage("missing field 'version'");
        assertThatThrownBy(() -> o.string("s")).hasMessage("field 's' must be a string");
        assertThatThrownBy(() -> o.optString("s")).hasMessage("field 's' must be a string");
        assertThatThrownBy(() -> o.integer("i")).hasMessage("field 'i' must be an integer");
        assertThatThrownBy(() -> o.integer("n")).hasMessage("field 'n' must be an integer");
        assertThatThrownBy(() -> o.integer("big")).hasMessage("field 'big' is out of the 64-bit integer range: 1e30");
        assertThatThrownBy(() -> o.number("n")).hasMessage("field 'n' must be a number");
        assertThatThrownBy(() -> o.bool("b")).hasMessage("field 'b' must be a boolean");
        assertThatThrownBy(() -> o.object("o")).hasMessage("field 'o' must be an object");
        assertThatThrownBy(() -> o.optObject("o")).hasMessage("field 'o' must be an object");
        assertThatThrownBy(() -> o.array("a")).hasMessage("field 'a' must be an array");
        assertThatThrownBy(() -> o.optArray("a")).hasMessage("field 'a' must be an array");
        JsonArray a = Json.parse("[1]") instanceof JsonArray arr ? arr : null;
        assertThatThrownBy(() -> a.object(0)).hasMessage("element [0] must be an object");
        assertThatThrownBy(() -> a.string(0)).hasMessage("element [0] must be a string");
        assertThatThrownBy(() -> a.get(1)).hasMessage("index 1 out of range for array of size 1");
    }

    @Test
    void typeNames() {
        assertThat(Json.parse("{}").typeName()).isEqualTo("object");
        assertThat(Json.parse("[]").typeName()).isEqualTo("array");
        assertThat(Json.parse("1").typeName()).isEqualTo("number");
        assertThat(Json.parse("true").typeName()).isEqualTo("boolean");
        assertThat(Json.parse("null").typeName()).isEqualTo("null");
        assertThat(Json.parse("\"\"").typeName()).isEqualTo("string");
    }
}
