package dev.grove.cli.breed;

import dev.grove.cli.pack.ContractPins;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code README.md} model card of a trained or bred package, rendered from what the package already states: the
 * contract (task, labels, license, architecture, parameters, weights), the lineage card (operator, parameters, parents,
 * data) and the evaluation card (held-out figures), plus the {@link Notes} only the author knows (where a data set comes
 * from, what the model is not for). Everything in it is derived from those inputs, so the same package gives the same
 * bytes: no dates, no paths of the machine that wrote it.
 *
 * <p>The Markdown keeps to what the site's {@code markdown.js} renders (headings, paragraphs, flat lists, fenced and
 * inline code, bold, http(s) links; no tables), and puts identifiers in code spans so that their {@code _} and {@code *}
 * are not read as emphasis.
 */
public final class ModelCard {
    public static final String PATH = ContractPins.MODEL_CARD;
    public static final String MEDIA_TYPE = "text/markdown";

    /** Operators a node re-runs on the parents' weights before it accepts the child (its lineage reproduction). */
    private static final Set<String> RECHECKED = Set.of("quantize", "merge", "prune");

    private ModelCard() {
    }

    /**
     * What the cards cannot say.
     *
     * @param data    a note per data file (by its file name, as the cards cite it): source, license, how it was derived
     * @param use     intended use and limits, one list item each (general limits every classifier has are added)
     * @param example an input for the card's {@code grove run} example
     */
    public record Notes(List<DataNote> data, List<String> use, Optional<String> example) {
        public Notes {
            data = List.copyOf(data);
            use = List.copyOf(use);
        }

        public static Notes none() {
            return new Notes(List.of(), List.of(), Optional.empty());
        }

        Optional<String> about(String file) {
            return data.stream().filter(d -> d.file().equals(file)).map(DataNote::text).findFirst();
        }
    }

    /** Where the data file {@code file} comes from, in a sentence or two of Markdown. */
    public record DataNote(String file, String text) {
    }

    /** A parent's own model card, cited by the digest its contract pins. */
    public record ParentCard(String ref, String digest) {
    }

