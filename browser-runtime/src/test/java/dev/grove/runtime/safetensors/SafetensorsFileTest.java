package dev.grove.runtime.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsFileTest {

    /** A file made of a length prefix, the header text as given (no padding) and {@code dataLength} zero bytes. */
    static byte[] file(String header, int dataLength) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, dataLength);
    }

    static byte[] file(long declaredLength, byte[] header, int dataLength) {
        byte[] out = new byte[8 + header.length + dataLength];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (declaredLength >>> (8 * i));
        }
        System.arraycopy(header, 0, out, 8, header.length);
        return out;
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void parse_valid() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"grove\"}," + entry("w", "F32", "[2,2]", 0, 16) + ","
                + entry("q", "I8", "[3]", 16, 19) + "," + entry("h", "F16", "[2]", 19, 23) + "}   ";
        byte[] bytes = file(header, 23);
        // w = [1, -2, 0.5, 3]; q = [-1, 0, 127]; h = [1.0 (0x3c00), -2.0 (0xc000)]
        int[] w = {0x3f800000, 0xc0000000, 0x3f000000, 0x40400000};
        int at = bytes.length - 23;
        for (int v : w) {
            for (int j = 0; j < 4; j++) {
                bytes[at++] = (byte) (v >>> (8 * j));
            }
        }
        bytes[at++] = -1;
        bytes[at++] = 0;
        bytes[at++] = 127;
        bytes[at++] = 0x00;
        bytes[at++] = 0x3c;
        bytes[at++] = 0x00;
        bytes[at++] = (byte) 0xc0;

        SafetensorsFile f = SafetensorsFile.parse(bytes);
        assertThat(f.metadata()).containsExactly(java.util.Map.entry("format", "grove"));
        assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("w", "q", "h");
        assertThat(f.shape("w")).containsExactly(2, 2);
        assertThat(f.floats("w")).containsExactly(1f, -2f, 0.5f, 3f);
        assertThat(f.int8("q")).containsExactly(-1, 0, 127);
        assertThat(f.floats("h")).containsExactly(1f, -2f);
        assertThat(f.tensor("q")).isEqualTo(new TensorInfo("q", Dtype.I8, new long[] {3}, 16, 19));
        assertThat(f.dataLength()).isEqualTo(23);
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("badHeaderLength_beyondFile", file(100, "{}".getBytes(StandardCharsets.UTF_8), 0),
                        "header length 100 exceeds the file: only 2 bytes follow the length prefix"),
                Arguments.of("badHeaderLength_aboveCap", file(100_000_001L, new byte[0], 0),
                        "header length 100000001 exceeds the cap of 100000000 bytes"),
                Arguments.of("badHeaderLength_negativeAsSigned", file(-1L, new byte[0], 0),
                        "header length 18446744073709551615 exceeds the cap of 100000000 bytes"),
                Arguments.of("tooShort", new byte[] {2, 0, 0, 0, 0},
                        "file is 5 bytes, shorter than the 8-byte header length prefix"),
                Arguments.of("emptyHeader", file("", 0), "header is empty, expected a JSON object"),
                Arguments.of("notStartingWithBrace", file(" {}", 0),
                        "header does not start with '{' (first byte is 0x20)"),
                Arguments.of("notJson", file("{\"a\":}", 0),
                        "header is not valid JSON: unexpected character '}' at header byte 5"),
                Arguments.of("trailingGarbage", file("{}x", 0),
                        "header is not valid JSON: trailing data after the JSON value at header byte 2"),
                Arguments.of("nulPadding", file("{}\0", 0),
                        "header is not valid JSON: trailing data after the JSON value at header byte 2"),
                Arguments.of("duplicateKey", file("{" + entry("a", "U8", "[1]", 0, 1) + ","
                        + entry("a", "U8", "[1]", 1, 2) + "}", 2),
                        "header is not valid JSON: duplicate key \"a\" at header byte 53"),
                Arguments.of("invalidUtf8", file(8, new byte[] {'{', '"', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'}, 0),
                        "header is not valid JSON: invalid UTF-8 byte 0xc0 at header byte 2"),
                Arguments.of("unknownDtype", file("{" + entry("w", "BF16", "[2]", 0, 4) + "}", 4),
                        "tensor 'w': unknown dtype \"BF16\" (supported: F32, F16, I8, I32, I64, U8, BOOL)"),
                Arguments.of("shapeMismatch", file("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", 20),
                        "tensor 'w': shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 20] span 20"),
                Arguments.of("wrongDtypeForData", file("{" + entry("w", "F32", "[4]", 0, 4) + "}", 4),
                        "tensor 'w': shape [4] of F32 needs 16 bytes but data_offsets [0, 4] span 4"),
                Arguments.of("outOfRange", file("{" + entry("w", "F32", "[2]", 16, 24) + "}", 16),
                        "tensor 'w': data_offsets [16, 24] run past the end of the 16-byte data section"),
                Arguments.of("overlapping", file("{" + entry("a", "F32", "[4]", 0, 16) + ","
                        + entry("b", "F32", "[2]", 8, 16) + "}", 16),
                        "tensors 'a' [0, 16] and 'b' [8, 16] overlap"),
                Arguments.of("overlappingPartly", file("{" + entry("a", "F32", "[3]", 0, 12) + ","
                        + entry("b", "F32", "[2]", 8, 16) + "}", 16),
                        "tensors 'a' [0, 12] and 'b' [8, 16] overlap"),
                Arguments.of("holeBetween", file("{" + entry("a", "F32", "[1]", 0, 4) + ","
                        + entry("b", "F32", "[1]", 8, 12) + "}", 12),
                        "data bytes [4, 8) belong to no tensor"),
                Arguments.of("holeAtEnd", file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 6),
                        "data bytes [4, 6) belong to no tensor"),
                Arguments.of("holeAtStart", file("{" + entry("a", "F32", "[1]", 2, 6) + "}", 6),
                        "data bytes [0, 2) belong to no tensor"),
                Arguments.of("offsetsReversed", file("{" + entry("a", "U8", "[0]", 4, 0) + "}", 4),
                        "tensor 'a': data_offsets [4, 0] end before they begin"),
                Arguments.of("negativeShape", file("{" + entry("a", "U8", "[-1]", 0, 0) + "}", 0),
                        "tensor 'a': shape must be an array of non-negative integers"),
                Arguments.of("fractionalShape", file("{" + entry("a", "U8", "[1.0]", 0, 1) + "}", 1),
                        "tensor 'a': shape must be an array of non-negative integers"),
                Arguments.of("threeOffsets", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]}}", 1),
                        "tensor 'a': data_offsets must be an array of two non-negative integers"),
                Arguments.of("missingDtype", file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                        "tensor 'a': missing \"dtype\""),
                Arguments.of("unknownKey", file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", 1),
                        "tensor 'a': unknown key \"x\""),
                Arguments.of("shapeOverflow", file("{" + entry("a", "F32", "[4294967296,4294967296]", 0, 0) + "}", 0),
                        "tensor 'a': shape [4294967296, 4294967296] overflows"),
                Arguments.of("metadataNotString", file("{\"__metadata__\":{\"n\":1}}", 0),
                        "__metadata__ value of \"n\" is not a string"),
                Arguments.of("entryNotObject", file("{\"a\":[1]}", 0), "tensor 'a': entry is not a JSON object"));
    }

    @ParameterizedTest(name = "parse_{0}")
    @MethodSource("rejections")
    void parse_rejects(String reason, byte[] bytes, String message) {
        assertThatThrownBy(() -> SafetensorsFile.parse(bytes))
                .isInstanceOf(SafetensorsException.class)
                .hasMessage(message);
    }

    @Test
    void parse_boolRejectsNonBinaryByte() throws Exception {
        byte[] bytes = file("{" + entry("m", "BOOL", "[2]", 0, 2) + "}", 2);
        bytes[bytes.length - 1] = 2;
        SafetensorsFile f = SafetensorsFile.parse(bytes);
        assertThatThrownBy(() -> f.bools("m")).hasMessage("tensor 'm': BOOL element 1 is 0x02, not 0 or 1");
    }

    @Test
    void accessors_refuseOtherDtypeAndUnknownName() throws Exception {
        SafetensorsFile f = SafetensorsFile.parse(file("{" + entry("q", "I8", "[2]", 0, 2) + "}", 2));
        assertThatThrownBy(() -> f.floats("q")).isInstanceOf(SafetensorsException.class)
                .hasMessage("tensor 'q' has dtype I8, expected F32 or F16");
        assertThatThrownBy(() -> f.floats("nope")).hasMessage("no tensor named 'nope'");
    }

    @Test
    void parse_copiesItsInput() throws Exception {
        byte[] bytes = new SafetensorsWriter().addF32("w", new long[] {1}, new float[] {2f}).toBytes();
        SafetensorsFile f = SafetensorsFile.parse(bytes);
        bytes[bytes.length - 1] = 0;
        assertThat(f.floats("w")).containsExactly(2f);
    }

    @Test
    void parse_emptyTensorsAndScalars() throws Exception {
        byte[] bytes = new SafetensorsWriter()
                .addF32("empty", new long[] {0, 3}, new float[0])
                .addF32("scalar", new long[0], new float[] {7f})
                .toBytes();
        SafetensorsFile f = SafetensorsFile.parse(bytes);
        assertThat(f.floats("empty")).isEmpty();
        assertThat(f.floats("scalar")).containsExactly(7f);
        assertThat(f.shape("scalar")).isEmpty();
    }

    @Test
    void parse_unicodeNamesAndEscapes() throws Exception {
        byte[] bytes = new SafetensorsWriter()
                .metadata("note", "tab\there \"quoted\" é 😀 \u0001")
                .addU8("ü/😀", new long[] {1}, new int[] {200})
                .toBytes();
        SafetensorsFile f = SafetensorsFile.parse(bytes);
        assertThat(f.metadata().get("note")).isEqualTo("tab\there \"quoted\" é 😀 \u0001");
        assertThat(f.uint8("ü/😀")).containsExactly(200);
        String header = new String(bytes, 8, (int) f.headerLength(), StandardCharsets.UTF_8);
        assertThat(header).contains("tab\\there \\\"quoted\\\" é 😀 \\u0001");
    }

    private static final String TOKENS = "{}[]\",:0123456789-e. \\u";

    /** Random corruptions of a valid file: parsing either succeeds or throws SafetensorsException, nothing else. */
    @Test
    void parse_fuzzOnlyThrowsSafetensorsException() {
        byte[] valid = new SafetensorsWriter()
                .metadata("k", "v")
                .addF32("a", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .addI8("b", new long[] {3}, new byte[] {1, 2, 3})
                .toBytes();
        Random random = new Random(42);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] b = valid.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length);
                b[at] = random.nextInt(3) == 0 ? (byte) TOKENS.charAt(random.nextInt(TOKENS.length()))
                        : (byte) random.nextInt(256);
            }
            if (random.nextInt(10) == 0) {
                b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            }
            try {
                SafetensorsFile.parse(b);
                accepted++;
            } catch (SafetensorsException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(accepted).isPositive();
    }
}
