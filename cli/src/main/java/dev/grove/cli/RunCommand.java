package dev.grove.cli;

import dev.grove.cli.breed.AdapterPackage;
import dev.grove.cli.breed.ParentPackage;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageVerifier;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.cli.trust.DirectoryCheck;
import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.AdapterBase;
import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.CascadeMember;
import dev.grove.pkg.Contract;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

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
                        + "the member that answered.",
                "With --inputs FILE (or - for standard input) every line is one input, run in this one process."})
public final class RunCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "DIR|REF", description = "A package directory, or a package reference.")
    String target;

    @Option(names = "--input", arity = "1..*", paramLabel = "TEXT",
            description = "The input text (repeat for several inputs).")
    List<String> inputs = List.of();

    @Option(names = "--inputs", paramLabel = "FILE",
            description = {"Run every line of FILE, one text per line (UTF-8; - for standard input), in this one "
                    + "process: the package is loaded and verified once. Prints one line per input, in input order: "
                    + "the most probable label and its probability, tab-separated, or with --json one JSON object "
                    + "{\"label\": ..., \"probabilities\": {...}} per line (for a cascade also \"member\", the member "
                    + "that answered; a third column without --json). Timings go to standard error."})
    String inputsFile;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3",
            description = "How many labels to show per input, most probable first (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the full result as JSON: every label's probability per input (for a "
            + "cascade, also the member that answered).")
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
        if (inputs.isEmpty() == (inputsFile == null)) {
            throw CommandFailure.usage(inputs.isEmpty()
                    ? "give the text to run: --input TEXT, or --inputs FILE with one text per line "
                            + "(- for standard input)"
                    : "give either --input TEXT or --inputs FILE, not both");
        }
        if (inputsFile != null && !inputsFile.equals("-") && !Files.isReadable(Path.of(inputsFile))) {
            throw CommandFailure.usage("cannot read --inputs " + inputsFile + ": no such readable file (one text per "
                    + "line; - reads standard input); nothing was run");
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
        JsonObject contract = Json.parseObject(
                Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT)));
        if (CascadeConfig.isCascade(contract.object("architecture"))) {
            runCascade(contract, CascadeConfig.fromArchitecture(contract.object("architecture")));
            return;
        }
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
        String ref = adapterBase.isPresent() ? Contract.parse(
                PackageDirectory.at(dir).read(PackageDirectory.CONTRACT)).ref()
                .toString() : pkg.ref();
        String digest = adapterBase.isPresent() ? Sha256.of(PackageDirectory.at(dir)
                .read(PackageDirectory.CONTRACT)).toString() : pkg.digest().toString();
        String runs = adapterBase.isPresent() ? "lora over " + adapterBase.get().ref() + " ("
                + pkg.architecture().name() + ")" : pkg.architecture().name();
        double loadMs = (System.nanoTime() - started) / 1e6;
        List<String> labels = pkg.labels();
        if (inputsFile != null) {
            runLines(pkg.ref(), text -> new Answer(model.predict(text), Optional.empty()), labels, loadMs);
            return;
        }
        List<JsonValue> results = new ArrayList<>();
        for (String input : inputs) {
            long t0 = System.nanoTime();
            float[] p = model.predict(input);
            double ms = (System.nanoTime() - t0) / 1e6;
            List<Integer> order = byProbability(p);
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

    /** One input's probabilities and, for a cascade, the member that answered. */
    private record Answer(float[] probabilities, Optional<String> member) {
    }

    /**
     * {@code --inputs}: line by line, so that a long standard input streams through with one model in memory. With
     * --json a cascade's line also names the member that answered; without, it is a third column.
     */
    private void runLines(String ref, Function<String, Answer> run, List<String> labels,
                          double loadMs) throws IOException {
        String source = inputsFile.equals("-") ? "standard input" : inputsFile;
        InputStream in = inputsFile.equals("-") ? System.in : Files.newInputStream(Path.of(inputsFile));
        long count = 0;
        long inferenceNs = 0;
        try (BufferedInputStream bytes = new BufferedInputStream(in, 1 << 16)) {
            while (true) {
                Optional<String> next = nextLine(bytes, source, count + 1);
                if (next.isEmpty()) {
                    break;
                }
                String line = next.get();
                count++;
                String text = count == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
                long t0 = System.nanoTime();
                Answer answer = run.apply(text);
                float[] p = answer.probabilities();
                inferenceNs += System.nanoTime() - t0;
                int best = 0;
                for (int k = 1; k < p.length; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                if (json) {
                    JsonObject.Builder probabilities = JsonObject.builder();
                    for (int k : byProbability(p)) {
                        probabilities.put(label(labels, k), (double) p[k]);
                    }
                    JsonObject.Builder result = JsonObject.builder().put("label", label(labels, best))
                            .put("probabilities", probabilities.build());
                    answer.member().ifPresent(m -> result.put("member", m));
                    printJson(result.build());
                } else {
                    out().printf(Locale.ROOT, "%s\t%.4f%s%n", label(labels, best), p[best],
                            answer.member().map(m -> "\t" + m).orElse(""));
                }
            }
        } finally {
            out().flush();
        }
        err().printf(Locale.ROOT, "%s: %d input(s) from %s, loaded in %.1f ms, %.1f ms of inference on the JVM%n",
                ref, count, source, loadMs, inferenceNs / 1e6);
    }

    /**
     * The next line without its line end ({@code \n} or {@code \r\n}), decoded one line at a time so that malformed
     * UTF-8 is an error naming its line (not text silently replaced by U+FFFD) after the lines before it have run.
     */
    private static Optional<String> nextLine(InputStream in, String source, long number) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return Optional.empty();
        }
        byte[] raw = line.toByteArray();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, length))
                    .toString());
        } catch (CharacterCodingException e) {
            throw CommandFailure.usage("line " + number + " of " + source + " is not UTF-8 text; " + (number - 1)
                    + " line(s) before it were run");
        }
    }

    private static List<Integer> byProbability(float[] p) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < p.length; k++) {
            order.add(k);
        }
        order.sort((a, b) -> Float.compare(p[b], p[a]));
        return order;
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
        Model[] members = new Model[config.members().size()];
        List<JsonValue> results = new ArrayList<>();
        String ref = contract.string("name") + "@" + contract.string("version");
        Function<String, Answer> route = text -> {
            int i = 0;
            while (true) {
                if (members[i] == null) {
                    members[i] = member(config, i, labels);
                }
                float[] p = members[i].predict(text);
                if (config.answers(i, p)) {
                    return new Answer(p, Optional.of(config.members().get(i).ref().toString()));
                }
                i++;
            }
        };
        if (inputsFile != null) {
            try {
                runLines(ref, route, labels, 0);
            } catch (IOException e) {
                throw CommandFailure.refused("cannot read --inputs " + inputsFile + ": " + e.getMessage());
            }
            return;
        }
        for (String input : inputs) {
            long t0 = System.nanoTime();
            Answer answer = route.apply(input);
            float[] p = answer.probabilities();
            String memberRef = answer.member().orElseThrow();
            int i = config.members().stream().map(m -> m.ref().toString()).toList().indexOf(memberRef);
            double ms = (System.nanoTime() - t0) / 1e6;
            int best = Evaluation.argmax(p);
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
    private Model member(CascadeConfig config, int i, List<String> labels) {
        CascadeMember named = config.members().get(i);
        PackageSource source = new PackageSource(named.ref().toString(), registry, trusted, err());
        Path dir = source.pull(new ArrayList<>(witnessing.arguments()), "cascade member " + (i + 1) + ": ");
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT));
            if (!Sha256.of(bytes).equals(named.digest())) {
                throw CommandFailure.refused("cascade member " + (i + 1) + " " + named.ref() + " has digest "
                        + Sha256.of(bytes) + ", but the cascade names " + named.digest()
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
