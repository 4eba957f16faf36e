package dev.grove.runtime.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte comparison with files written by the reference implementation. The expected arrays are the known answers
 * of the unit tests in huggingface/safetensors, {@code safetensors/src/tensor.rs} ({@code test_serialization},
 * {@code test_empty}, {@code test_serialization_forced_alignement}); no reference writer can be installed here (PyPI is
 * unreachable, and the npm package {@code safetensors} 0.0.1 only reads).
 */
class SafetensorsWriterTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static final float[] ZERO_TO_FIVE = {0f, 1f, 2f, 3f, 4f, 5f};

    @Test
    void matchesReference_serialization() throws Exception {
        byte[] expected = bytes(
                64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);
        byte[] written = new SafetensorsWriter().addF32("attn.0", new long[] {1, 2, 3}, ZERO_TO_FIVE).toBytes();
        assertThat(written).containsExactly(expected);
        assertThat(SafetensorsFile.parse(expected).floats("attn.0")).containsExactly(ZERO_TO_FIVE);
    }

    @Test
    void matchesReference_forcedAlignment() throws Exception {
        byte[] expected = bytes(
                72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                160, 64);
        byte[] written = new SafetensorsWriter().addF32("attn0", new long[] {1, 1, 2, 3}, ZERO_TO_FIVE).toBytes();
        assertThat(written).containsExactly(expected);
        SafetensorsFile parsed = SafetensorsFile.parse(expected);
        assertThat(parsed.shape("attn0")).containsExactly(1, 1, 2, 3);
        assertThat(parsed.headerLength()).isEqualTo(72);
    }

    @Test
    void matchesReference_empty() throws Exception {
        byte[] expected = bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32);
        assertThat(new SafetensorsWriter().toBytes()).containsExactly(expected);
        assertThat(SafetensorsFile.parse(expected).tensors()).isEmpty();
    }

    @Test
    void matchesReference_emptyWithMetadata() throws Exception {
        byte[] expected = bytes(
                40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32);
        assertThat(new SafetensorsWriter().metadata("framework", "pt").toBytes()).containsExactly(expected);
        assertThat(SafetensorsFile.parse(expected).metadata()).containsEntry("framework", "pt");
    }

    @Test
    void roundTrip_everyDtypeInInsertionOrder() throws Exception {
        byte[] file = new SafetensorsWriter()
                .metadata("arch", "mlp")
                .addF32("f32", new long[] {2}, new float[] {1.5f, -0f})
                .addF16("f16", new long[] {3}, new float[] {0.333333f, 65504f, 1e-7f})
                .addI8("i8", new long[] {2}, new byte[] {-128, 127})
                .addI32("i32", new long[] {1, 2}, new int[] {Integer.MIN_VALUE, 7})
                .addI64("i64", new long[] {2}, new long[] {Long.MIN_VALUE, 1L << 40})
                .addU8("u8", new long[] {1}, new int[] {255})
                .addBool("bool", new long[] {2}, new boolean[] {true, false})
                .toBytes();
        SafetensorsFile f = SafetensorsFile.parse(file);
        assertThat(f.headerLength() % 8).isZero();
        assertThat(f.tensors()).extracting(TensorInfo::name)
                .containsExactly("f32", "f16", "i8", "i32", "i64", "u8", "bool");
        assertThat(f.tensors()).extracting(TensorInfo::begin).containsExactly(0L, 8L, 14L, 16L, 24L, 40L, 41L);
        assertThat(f.floats("f32")).containsExactly(1.5f, -0f);
        // 0.333333 -> 0x3555 = 0.33325195; 65504 is the largest half; 1e-7 -> subnormal 2 * 2^-24
        assertThat(f.floats("f16")).containsExactly(0.33325195f, 65504f, 2 * 0x1p-24f);
        assertThat(f.int8("i8")).containsExactly(-128, 127);
        assertThat(f.int32("i32")).containsExactly(Integer.MIN_VALUE, 7);
        assertThat(f.int64("i64")).containsExactly(Long.MIN_VALUE, 1L << 40);
        assertThat(f.uint8("u8")).containsExactly(255);
        assertThat(f.bools("bool")).containsExactly(true, false);
    }

    @Test
    void add_refusesBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().addF32("a", new long[] {1}, new float[] {1});
        assertThatThrownBy(() -> w.addF32("a", new long[] {1}, new float[] {1}))
                .hasMessage("tensor 'a' was already added");
        assertThatThrownBy(() -> w.addF32("b", new long[] {2, 3}, new float[5]))
                .hasMessage("tensor 'b': shape [2, 3] has 6 elements but 5 values were given");
        assertThatThrownBy(() -> w.addF32("__metadata__", new long[] {1}, new float[1]))
                .hasMessage("'__metadata__' is reserved and cannot name a tensor");
        assertThatThrownBy(() -> w.metadata("k", "\ud800"))
                .hasMessage("metadata value has a lone surrogate at index 0");
    }
}
