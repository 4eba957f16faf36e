package dev.grove.cli.breed;

import dev.grove.cli.breed.PackageWriter.DataRef;
import dev.grove.cli.pack.ContractPins;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.cli.pack.VerificationException;
import dev.grove.crypto.Sha256;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.CascadeMember;
import dev.grove.pkg.CascadeRule;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.cascade.Cascade;
import dev.grove.runtime.cascade.MemberCost;
import dev.grove.runtime.cascade.ThresholdSearch;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.Evaluation;
import dev.grove.semver.SemVer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code grove breed cascade}: thresholds chosen on validation data ({@link ThresholdSearch}), the cascade measured on
 * held-out data (accuracy, the mean cost of the members it consulted, the share each member answered), and the package
 * written: a contract of family {@code cascade} naming the members by digest, a lineage card citing them as parents in
 * order, an evaluation card and a model card. It carries no weights.
 */
public final class CascadeBreeding {
    private CascadeBreeding() {
    }

    /** What the thresholds are chosen to make cheap. */
    public enum CostUnit {
        BYTES("bytes"), MULTIPLY_ADDS("multiply-adds");

        final String wireName;

        CostUnit(String wireName) {
            this.wireName = wireName;
        }
    }

    /**
     * How to choose the thresholds.
     *
     * @param target  largest validation accuracy loss accepted against the last member
     * @param latency whether to measure the mean latency on the held-out data (a wall-clock figure: builds that must
     *                be byte-identical leave it out)
     */
    public record Choice(CascadeRule rule, Path validation, String validationDescription, double target, CostUnit cost,
                         boolean latency) {
    }

    /** The cascade's held-out figures, besides what {@link Breeding.Result} carries. */
    public record Figures(double largestAccuracy, double meanBytes, double meanMultiplyAdds, double meanParameters,
                          Optional<Double> meanLatencyMs, Optional<Double> largestLatencyMs, double[] answeredShare,
                          List<Float> thresholds, long largestBytes, long largestMultiplyAdds) {
    }

    /** The result of {@link #breed}. */
    public record Bred(Breeding.Result result, Figures figures) {
    }

