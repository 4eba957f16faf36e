package dev.grove.runtime.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetMathTest {

    @Test
    void exp_knownValues() {
        assertThat(DetMath.exp(0f)).isEqualTo(1f);
        assertThat(DetMath.exp(1f)).isEqualTo(2.7182817f);
        assertThat(DetMath.exp(-1f)).isEqualTo(0.36787945f);
        assertThat(DetMath.exp(10f)).isEqualTo(22026.465f);
        assertThat(DetMath.exp(-50f)).isEqualTo(1.9287499e-22f);
        assertThat(DetMath.exp(88f)).isEqualTo(1.6516363e38f);
        assertThat(DetMath.exp(89f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(DetMath.exp(-104f)).isEqualTo(0f);
        assertThat(DetMath.exp(-103f)).isEqualTo((float) StrictMath.exp(-103));
        assertThat(DetMath.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(DetMath.exp(Float.NaN)).isNaN();
    }

    /** Over a dense sweep, the result is the correctly rounded float of fdlibm's exp (StrictMath) nearly always. */
    @Test
    void exp_agreesWithStrictMath() {
        int mismatches = 0;
        int n = 0;
        for (float x = -103.9f; x < 88.7f; x += 0.00731f, n++) {
            float mine = DetMath.exp(x);
            float ref = (float) StrictMath.exp(x);
            if (mine != ref) {
                mismatches++;
                assertThat(Math.abs(Float.floatToIntBits(mine) - Float.floatToIntBits(ref))).as("x = %s", x).isEqualTo(1);
            }
        }
        assertThat(mismatches).isLessThan(n / 100_000 + 2);
    }

    @Test
    void tanh_agreesWithStrictMath() {
        int mismatches = 0;
        int n = 0;
        for (float x = -12f; x < 12f; x += 0.000913f, n++) {
            float mine = DetMath.tanh(x);
            float ref = (float) StrictMath.tanh(x);
            if (mine != ref) {
                mismatches++;
                assertThat(Math.abs(Float.floatToIntBits(mine) - Float.floatToIntBits(ref))).as("x = %s", x).isEqualTo(1);
            }
        }
        assertThat(mismatches).isLessThan(n / 100_000 + 2);
        assertThat(DetMath.tanh(-0f)).isEqualTo(-0f);
        assertThat(DetMath.tanh(1e-30f)).isEqualTo(1e-30f);
    }
}
