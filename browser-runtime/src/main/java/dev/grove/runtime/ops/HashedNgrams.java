package dev.grove.runtime.ops;

/**
 * Hashed character n-gram features: a text becomes an L2-normalised vector of n-gram counts in {@code buckets} bins.
 *
 * <p>Exact definition (reproducible in JavaScript as noted):
 * <ol>
 *   <li><b>Code points.</b> The text is read as Unicode code points; a lone UTF-16 surrogate becomes U+FFFD (as
 *       JavaScript's {@code TextEncoder} does).</li>
 *   <li><b>Lower case.</b> Each code point is mapped by the simple (1:1) lowercase mapping of UnicodeData,
 *       {@code Character.toLowerCase(int)}. In JavaScript: {@code cp === 0x130 ? 0x69 : String.fromCodePoint(cp)
 *       .toLowerCase()} applied to one code point at a time (U+0130 is the only code point whose full mapping differs;
 *       one code point at a time there is no final-sigma context). No Unicode normalisation is applied.</li>
 *   <li><b>Tokens.</b> The text is split at runs of White_Space code points, exactly U+0009–U+000D, U+0020, U+0085,
 *       U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000; empty tokens are dropped.</li>
 *   <li><b>Boundary markers.</b> Each token is padded with one space (U+0020) on each side: {@code "cat"} becomes
 *       {@code " cat "}. Spaces cannot occur inside a token, so the markers are unambiguous.</li>
 *   <li><b>N-grams.</b> For every order {@code n} of the configured set and every start {@code s} with
 *       {@code s + n ≤ length}, the n-gram is the code points {@code [s, s+n)} of the padded token. ({@code " cat "} with
 *       orders 1 and 2 gives {@code " ", "c", "a", "t", " ", " c", "ca", "at", "t "}.)</li>
 *   <li><b>Hash.</b> 32-bit FNV-1a over the UTF-8 bytes of the n-gram: {@code h = 2166136261}; for each byte
 *       {@code h = (h XOR byte) * 16777619 mod 2^32} (JavaScript: {@code h = Math.imul(h ^ b, 16777619) >>> 0}). The
 *       bucket is {@code h AND (buckets - 1)} ({@code buckets} is a power of two, so that is {@code h mod buckets}).</li>
 *   <li><b>Counts and norm.</b> {@code c[bucket] += 1} for each n-gram. Then, in float,
 *       {@code norm = sqrt(Σ_b c_b * c_b)} over buckets in index order and {@code v_b = c_b / norm}; a text without
 *       tokens gives the zero vector.</li>
 * </ol>
 */
public final class HashedNgrams {
    /** FNV-1a 32-bit offset basis, 2166136261. */
    public static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    /** FNV 32-bit prime, 16777619. */
    public static final int FNV_PRIME = 0x01000193;

    public static final int MAX_ORDER = 8;
    public static final int MAX_BUCKETS = 1 << 24;

    private final int[] orders;
    private final int buckets;

    /**
     * @param orders the n-gram lengths, strictly increasing, each in 1..{@value #MAX_ORDER}
     * @param buckets a power of two in 1..2^24
     */
    public HashedNgrams(int[] orders, int buckets) {
        if (orders == null || orders.length == 0) {
            throw new IllegalArgumentException("at least one n-gram order is required");
        }
        for (int i = 0; i < orders.length; i++) {
            if (orders[i] < 1 || orders[i] > MAX_ORDER || (i > 0 && orders[i] <= orders[i - 1])) {
                throw new IllegalArgumentException("n-gram orders must be strictly increasing in 1.." + MAX_ORDER
                        + ", got " + java.util.Arrays.toString(orders));
            }
        }
        if (buckets < 1 || buckets > MAX_BUCKETS || (buckets & (buckets - 1)) != 0) {
            throw new IllegalArgumentException("buckets must be a power of two between 1 and " + MAX_BUCKETS
                    + ", got " + buckets);
        }
        this.orders = orders.clone();
        this.buckets = buckets;
    }

    public int[] orders() {
        return orders.clone();
    }

    public int buckets() {
        return buckets;
    }

    /** The L2-normalised feature vector of {@code text}, of length {@link #buckets()}. */
    public float[] features(String text) {
        float[] counts = counts(text);
        float sq = 0f;
        for (float c : counts) {
            sq += c * c;
        }
        if (sq == 0f) {
            return counts;
        }
        float norm = DetMath.sqrt(sq);
        for (int b = 0; b < counts.length; b++) {
            counts[b] = counts[b] / norm;
        }
        return counts;
    }

    /** The raw n-gram counts of {@code text} per bucket (before normalisation). */
    public float[] counts(String text) {
        float[] counts = new float[buckets];
        int[] cps = codePoints(text);
        int mask = buckets - 1;
        int[] padded = new int[cps.length + 2];
        int i = 0;
        while (i < cps.length) {
            while (i < cps.length && isWhiteSpace(cps[i])) {
                i++;
            }
            int start = i;
            while (i < cps.length && !isWhiteSpace(cps[i])) {
                i++;
            }
            int len = i - start;
            if (len == 0) {
                continue;
            }
            padded[0] = ' ';
            System.arraycopy(cps, start, padded, 1, len);
            padded[len + 1] = ' ';
            int plen = len + 2;
            for (int n : orders) {
                for (int s = 0; s + n <= plen; s++) {
                    counts[fnv1a(padded, s, n) & mask] += 1f;
                }
            }
        }
        return counts;
    }

    /** Lower-cased code points, lone surrogates replaced by U+FFFD. */
    static int[] codePoints(String text) {
        int[] out = new int[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int cp;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            } else {
                cp = c;
            }
            out[n++] = Character.toLowerCase(cp);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Unicode White_Space, listed explicitly so that every platform agrees. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }

    /** FNV-1a 32-bit over the UTF-8 encoding of {@code cps[from, from + n)}. */
    static int fnv1a(int[] cps, int from, int n) {
        int h = FNV_OFFSET_BASIS;
        for (int i = from; i < from + n; i++) {
            int cp = cps[i];
            if (cp < 0x80) {
                h = (h ^ cp) * FNV_PRIME;
            } else if (cp < 0x800) {
                h = (h ^ (0xC0 | (cp >> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
            } else if (cp < 0x10000) {
                h = (h ^ (0xE0 | (cp >> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >> 6) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
            } else {
                h = (h ^ (0xF0 | (cp >> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >> 12) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >> 6) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
            }
        }
        return h;
    }

    /** FNV-1a 32-bit of a byte string (for tests and other implementations to compare against). */
    public static int fnv1a(byte[] bytes) {
        int h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }
}
