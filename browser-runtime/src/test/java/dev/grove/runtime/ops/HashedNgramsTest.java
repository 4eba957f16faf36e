package dev.grove.runtime.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashedNgramsTest {

    @Test
    void fnv1a_publishedVectors() {
        // FNV-1a 32-bit: offset basis 2166136261 (0x811c9dc5), prime 16777619 (0x01000193)
        assertThat(HashedNgrams.FNV_OFFSET_BASIS).isEqualTo((int) 2166136261L);
        assertThat(HashedNgrams.FNV_PRIME).isEqualTo(16777619);
        assertThat(HashedNgrams.fnv1a(new byte[0])).isEqualTo(0x811c9dc5);
        assertThat(HashedNgrams.fnv1a(bytes("a"))).isEqualTo(0xe40c292c);
        assertThat(HashedNgrams.fnv1a(bytes("foobar"))).isEqualTo(0xbf9cf968);
    }

    @Test
    void fnv1a_byHand() {
        // " " = 0x20: (0x811c9dc5 ^ 0x20) * 16777619 mod 2^32 = 0x811c9de5 * 0x01000193 mod 2^32
        long h = ((0x811c9dc5L ^ 0x20) * 16777619L) & 0xffffffffL;
        assertThat(h).isEqualTo(0x250c8f7fL);
        assertThat(HashedNgrams.fnv1a(bytes(" "))).isEqualTo(0x250c8f7f);
        // non-ASCII n-grams hash their UTF-8 bytes: "é" = C3 A9
        assertThat(HashedNgrams.fnv1a(new int[] {0xE9}, 0, 1)).isEqualTo(HashedNgrams.fnv1a(bytes("é")));
        assertThat(HashedNgrams.fnv1a(bytes("é"))).isEqualTo(0x1e9de8c1);
        assertThat(HashedNgrams.fnv1a(new int[] {0x1F600}, 0, 1)).isEqualTo(HashedNgrams.fnv1a(bytes("😀")));
    }

    @Test
    void unigramsOfAb() {
        // "Ab" -> "ab" -> padded " ab " -> unigrams " ", "a", "b", " "
        // buckets 2^24: h & 0xffffff of " " = 0x0c8f7f = 823167, "a" = 0x0c292c = 796972, "b" = 0x0c2de5 = 798181
        HashedNgrams f = new HashedNgrams(new int[] {1}, 1 << 24);
        float[] c = f.counts("Ab");
        assertThat(c[823167]).isEqualTo(2f);
        assertThat(c[796972]).isEqualTo(1f);
        assertThat(c[798181]).isEqualTo(1f);
        float total = 0;
        for (float v : c) {
            total += v;
        }
        assertThat(total).isEqualTo(4f);
        // L2 norm sqrt(4 + 1 + 1) = sqrt(6)
        float[] v = f.features("Ab");
        assertThat(v[823167]).isEqualTo(2f / (float) Math.sqrt(6));
        assertThat(v[796972]).isEqualTo(1f / (float) Math.sqrt(6));
    }

    @Test
    void ordersOneToThreeWithCollisions() {
        // "Hé hé!" -> tokens "hé", "hé!" -> " hé ", " hé! "; orders 1..3 give 9 + 12 = 21 n-grams:
        // " ","h","é"," "," h","hé","é "," hé","hé " and " ","h","é","!"," "," h","hé","é!","! "," hé","hé!","é! "
        // their FNV-1a hashes mod 16, counted (checked against an independent Python implementation):
        float[] expected = {2, 4, 0, 1, 1, 2, 0, 2, 0, 0, 1, 0, 1, 1, 0, 6};
        HashedNgrams f = new HashedNgrams(new int[] {1, 2, 3}, 16);
        assertThat(f.counts("Hé hé!")).containsExactly(expected);
        float[] v = f.features("Hé hé!");
        // norm = sqrt(4 + 16 + 1 + 1 + 4 + 4 + 1 + 1 + 1 + 36) = sqrt(69) = 8.306623
        assertThat(v[15]).isCloseTo(6f / 8.306623f, within(1e-7f)); // 0.72231513
        assertThat(v[1]).isCloseTo(0.48154342f, within(1e-7f));
        float sq = 0;
        for (float x : v) {
            sq += x * x;
        }
        assertThat(sq).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void whitespaceCaseAndSurrogates() {
        HashedNgrams f = new HashedNgrams(new int[] {1, 2}, 1024);
        assertThat(f.counts("  hello\u00A0\tWORLD \u3000")).containsExactly(f.counts("Hello world"));
        assertThat(f.features("")).containsOnly(0f);
        assertThat(f.features(" \n\t ")).containsOnly(0f);
        // a lone surrogate counts as U+FFFD
        assertThat(f.counts("a\uD800")).containsExactly(f.counts("a\uFFFD"));
        // U+0130 lower-cases to plain i under the simple mapping
        assertThat(f.counts("\u0130")).containsExactly(f.counts("i"));
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> new HashedNgrams(new int[] {1}, 1000))
                .hasMessage("buckets must be a power of two between 1 and 16777216, got 1000");
        assertThatThrownBy(() -> new HashedNgrams(new int[] {2, 1}, 16))
                .hasMessage("n-gram orders must be strictly increasing in 1..8, got [2, 1]");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
