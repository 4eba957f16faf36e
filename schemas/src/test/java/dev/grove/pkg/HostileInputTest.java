package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.dsse.SignatureException;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid documents at random (fixed seed) and checks that each parser lets only its declared exception escape:
 * no NullPointerException, NumberFormatException, IndexOutOfBounds or StackOverflowError on hostile input.
 */
class HostileInputTest {
    private static final int ROUNDS = 3000;
    private static final byte[] INTERESTING = "{}[]\",:\\0123456789-+.eEtrufalsn \u0000\u00ff".getBytes(
            StandardCharsets.ISO_8859_1);

    private static byte[] mutate(byte[] input, Random r) {
        byte[] b = input.clone();
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int op = r.nextInt(3);
            int at = r.nextInt(b.length);
            if (op == 0) {
                b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
            } else if (op == 1) {
                byte[] shorter = new byte[b.length - 1];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                b = shorter.length == 0 ? b : shorter;
            } else {
                b[at] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    private static int fuzz(byte[] valid, Consumer<byte[]> parser, Class<?>... allowed) {
        Random r = new Random(20261101L);
        int refused = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(valid, r);
            try {
                parser.accept(input);
            } catch (RuntimeException e) {
                boolean ok = false;
                for (Class<?> c : allowed) {
                    ok |= c.isInstance(e);
                }
                if (!ok) {
                    throw new AssertionError("undeclared " + e + " for input "
                            + new String(input, StandardCharsets.ISO_8859_1), e);
                }
                refused++;
            }
        }
        return refused;
    }

    @Test
    void documentParsersThrowOnlyDocumentException() {
        assertThat(fuzz(Docs.bytes(Docs.contract()), Contract::parse, DocumentException.class)).isPositive();
        assertThat(fuzz(Docs.bytes(Docs.lineage()), LineageCard::parse, DocumentException.class)).isPositive();
        assertThat(fuzz(Docs.bytes(Docs.evaluation()), EvaluationCard::parse, DocumentException.class)).isPositive();
    }

    @Test
    void jsonParserThrowsOnlyJsonException() {
        assertThat(fuzz(Docs.bytes(Docs.contract()), Json::parse, JsonException.class)).isPositive();
    }

    @Test
    void bundleAndEnvelopeParsersThrowOnlyTheirExceptions() {
        Bundle good = BundleTest.good();
        assertThat(fuzz(good.toJsonBytes(), b -> BundleVerifier.verify(Bundle.parse(b), BundleTest.TRUST_ALICE),
                DocumentException.class, SignatureException.class)).isPositive();
        byte[] envelope = good.contract().toJsonString().getBytes(StandardCharsets.UTF_8);
        assertThat(fuzz(envelope, b -> Envelope.parse(new String(b, StandardCharsets.UTF_8)),
                EnvelopeException.class)).isPositive();
    }
}
