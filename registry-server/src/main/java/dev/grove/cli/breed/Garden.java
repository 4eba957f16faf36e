package dev.grove.cli.breed;

import dev.grove.cli.breed.PackageWriter.Identity;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The garden: real small models trained and bred from {@code examples/data} by the project's own code, each a complete
 * package with an evaluation card on held-out data. Deterministic: the same data give byte-identical packages.
 *
 * <pre>
 * garden/langid            train      UDHR clauses, 10 languages, mlp 1024 buckets, hidden 16
 * garden/langid-int8       quantize   of langid
 * garden/langid-small      distill    of langid into hidden 8 (half the parameters; T = 2)
 * garden/langid-nordic     fine-tune  of langid on the sv/da/nb clauses only
 * garden/langid-merged     merge      0.5 langid + 0.5 langid-nordic
 * garden/langid-pruned     prune      of langid, 50% of each matrix
 * garden/sentiment         train      AFINN-165 words, positive/negative
 * </pre>
 *
 * Packages are listed parents first, the order to publish them in.
 */
public final class Garden {
    public static final String NAMESPACE = "garden";
    public static final String VERSION = "1.0.0";
    /** The package directories, in publish order (parents before children). */
    public static final List<String> PACKAGES = List.of("langid", "langid-int8", "langid-small", "langid-nordic",
            "langid-merged", "langid-pruned", "sentiment");

    private Garden() {
    }

    public static List<Breeding.Result> build(Path data, Path out, PrintWriter log) throws IOException {
        Files.createDirectories(out);
        Path langTrain = data.resolve("langid-train.tsv");
        Path langHeld = data.resolve("langid-heldout.tsv");
        Path nordic = data.resolve("langid-nordic-train.tsv");
        List<Breeding.Result> results = new ArrayList<>();

        step(log, "train garden/langid (10 languages, UDHR clauses)");
        Mlp base = Breeding.mlp(1024, "16", "1,2,3", "relu", 10);
        results.add(report(log, Breeding.train(langTrain, base, new TrainingOptions(30, 16, 0.01f, 42, 1f),
                new Identity(name("langid"), VERSION, "Language identification for 10 European languages (en, fr, de, "
                        + "es, it, pt, nl, sv, da, nb) from character n-grams, trained on UDHR texts",
                        "Apache-2.0", "text-classification", List.of("language-id", "udhr", "train")),
                target(out, "langid", langHeld, "language"), progress(log))));
        ParentPackage langid = ParentPackage.load(out.resolve("langid"));

        step(log, "quantize garden/langid -> garden/langid-int8");
        results.add(report(log, Breeding.quantize(langid, target(out, "langid-int8", langHeld, "language"))));

        step(log, "distill garden/langid -> garden/langid-small (hidden 8, T=2)");
        Mlp student = Breeding.mlp(1024, "8", "1,2,3", "relu", 10);
        results.add(report(log, Breeding.distill(langid, langTrain, student, new TrainingOptions(40, 16, 0.01f, 11, 2f),
                target(out, "langid-small", langHeld, "language"), progress(log))));

        step(log, "fine-tune garden/langid on sv/da/nb -> garden/langid-nordic");
        results.add(report(log, Breeding.fineTune(langid, nordic, new TrainingOptions(8, 16, 0.005f, 7, 1f),
                target(out, "langid-nordic", langHeld, "language", "Nordic specialist: garden/langid@1.0.0 "
                        + "fine-tuned on Swedish, Danish and Norwegian (Bokmål) only"), progress(log))));
        ParentPackage specialist = ParentPackage.load(out.resolve("langid-nordic"));

        step(log, "merge 0.5 garden/langid + 0.5 garden/langid-nordic -> garden/langid-merged");
        results.add(report(log, Breeding.merge(List.of(langid, specialist), new float[] {0.5f, 0.5f},
                target(out, "langid-merged", langHeld, "language"))));

        step(log, "prune garden/langid (50% per layer) -> garden/langid-pruned");
        results.add(report(log, Breeding.prune(langid, 0.5f, target(out, "langid-pruned", langHeld, "language"))));

        step(log, "train garden/sentiment (AFINN-165 words, positive/negative)");
        Mlp sentiment = Breeding.mlp(1024, "16", "1,2,3", "relu", 2);
        results.add(report(log, Breeding.train(data.resolve("sentiment-train.tsv"), sentiment,
                new TrainingOptions(15, 16, 0.01f, 42, 1f),
                new Identity(name("sentiment"), VERSION, "Polarity (negative/positive) of an English word or short "
                        + "phrase from its spelling, trained on the AFINN-165 lexicon. Contains information from AFINN "
                        + "(https://github.com/fnielsen/afinn), made available under the Open Database License (ODbL)",
                        "ODbL-1.0", "text-classification", List.of("sentiment", "afinn", "train")),
                target(out, "sentiment", data.resolve("sentiment-heldout.tsv"), "polarity"), progress(log))));
        return results;
    }

    private static PackageName name(String n) {
        return new PackageName(NAMESPACE, n);
    }

    private static Breeding.Target target(Path out, String dir, Path heldout, String factor) {
        return new Breeding.Target(out.resolve(dir), Optional.of(name(dir)), Optional.of(VERSION), Optional.empty(),
                heldout, factor, Optional.empty(), Optional.empty());
    }

    private static Breeding.Target target(Path out, String dir, Path heldout, String factor, String summary) {
        return new Breeding.Target(out.resolve(dir), Optional.of(name(dir)), Optional.of(VERSION), Optional.of(summary),
                heldout, factor, Optional.empty(), Optional.empty());
    }

    private static void step(PrintWriter log, String what) {
        log.println("garden: " + what);
        log.flush();
    }

    private static TrainingProgress progress(PrintWriter log) {
        return (epoch, epochs, loss, accuracy) -> {
            if (epoch % 5 == 0 || epoch == epochs) {
                log.printf(Locale.ROOT, "  epoch %d/%d  loss %.4f  training accuracy %.4f%n", epoch, epochs, loss,
                        accuracy);
                log.flush();
            }
        };
    }

    private static Breeding.Result report(PrintWriter log, Breeding.Result r) {
        log.printf(Locale.ROOT, "  -> %s: held-out accuracy %.4f (%d samples), %d parameters, %d bytes%n", r.ref(),
                r.evaluation().accuracy(), r.evaluation().samples(), r.parameters(), r.bytes());
        log.flush();
        return r;
    }
}