    public static Bred breed(List<ParentPackage> members, Choice choice, Breeding.Target target) throws IOException {
        if (members.size() < CascadeConfig.MIN_MEMBERS || members.size() > CascadeConfig.MAX_MEMBERS) {
            throw new BreedingFailure("a cascade has " + CascadeConfig.MIN_MEMBERS + " to " + CascadeConfig.MAX_MEMBERS
                    + " members, smallest first; got " + members.size());
        }
        ParentPackage largest = members.get(members.size() - 1);
        JsonObject iface = largest.contract().object("interface");
        for (ParentPackage m : members) {
            if (!m.contract().object("interface").equals(iface)) {
                throw new BreedingFailure("member " + m.ref() + " has another interface than " + largest.ref()
                        + " (inputs, outputs or labels differ): every member of a cascade answers the same question");
            }
        }
        List<String> labels = largest.labels();
        Dataset validation = Breeding.data(requireFile(choice.validation(), "--validation"), labels);
        Dataset held = Breeding.data(requireFile(target.heldout(), "--heldout"), labels);

        List<Model> models = new ArrayList<>();
        List<MemberCost> costs = new ArrayList<>();
        for (ParentPackage m : members) {
            models.add(m.model());
            JsonObject resources = m.contract().object("resources");
            costs.add(new MemberCost(resources.integer("bytes"), resources.integer("parameters"), m.architecture()));
        }

        // thresholds from the validation data only
        List<float[][]> probabilities = new ArrayList<>();
        long[][] cost = new long[members.size()][validation.size()];
        int[] truth = new int[validation.size()];
        for (int i = 0; i < members.size(); i++) {
            float[][] p = new float[validation.size()][];
            for (int s = 0; s < validation.size(); s++) {
                p[s] = models.get(i).predict(validation.text(s));
                cost[i][s] = choice.cost() == CostUnit.BYTES ? costs.get(i).bytes()
                        : costs.get(i).multiplyAdds(validation.text(s));
                truth[s] = validation.label(s);
            }
            probabilities.add(p);
        }
        ThresholdSearch.Choice chosen;
        try {
            chosen = ThresholdSearch.search(choice.rule(), probabilities, truth, cost, choice.target());
        } catch (IllegalArgumentException e) {
            throw new BreedingFailure(choice.validation() + ": " + e.getMessage());
        }
        List<CascadeMember> named = new ArrayList<>();
        for (ParentPackage m : members) {
            named.add(new CascadeMember(PackageName.parse(m.name()), SemVer.parse(m.version()), m.digest()));
        }
        CascadeConfig config = new CascadeConfig(choice.rule(), named, chosen.thresholds());
        Cascade cascade = new Cascade(config, models);

        // measured on the held-out data
        int[] predictions = new int[held.size()];
        int[] largestPredictions = new int[held.size()];
        int[] answered = new int[members.size()];
        double bytes = 0;
        double macs = 0;
        double parameters = 0;
        for (int s = 0; s < held.size(); s++) {
            String text = held.text(s);
            Cascade.Answer a = cascade.route(text);
            predictions[s] = Evaluation.argmax(a.probabilities());
            largestPredictions[s] = Evaluation.argmax(models.get(models.size() - 1).predict(text));
            answered[a.member()]++;
            for (int i = 0; i <= a.member(); i++) {
                bytes += costs.get(i).bytes();
                macs += costs.get(i).multiplyAdds(text);
                parameters += costs.get(i).parameters();
            }
        }
        int n = held.size();
        Evaluation ev = Evaluation.of(held, predictions);
        Evaluation largestEv = Evaluation.of(held, largestPredictions);
        int agree = 0;
        for (int s = 0; s < n; s++) {
            agree += predictions[s] == largestPredictions[s] ? 1 : 0;
        }
        Optional<Double> latency = Optional.empty();
        Optional<Double> largestLatency = Optional.empty();
        if (choice.latency()) {
            Model big = models.get(models.size() - 1);
            double[] ms = meanMillis(held, cascade::route, big::predict);
            latency = Optional.of(ms[0]);
            largestLatency = Optional.of(ms[1]);
        }
        double[] share = new double[members.size()];
        List<JsonObject> extra = new ArrayList<>();
        extra.add(PackageWriter.metric(CascadeConfig.MEAN_BYTES_LOADED, bytes / n, n));
        extra.add(PackageWriter.metric(CascadeConfig.MEAN_PARAMETERS_RUN, parameters / n, n));
        extra.add(PackageWriter.metric(CascadeConfig.MEAN_MULTIPLY_ADDS, macs / n, n));
        latency.ifPresent(l -> extra.add(PackageWriter.metric(CascadeConfig.MEAN_LATENCY_MS, l, n)));
        for (int i = 0; i < members.size(); i++) {
            share[i] = (double) answered[i] / n;
            extra.add(PackageWriter.metric(CascadeConfig.ANSWERED_BY + members.get(i).ref(), share[i], n));
        }
        extra.add(PackageWriter.metric("agreement-with-largest", (double) agree / n, n));

        DataRef validationRef = DataRef.of(choice.validation(), choice.validationDescription());
        JsonObject validationEntry = JsonObject.builder()
                .put("dataset", JsonObject.builder().put("name", validationRef.name())
                        .put("digest", validationRef.digest().toString()).build())
                .put("metrics", JsonArray.of(
                        PackageWriter.metric("accuracy", chosen.accuracy(), chosen.samples()),
                        PackageWriter.metric("largest-member-accuracy", chosen.largestAccuracy(), chosen.samples()),
                        PackageWriter.metric(choice.cost() == CostUnit.BYTES ? CascadeConfig.MEAN_BYTES_LOADED
                                : CascadeConfig.MEAN_MULTIPLY_ADDS, chosen.meanCost(), chosen.samples())))
                .build();
        List<JsonObject> evaluations = List.of(
                PackageWriter.evaluation(DataRef.of(target.heldout(), null), ev, target.factor(), extra),
                validationEntry);

        PackageName name = target.name().orElseGet(() -> {
            String ns = target.namespace().orElseThrow(() -> new BreedingFailure("the cascade is published in your "
                    + "own namespace: give --name YOURNS/NAME, or --namespace YOURNS (default: $GROVE_NAMESPACE)"));
            return new PackageName(ns, PackageName.parse(largest.name()).name() + "-cascade");
        });
        String version = target.version().orElse(largest.version());
        List<JsonValue> thresholds = new ArrayList<>();
        for (float t : chosen.thresholds()) {
            thresholds.add(new JsonNumber(new java.math.BigDecimal(t).toPlainString()));
        }
        JsonObject params = JsonObject.builder()
                .put("rule", choice.rule().wireName())
                .put("thresholds", JsonArray.of(thresholds))
                .put("target", choice.target())
                .put("cost", choice.cost().wireName)
                .put("selection", "the cheapest thresholds (mean " + choice.cost().wireName + " on the validation data) "
                        + "whose validation accuracy is at most target below the last member's")
                .build();
        StringBuilder refs = new StringBuilder();
        for (ParentPackage m : members) {
            refs.append(refs.length() == 0 ? "" : ", then ").append(m.ref());
        }
        String summary = target.summary().orElse("Cascade of " + refs + ": each answers when its "
                + (choice.rule() == CascadeRule.TOP_PROBABILITY ? "top probability" : "margin")
                + " clears its threshold, else the next one does");
        List<String> tags = new ArrayList<>();
        largest.contract().optArray("tags").ifPresent(a -> {
            for (int i = 0; i < a.size(); i++) {
                String t = a.string(i);
                if (!List.of("train", "fine-tune", "merge", "distill", "quantize", "prune", "adapter").contains(t)) {
                    tags.add(t);
                }
            }
        });
        if (!tags.contains("cascade")) {
            tags.add("cascade");
        }
        write(target.out(), name, version, summary, largest, tags, iface, config, params, members,
                target.parentOrigin(), List.of(validationRef), evaluations, chosen, choice);
        Breeding.Result result = new Breeding.Result(target.out(), name + "@" + version, ev, 0, 0, params);
        return new Bred(result, new Figures(largestEv.accuracy(), bytes / n, macs / n, parameters / n, latency,
                largestLatency, share, chosen.thresholds(), costs.get(costs.size() - 1).bytes(),
                costs.get(costs.size() - 1).multiplyAdds("")));
    }