    /** The card for a package whose contract has its weights artifact pinned (size and digest). */
    public static byte[] render(JsonObject contract, JsonObject lineage, JsonObject evaluation,
                                List<ParentCard> parentCards, Notes notes) {
        StringBuilder md = new StringBuilder();
        String name = contract.string("name");
        List<String> labels = ParentPackage.labels(contract);
        // No version in the card: `grove version bump` changes only the three documents, and the card stays true of
        // the weights it cites by digest.
        md.append("# Model card: ").append(name).append("\n\n");
        md.append(sentence(contract.string("summary"))).append("\n\n");
        md.append("- **Task:** `").append(contract.string("task")).append("`: one text in, a probability for each of ")
                .append(labels.size()).append(" labels out\n");
        md.append("- **Labels:** ").append(codes(labels)).append('\n');
        md.append("- **License:** `").append(contract.string("license")).append("`\n");
        long parameters = contract.optObject("resources").map(r -> r.integer("parameters")).orElse(0L);
        JsonObject architecture = contract.object("architecture");
        md.append("- **Size:** ").append(String.format(Locale.ROOT, "%,d", parameters)).append(" parameters, `")
                .append(architecture.string("family")).append("` architecture (").append(config(architecture))
                .append(")\n");
        JsonObject weights = ParentPackage.weightsArtifact(contract, name);
        md.append("- **Weights:** `").append(weights.string("path")).append("`, ")
                .append(String.format(Locale.ROOT, "%,d", weights.integer("size"))).append(" bytes, `")
                .append(weights.string("digest")).append("`\n\n");

        howItWasMade(md, lineage, parentCards, notes);
        evaluation(md, evaluation, notes);
        use(md, labels, notes);
        howToRun(md, name, notes);
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void howItWasMade(StringBuilder md, JsonObject lineage, List<ParentCard> parentCards, Notes notes) {
        String operator = lineage.string("operator");
        JsonArray parents = lineage.array("parents");
        md.append("## How it was made\n\n");
        if (parents.isEmpty()) {
            md.append("Trained from scratch (lineage operator `").append(operator).append("`), by Grove's own trainer.");
        } else {
            List<String> refs = new ArrayList<>();
            for (int i = 0; i < parents.size(); i++) {
                refs.add(parents.object(i).string("ref"));
            }
            md.append("Bred from ").append(codes(refs)).append(" with the `").append(operator).append("` operator.");
        }
        if (RECHECKED.contains(operator)) {
            md.append(" A Grove node that holds the parents re-runs `").append(operator).append("` on their weights when "
                    + "the package is published, and refuses it unless every tensor comes out identical.");
        }
        md.append(" The lineage card (`lineage.json`) states all of this, and the contract pins its digest.\n\n");

        List<String> items = new ArrayList<>();
        for (int i = 0; i < parents.size(); i++) {
            JsonObject p = parents.object(i);
            String ref = p.string("ref");
            StringBuilder item = new StringBuilder("**Parent:** `").append(ref).append("`, package `")
                    .append(p.string("digest")).append('`');
            p.optString("origin").ifPresent(o -> item.append(", from `").append(o).append('`'));
            Optional<ParentCard> card = parentCards.stream().filter(c -> c.ref().equals(ref)).findFirst();
            item.append(card.map(c -> "; its model card is its own `" + PATH + "` (`" + c.digest() + "`), not copied "
                    + "here").orElse("; it has no model card"));
            items.add(item.toString());
        }
        for (Map.Entry<String, JsonValue> param : lineage.object("parameters").members().entrySet()) {
            items.add("**" + param.getKey() + ":** `" + text(param.getValue()) + "`");
        }
        JsonArray data = lineage.array("data");
        for (int i = 0; i < data.size(); i++) {
            JsonObject d = data.object(i);
            StringBuilder item = new StringBuilder("**Data:** `").append(d.string("name")).append("` (`")
                    .append(d.string("digest")).append("`)");
            d.optString("description").ifPresent(s -> item.append(": ").append(s));
            item.append('.');
            notes.about(d.string("name")).ifPresent(s -> item.append(' ').append(sentence(s)));
            items.add(item.toString());
        }
        if (data.isEmpty() && !parents.isEmpty()) {
            items.add("**Data:** none new; what the parents were trained on is in their own cards.");
        }
        list(md, items);
    }

    private static void evaluation(StringBuilder md, JsonObject card, Notes notes) {
        md.append("## Evaluation on held-out data\n\n");
        JsonArray evaluations = card.array("evaluations");
        if (evaluations.isEmpty()) {
            md.append("The evaluation card states no figures.\n\n");
            return;
        }
        for (int e = 0; e < evaluations.size(); e++) {
            JsonObject ev = evaluations.object(e);
            JsonObject dataset = ev.object("dataset");
            String file = dataset.string("name");
            md.append("Measured with Grove's own inference on `").append(file).append("` (`")
                    .append(dataset.string("digest")).append("`), the set the evaluation card (`evaluation.json`) cites.");
            notes.about(file).ifPresent(s -> md.append(' ').append(sentence(s)));
            md.append("\n\n");
            List<String> items = new ArrayList<>();
            List<String> breakdowns = new ArrayList<>();
            JsonArray metrics = ev.array("metrics");
            for (int m = 0; m < metrics.size(); m++) {
                JsonObject metric = metrics.object(m);
                double value = metric.number("value");
                items.add("**" + metric.string("name") + ":** " + text(metric.get("value").orElseThrow())
                        + (metric.string("name").equals("accuracy") ? String.format(Locale.ROOT, " (%.1f%%)", value * 100)
                        : "") + " on " + metric.integer("samples") + " samples");
                metric.optArray("breakdown").filter(b -> !b.isEmpty()).ifPresent(b -> {
                    balanced(metric.string("name"), b).ifPresent(items::add);
                    breakdowns.add(breakdown(metric.string("name"), b));
                });
            }
            list(md, items);
            for (String b : breakdowns) {
                md.append(b);
            }
        }
    }

    /**
     * The mean of the per-class figures of an accuracy breakdown (balanced accuracy, a macro average), from the counts
     * behind them so that the rounding of each class's figure does not add up.
     */
    private static Optional<String> balanced(String metric, JsonArray breakdown) {
        if (!metric.equals("accuracy")) {
            return Optional.empty();
        }
        double sum = 0;
        for (int i = 0; i < breakdown.size(); i++) {
            JsonObject level = breakdown.object(i);
            long samples = level.integer("samples");
            sum += Math.round(level.number("value") * samples) / (double) samples;
        }
        String factor = breakdown.object(0).string("factor");
        return Optional.of(String.format(Locale.ROOT, "**balanced accuracy** (mean of the %d per-%s accuracies): %.4f",
                breakdown.size(), factor, sum / breakdown.size()));
    }

    private static String breakdown(String metric, JsonArray breakdown) {
        String factor = breakdown.object(0).string("factor");
        StringBuilder md = new StringBuilder(capitalise(metric)).append(" by ").append(factor).append(":\n\n");
        List<String> items = new ArrayList<>();
        for (int i = 0; i < breakdown.size(); i++) {
            JsonObject level = breakdown.object(i);
            items.add("`" + level.string("level") + "`: " + text(level.get("value").orElseThrow()) + " ("
                    + level.integer("samples") + " samples)");
        }
        list(md, items);
        return md.toString();
    }

    private static void use(StringBuilder md, List<String> labels, Notes notes) {
        md.append("## Intended use and limits\n\n");
        List<String> items = new ArrayList<>(notes.use());
        items.add("It answers with one of its " + labels.size() + " labels for any input: there is no \"none of "
                + "these\", so text outside what it was trained on still gets one of them.");
        items.add("The figures above hold for the held-out set they name; on other text, measure before you rely on "
                + "them.");
        list(md, items);
    }

    private static void howToRun(StringBuilder md, String name, Notes notes) {
        String input = notes.example().orElse("some text");
        md.append("## How to run it\n\n");
        md.append("Pulled from a node and verified (`--registry URL`, or `$GROVE_REGISTRY`), then run on this machine; "
                + "`").append(name).append("@VERSION` runs one version, without it the latest:\n\n");
        md.append("```\ngrove run ").append(name).append(" --input \"")
                .append(input.replace("\"", "\\\"")).append("\"\n```\n\n");
        md.append("From a package directory, `grove run DIR --input TEXT` does the same offline; `--top K` shows more "
                + "labels and `--json` every label's probability.\n");
    }

    private static String config(JsonObject architecture) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonValue> c : architecture.optObject("config").orElse(JsonObject.empty()).members()
                .entrySet()) {
            parts.add("`" + c.getKey() + "` " + text(c.getValue()));
        }
        return String.join(", ", parts);
    }

    /** A JSON value as the cards write it: a string as itself, anything else as compact JSON. */
    private static String text(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.value();
        }
        if (value instanceof JsonNumber n) {
            return n.literal();
        }
        return Json.write(value);
    }

    private static String codes(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add("`" + v + "`");
        }
        return String.join(", ", out);
    }

    private static void list(StringBuilder md, List<String> items) {
        for (String item : items) {
            md.append("- ").append(item).append('\n');
        }
        md.append('\n');
    }

    private static String sentence(String s) {
        String t = s.strip();
        return t.isEmpty() || ".!?".indexOf(t.charAt(t.length() - 1)) >= 0 ? t : t + ".";
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
