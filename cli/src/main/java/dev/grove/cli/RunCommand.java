package dev.grove.cli;

import dev.grove.cli.breed.AdapterPackage;
import dev.grove.cli.breed.ParentPackage;
import dev.grove.pkg.AdapterBase;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
                        + "Prints the most probable labels and the time the inference took."})
public final class RunCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "DIR|REF", description = "A package directory, or a package reference.")
    String target;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "TEXT",
            description = "The input text (repeat for several inputs).")
    List<String> inputs;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "How many labels to show per input, most probable first (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the full result as JSON: every label's probability per input.")
    boolean json;

    @Option(names = "--base", paramLabel = "DIR",
            description = "For an adapter directory: its base package directory, verified offline (default: the base "
                    + "in the package cache, by the package digest the adapter names). A pulled adapter's base is "
                    + "pulled and verified with it.")
    Path base;

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
            runOn(dir, source);
            return;
        }
        // grove pull's report goes to standard error, so that standard output holds only the result
        List<String> options = new ArrayList<>(witnessing.arguments());
        if (verbose) {
            options.add("--verbose");
        }
        runOn(source.pull(options, "nothing was run: "), source);
    }

    private void runOn(Path dir, PackageSource source) throws IOException {
        Optional<AdapterBase> adapterBase = AdapterPackage.baseOf(dir);
        ParentPackage pkg;
        Model model;
        long started;
        if (adapterBase.isPresent()) {
            // an adapter runs over its base, which is verified like the adapter before either is loaded
            Path baseDir = BaseOfAdapter.verified(adapterBase.get(), Optional.ofNullable(base), source, err());
            AdapterPackage adapter = AdapterPackage.load(dir);
            ParentPackage basePackage = ParentPackage.load(baseDir);
            started = System.nanoTime();
            model = adapter.model(basePackage);
            pkg = basePackage;
        } else {
            pkg = ParentPackage.load(dir);
            started = System.nanoTime();
            model = pkg.model();
        }
        String ref = adapterBase.isPresent() ? dev.grove.pkg.Contract.parse(
                dev.grove.cli.pack.PackageDirectory.at(dir).read(dev.grove.cli.pack.PackageDirectory.CONTRACT)).ref()
                .toString() : pkg.ref();
        String digest = adapterBase.isPresent() ? dev.grove.crypto.Sha256.of(dev.grove.cli.pack.PackageDirectory.at(dir)
                .read(dev.grove.cli.pack.PackageDirectory.CONTRACT)).toString() : pkg.digest().toString();
        String runs = adapterBase.isPresent() ? "lora over " + adapterBase.get().ref() + " ("
                + pkg.architecture().name() + ")" : pkg.architecture().name();
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
            JsonValue doc = JsonObject.builder().put("package", ref).put("digest", digest)
                    .put("loadMs", loadMs).put("results", JsonArray.of(results)).build();
            out().print(new String(PrettyJson.bytes(doc), StandardCharsets.UTF_8));
        } else {
            out().printf(Locale.ROOT, "%s: %s, loaded in %.1f ms%n", ref, runs, loadMs);
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
