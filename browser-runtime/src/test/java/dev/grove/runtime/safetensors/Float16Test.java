package dev.grove.runtime.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void knownValues() {
        assertThat(Float16.toFloat(0x3c00)).isEqualTo(1f);
        assertThat(Float16.toFloat(0xc000)).isEqualTo(-2f);
        assertThat(Float16.toFloat(0x7bff)).isEqualTo(65504f);
        assertThat(Float16.toFloat(0x0001)).isEqualTo(0x1p-24f);
        assertThat(Float16.toFloat(0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(Float16.toFloat(0x3555)).isEqualTo(0.33325195f);
        assertThat(Float16.toFloat(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Float16.toFloat(0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float16.toFloat(0x7e00)).isNaN();
        assertThat(Float.floatToRawIntBits(Float16.toFloat(0x8000))).isEqualTo(0x80000000);
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat(h);
            if (!Float.isNaN(f)) {
                assertThat(Float16.fromFloat(f) & 0xffff).as("half 0x%04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void roundsToNearestEven() {
        // between 1 (0x3c00) and 1 + 2^-10 (0x3c01): the midpoint ties to even, just above goes up
        assertThat(Float16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(Float16.fromFloat(1f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3c01);
        assertThat(Float16.fromFloat(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3c02);
        assertThat(Float16.fromFloat(65519f)).isEqualTo((short) 0x7bff);
        assertThat(Float16.fromFloat(65520f)).isEqualTo((short) 0x7c00);
        assertThat(Float16.fromFloat(0x1p-25f)).isEqualTo((short) 0);
        assertThat(Float16.fromFloat(0x1.8p-25f)).isEqualTo((short) 1);
        assertThat(Float16.fromFloat(-1e-10f)).isEqualTo((short) 0x8000);
    }
}
