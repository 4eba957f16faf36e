package dev.grove.cli;

import dev.grove.cli.breed.ParentPackage;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageVerifier;
import dev.grove.cli.trust.DirectoryCheck;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.runtime.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.pkg.CascadeConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code grove run}: the JVM engine (the same code the browser runs) on a verified package. A directory is verified
 * offline first, a reference is pulled and verified into the package cache; nothing runs unless every check passed.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a model package on an input, on this machine, after verifying it.",
                "DIR is a package directory, verified offline as grove verify does. A reference "
                        + "[ORIGIN/]NAMESPACE/NAME[@VERSION] is pulled from --registry and verified as grove pull does, "
                        + "into the package cache (see grove cache; a cached copy is checked again, not downloaded "
                        + "again; what was verified goes to standard error). "
                        + "Prints the most probable labels and the time the inference took. A cascade's members are "
                        + "pulled from --registry and verified when an input first reaches them; each result names "
                        + "the member that answered."})
public final class RunCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "DIR|REF", description = "A package directory, or a package reference.")
    String target;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "TEXT",
            description = "The input text (repeat for several inputs).")
    List<String> inputs;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "How many labels to show per input, most probable first (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the full result as JSON: every label's probability per input (for a "
            + "cascade, also the member that answered).")
    boolean json;

    @Mixin
    RegistryOptions registry;

    @Mixin
    TrustedKeysOption trusted;

    @Mixin
    WitnessOptions witnessing;

    @Override
    protected void run() throws IOException {
        if (top < 1) {
            throw CommandFailure.usage("--top must be at least 1");
        }
        PackageSource source = new PackageSource(target, registry, trusted, err());
        if (source.isDirectory()) {
            Path dir = source.path();
            DirectoryCheck.Checked checked = source.check(dir, witnessing.logKey());
            PackageVerifier.Report report = checked.report();
            err().println("verified " + report.pkg().contract().ref() + " " + report.pkg().digest()
                    + ": signatures, signed documents and " + report.artifacts().size() + " artifact digest(s)"
                    + checked.logged().map(v -> "; entry " + v.proof().index() + " of log " + v.checkpoint().origin())
                    .orElse("; no log proof beside it"));
            runOn(dir);
            return;
        }
        // grove pull's report goes to standard error, so that standard output holds only the result
        List<String> options = new ArrayList<>(witnessing.arguments());
        if (verbose) {
            options.add("--verbose");
        }
        runOn(source.pull(options, "nothing was run: "));
    }

    private void runOn(Path dir) throws IOException {
        byte[] contractBytes = java.nio.file.Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT));
        JsonObject contract = dev.grove.json.Json.parseObject(contractBytes);
        if (CascadeConfig.isCascade(contract.object("architecture"))) {
            runCascade(contract, CascadeConfig.fromArchitecture(contract.object("architecture")));
            return;
        }
        ParentPackage pkg = ParentPackage.load(dir);
        long started = System.nanoTime();
        Model model = pkg.model();
        double loadMs = (System.nanoTime() - started) / 1e6;
        List<String> labels = pkg.labels();
        List<JsonValue> results = new ArrayList<>();
        for (String input : inputs) {
            long t0 = System.nanoTime();
            float[] p = model.predict(input);
            double ms = (System.nanoTime() - t0) / 1e6;
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < p.length; k++) {
                order.add(k);
            }
            order.sort((a, b) -> Float.compare(p[b], p[a]));
            if (json) {
                JsonObject.Builder probabilities = JsonObject.builder();
                for (int k : order) {
                    probabilities.put(label(labels, k), (double) p[k]);
                }
                results.add(JsonObject.builder().put("input", input).put("label", label(labels, order.get(0)))
                        .put("probabilities", probabilities.build()).put("inferenceMs", ms).build());
                continue;
            }
            out().println(quote(input));
            for (int i = 0; i < Math.min(top, p.length); i++) {
                int k = order.get(i);
                out().printf(Locale.ROOT, "  %-16s %6.2f%%%n", label(labels, k), 100.0 * p[k]);
            }
            out().printf(Locale.ROOT, "  (%.3f ms on the JVM)%n", ms);
        }
        if (json) {
            JsonValue doc = JsonObject.builder().put("package", pkg.ref()).put("digest", pkg.digest().toString())
                    .put("loadMs", loadMs).put("results", JsonArray.of(results)).build();
            out().print(new String(PrettyJson.bytes(doc), StandardCharsets.UTF_8));
        } else {
            out().printf(Locale.ROOT, "%s: %s, loaded in %.1f ms%n", pkg.ref(), pkg.architecture().name(), loadMs);
        }
    }

    /**
     * A cascade: each member is pulled from {@code --registry} and verified like any package (into the cache) only when
     * an input reaches it, and must have the digest the cascade names; every result says which member answered.
     */
    private void runCascade(JsonObject contract, CascadeConfig config) {
        List<String> labels = new ArrayList<>();
        JsonArray names = contract.object("interface").array("outputs").object(0).array("labels");
        for (int k = 0; k < names.size(); k++) {
            labels.add(names.string(k));
        }
        dev.grove.runtime.model.Model[] members = new dev.grove.runtime.model.Model[config.members().size()];
        List<JsonValue> results = new ArrayList<>();
        String ref = contract.string("name") + "@" + contract.string("version");
        for (String input : inputs) {
            long t0 = System.nanoTime();
            int i = 0;
            float[] p;
            while (true) {
                if (members[i] == null) {
                    members[i] = member(config, i, labels);
                }
                p = members[i].predict(input);
                if (config.answers(i, p)) {
                    break;
                }
                i++;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            int best = dev.grove.runtime.train.Evaluation.argmax(p);
            String memberRef = config.members().get(i).ref().toString();
            if (json) {
                JsonObject.Builder probabilities = JsonObject.builder();
                for (int k = 0; k < p.length; k++) {
                    probabilities.put(label(labels, k), (double) p[k]);
                }
                results.add(JsonObject.builder().put("input", input).put("label", label(labels, best))
                        .put("probabilities", probabilities.build()).put("member", memberRef).put("inferenceMs", ms)
                        .build());
                continue;
            }
            out().println(quote(input));
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < p.length; k++) {
                order.add(k);
            }
            float[] q = p;
            order.sort((a, b) -> Float.compare(q[b], q[a]));
            for (int k = 0; k < Math.min(top, p.length); k++) {
                out().printf(Locale.ROOT, "  %-16s %6.2f%%%n", label(labels, order.get(k)), 100.0 * p[order.get(k)]);
            }
            out().printf(Locale.ROOT, "  (answered by member %d of %d, %s; %.3f ms on the JVM)%n", i + 1,
                    members.length, memberRef, ms);
        }
        if (json) {
            JsonValue doc = JsonObject.builder().put("package", ref).put("results", JsonArray.of(results)).build();
            out().print(new String(PrettyJson.bytes(doc), StandardCharsets.UTF_8));
        } else {
            out().println(ref + ": cascade of " + members.length + " members");
        }
    }

    /** Member {@code i}, pulled and verified, refused unless it is the package the cascade names. */
    private dev.grove.runtime.model.Model member(CascadeConfig config, int i, List<String> labels) {
        dev.grove.pkg.CascadeMember named = config.members().get(i);
        PackageSource source = new PackageSource(named.ref().toString(), registry, trusted, err());
        Path dir = source.pull(new ArrayList<>(witnessing.arguments()), "cascade member " + (i + 1) + ": ");
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT));
            if (!dev.grove.crypto.Sha256.of(bytes).equals(named.digest())) {
                throw CommandFailure.refused("cascade member " + (i + 1) + " " + named.ref() + " has digest "
                        + dev.grove.crypto.Sha256.of(bytes) + ", but the cascade names " + named.digest()
                        + "; nothing was run with it");
            }
            ParentPackage member = ParentPackage.load(dir);
            if (!member.labels().equals(labels)) {
                throw CommandFailure.refused("cascade member " + (i + 1) + " " + named.ref() + " has labels "
                        + member.labels() + ", the cascade " + labels);
            }
            return member.model();
        } catch (IOException e) {
            throw CommandFailure.refused("cascade member " + (i + 1) + " " + named.ref() + ": " + e.getMessage());
        }
    }

    private static String label(List<String> labels, int k) {
        return k < labels.size() ? labels.get(k) : Integer.toString(k);
    }

    private static String quote(String input) {
        String oneLine = input.replace("\n", " ").replace("\t", " ");
        return "\"" + (oneLine.length() > 72 ? oneLine.substring(0, 69) + "..." : oneLine) + "\"";
    }
}
