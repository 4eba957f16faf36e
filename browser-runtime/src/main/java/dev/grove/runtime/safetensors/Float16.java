package dev.grove.runtime.safetensors;

/**
 * IEEE 754 binary16 conversions written out in integer arithmetic (Java 17 has no {@code Float.float16ToFloat}, and the
 * result must not depend on the platform).
 */
public final class Float16 {
    private Float16() {
    }

    /** Widens the 16 low bits of {@code half} to a {@code float}; exact for every value, NaN payloads kept. */
    public static float toFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exp = (half >>> 10) & 0x1f;
        int mant = half & 0x3ff;
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float
            float f = mant * 0x1p-24f;
            return sign != 0 ? -f : f;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * Narrows a {@code float} to binary16 bits, rounding to nearest with ties to even; values beyond the half range become
     * infinities, NaN stays a (quiet) NaN.
     */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 31) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct result, up to infinity (0x7c00)
        }
        return (short) (sign | half);
    }
}
