package dev.grove.cli.breed;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.VerificationException;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.train.TrainingOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The package directory {@code grove init} writes: a small model <em>trained</em> for the chosen task on a small data set
 * shipped with grove (written into the package as {@code data/train.tsv}, held-out part as {@code data/heldout.tsv}), with
 * the lineage card ({@code train}, hyper-parameters, training data by digest), an evaluation card (the accuracy the
 * runtime measures on the held-out part), the {@code README.md} model card rendered from those, and the contract. It is the
 * same recipe as {@code grove train}, so
 * {@code grove train --data DIR/data/train.tsv --heldout DIR/data/heldout.tsv ...} re-makes or improves it. Deterministic:
 * the same name, task and license give the same bytes.
 */
public final class Scaffold {
    public static final String VERSION = "0.1.0";
    public static final String WEIGHTS = PackageWriter.WEIGHTS;
    public static final String TRAIN = "data/train.tsv";
    public static final String HELDOUT = "data/heldout.tsv";
    static final long SEED = 42L;

    /** What {@code grove init --task} can scaffold. */
    public enum Task {
        /** Sentiment polarity of English text (negative/positive): the default. */
        TEXT_CLASSIFICATION("text-classification", "sentiment", "polarity", List.of("sentiment"),
                "Sentiment (negative/positive) of a short English text, a starter model from grove init trained on "
                        + "140 hand-written sentences"),
        /** Language identification: English, French or German. */
        LANGUAGE_ID("language-id", "langid", "language", List.of("language-id"),
                "Tells English, French and German apart, a starter model from grove init trained on clauses of the "
                        + "Universal Declaration of Human Rights");

        final String id;
        final String resource;
        final String factor;
        final List<String> tags;
        final String summary;

        Task(String id, String resource, String factor, List<String> tags, String summary) {
            this.id = id;
            this.resource = resource;
            this.factor = factor;
            this.tags = tags;
            this.summary = summary;
        }

        public String id() {
            return id;
        }

        /** The task named {@code id}, or empty. */
        public static Optional<Task> of(String id) {
            return Arrays.stream(values()).filter(t -> t.id.equals(id.toLowerCase(Locale.ROOT))).findFirst();
        }

        /** The task names, for messages: {@code text-classification, language-id}. */
        public static String names() {
            return Arrays.stream(values()).map(t -> t.id).collect(Collectors.joining(", "));
        }
    }

    private Scaffold() {
    }

    /** What was written. */
    public record Result(Path dir, double accuracy, int samples, long parameters, List<String> labels) {
    }

    /**
     * Writes the package into {@code dir}, which must be absent or empty.
     *
     * @throws VerificationException when {@code dir} holds anything
     */
    public static Result write(Path dir, PackageName name, String license, Task task) throws IOException {
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw new VerificationException(dir + " is not empty; grove init only writes into a new or empty directory");
        }
        Path tmp = Files.createTempDirectory("grove-init-");
        try {
            Path train = tmp.resolve("train.tsv");
            Path heldout = tmp.resolve("heldout.tsv");
            Files.write(train, resource(task.resource + "-train.tsv"));
            Files.write(heldout, resource(task.resource + "-heldout.tsv"));
            // The recipe of `grove train`'s defaults, smaller: 256 buckets and 8 hidden units are plenty for these sets.
            int classes = dev.grove.runtime.train.Dataset.parse(Files.readAllBytes(train)).labels().size();
            Mlp mlp = Breeding.mlp(256, "8", "1,2,3", "relu", classes);
            TrainingOptions options = new TrainingOptions(40, 16, 0.01f, SEED, 1f);
            PackageWriter.Identity id = new PackageWriter.Identity(name, VERSION, task.summary, license,
                    "text-classification", task.tags);
            Breeding.Target target = new Breeding.Target(dir, Optional.of(name), Optional.of(VERSION),
                    Optional.of(task.summary), heldout, task.factor, Optional.empty(), Optional.empty());
            Breeding.Result result = Breeding.train(train, mlp, options, id, target, dev.grove.runtime.train.TrainingProgress.NONE);
            Files.createDirectories(dir.resolve("data"));
            Files.copy(train, dir.resolve(TRAIN));
            Files.copy(heldout, dir.resolve(HELDOUT));
            return new Result(dir, result.evaluation().accuracy(), result.evaluation().samples(), result.parameters(),
                    result.evaluation().labels());
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = Scaffold.class.getResourceAsStream("/init/" + file)) {
            if (in == null) {
                throw new IllegalStateException("grove's jar has no /init/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