    private static Path requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw new BreedingFailure(option + " " + file + ": no such file (label TAB text per line)");
        }
        return file;
    }

    private interface Run {
        Object apply(String text);
    }

    /**
     * Mean wall time per input over the data of each of two runs, after warm-up passes of both, timed in alternating
     * passes so that neither is measured while the JIT still compiles the other.
     */
    private static double[] meanMillis(Dataset data, Run first, Run second) {
        Run[] runs = {first, second};
        long[] elapsed = new long[2];
        int sink = 0;
        for (int pass = 0; pass < 16; pass++) {
            for (int r = 0; r < 2; r++) {
                long start = System.nanoTime();
                for (int s = 0; s < data.size(); s++) {
                    sink += runs[r].apply(data.text(s)).hashCode() & 1;
                }
                if (pass >= 6) {
                    elapsed[r] += System.nanoTime() - start;
                }
            }
        }
        if (sink < 0) {
            throw new IllegalStateException();
        }
        return new double[] {elapsed[0] / 1e6 / (10.0 * data.size()), elapsed[1] / 1e6 / (10.0 * data.size())};
    }

    private static void write(Path dir, PackageName name, String version, String summary, ParentPackage largest,
                              List<String> tags, JsonObject iface, CascadeConfig config, JsonObject params,
                              List<ParentPackage> members, Optional<String> parentOrigin, List<DataRef> data,
                              List<JsonObject> evaluations, ThresholdSearch.Choice chosen, Choice choice)
            throws IOException {
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw new VerificationException(dir + " is not empty; write the cascade package into a new directory");
        }
        Files.createDirectories(dir);
        JsonObject subject = JsonObject.builder().put("name", name.toString()).put("version", version).build();
        List<JsonValue> parents = new ArrayList<>();
        for (ParentPackage p : members) {
            JsonObject.Builder b = JsonObject.builder().put("digest", p.digest().toString());
            parentOrigin.ifPresent(o -> b.put("origin", o));
            parents.add(b.put("ref", p.ref()).build());
        }
        List<JsonValue> dataJson = new ArrayList<>();
        for (DataRef d : data) {
            JsonObject.Builder b = JsonObject.builder().put("name", d.name()).put("digest", d.digest().toString());
            if (d.description() != null) {
                b.put("description", d.description());
            }
            dataJson.add(b.build());
        }
        JsonObject lineage = JsonObject.builder()
                .put("schema", "grove.lineage/v1").put("subject", subject).put("operator", "cascade")
                .put("parameters", params).put("parents", JsonArray.of(parents)).put("data", JsonArray.of(dataJson))
                .build();
        Files.write(dir.resolve(PackageDirectory.LINEAGE), PrettyJson.bytes(lineage));
        JsonObject evaluation = JsonObject.builder()
                .put("schema", "grove.evaluation/v1").put("subject", subject)
                .put("evaluations", JsonArray.of(new ArrayList<>(evaluations))).build();
        Files.write(dir.resolve(PackageDirectory.EVALUATION), PrettyJson.bytes(evaluation));
        Files.write(dir.resolve(ModelCard.PATH), card(name, summary, config, members, evaluations.get(0), chosen,
                choice, data.get(0)));
        JsonObject readme = JsonObject.builder()
                .put("path", ModelCard.PATH).put("mediaType", ModelCard.MEDIA_TYPE)
                .put("size", 0).put("digest", Sha256.of(new byte[0]).toString()).build();
        JsonObject contract = JsonObject.builder()
                .put("schema", "grove.contract/v1")
                .put("name", name.toString())
                .put("version", version)
                .put("summary", summary)
                .put("license", largest.contract().string("license"))
                .put("task", largest.contract().string("task"))
                .put("tags", JsonArray.ofStrings(tags))
                .put("interface", iface)
                .put("architecture", config.toArchitecture())
                .put("resources", JsonObject.builder().put("parameters", 0).put("bytes", 0).build())
                .put("artifacts", JsonArray.of(readme))
                .put("cards", JsonObject.empty())
                .build();
        contract = ContractPins.fill(contract, PackageDirectory.at(dir));
        Files.write(dir.resolve(PackageDirectory.CONTRACT), PrettyJson.bytes(contract));
    }

    /** The model card: what the cascade runs, how its thresholds were chosen, and its held-out figures. */
    private static byte[] card(PackageName name, String summary, CascadeConfig config, List<ParentPackage> members,
                               JsonObject heldout, ThresholdSearch.Choice chosen, Choice choice, DataRef validation) {
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(name).append("\n\n").append(summary).append(".\n\n");
        md.append("## Members\n\n");
        md.append("A cascade carries no weights: it runs its members, in this order, each a package of its own pinned "
                + "by the digest of its contract. A runtime loads a member only when the input reaches it.\n\n");
        for (int i = 0; i < members.size(); i++) {
            ParentPackage m = members.get(i);
            md.append("- `").append(m.ref()).append("` (`").append(m.digest()).append("`): ");
            if (i < config.thresholds().size()) {
                md.append("answers when its ").append(config.rule().wireName()).append(" score is at least `")
                        .append(new java.math.BigDecimal(config.thresholds().get(i)).toPlainString())
                        .append("`, else the input goes on\n");
            } else {
                md.append("answers every input that reaches it\n");
            }
        }
        md.append("\n## How the thresholds were chosen\n\n");
        md.append(String.format(Locale.ROOT, "On `%s` (`%s`, %d samples), not on the held-out data: the cheapest "
                        + "thresholds (mean %s) whose accuracy there, %.4f, is at most %s below the last member's, %.4f.",
                validation.name(), validation.digest(), chosen.samples(), choice.cost().wireName, chosen.accuracy(),
                choice.target(), chosen.largestAccuracy()));
        if (validation.description() != null) {
            md.append(" The validation data: ").append(validation.description()).append('.');
        }
        md.append("\n\n## Evaluation on held-out data\n\n");
        md.append("Measured with Grove's own inference on `").append(heldout.object("dataset").string("name"))
                .append("` (`").append(heldout.object("dataset").string("digest")).append("`):\n\n");
        JsonArray metrics = heldout.array("metrics");
        for (int i = 0; i < metrics.size(); i++) {
            JsonObject m = metrics.object(i);
            md.append("- **").append(m.string("name")).append(":** ").append(m.get("value").orElseThrow())
                    .append(" on ").append(m.integer("samples")).append(" samples\n");
        }
        md.append("\nCosts are per input, counting every member consulted (a member's bytes as if it were fetched for "
                + "that input alone).\n\n");
        md.append("## How to run\n\nOn a node's site, the package page's run panel loads each member when the "
                + "routing reaches it, verifies it like any package, and says which member answered.\n");
        return md.toString().getBytes(StandardCharsets.UTF_8);
    }
}
