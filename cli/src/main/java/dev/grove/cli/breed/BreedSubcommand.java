package dev.grove.cli.breed;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.runtime.train.TrainingProgress;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shared options and output of {@code grove train} and {@code grove breed ...}: progress on stderr, a summary on
 * stdout. The options that speak of a parent are in {@link OperatorSubcommand}: grove train has none.
 */
abstract class BreedSubcommand extends GroveSubcommand {

    @Option(names = "--json", description = "Print the result as JSON: ref, dir, parameters, bytes (of the weights), "
            + "accuracy, samples and labels [{label, accuracy, samples}] of the held-out evaluation.")
    boolean json;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory of the new package; must be new or empty.")
    Path out;

    @Option(names = "--heldout", required = true, paramLabel = "FILE",
            description = "Held-out data (label TAB text per line) for the evaluation card. Packages do not carry it; "
                    + "for the garden's langid packages it is examples/data/langid-heldout.tsv.")
    Path heldout;

    @Option(names = "--summary", paramLabel = "TEXT", description = "Summary line of the contract (default: generated).")
    String summary;

    @Option(names = "--factor", paramLabel = "NAME", defaultValue = "label",
            description = "Name of the evaluation breakdown factor, e.g. language (default: ${DEFAULT-VALUE}).")
    String factor;

    protected abstract Breeding.Result breed() throws IOException;

    @Override
    protected final void run() throws IOException {
        Breeding.Result r;
        try {
            r = breed();
        } catch (BreedingFailure | IllegalArgumentException e) {
            throw CommandFailure.refused(e.getMessage());
        }
        if (json) {
            printJson(result(r));
            return;
        }
        out().println("wrote " + r.ref() + " to " + r.dir());
        out().printf(Locale.ROOT, "  %d parameters, %d bytes of weights%n", r.parameters(), r.bytes());
        out().printf(Locale.ROOT, "  held-out accuracy %.4f on %d samples%n", r.evaluation().accuracy(),
                r.evaluation().samples());
        for (int i = 0; i < r.evaluation().labels().size(); i++) {
            out().printf(Locale.ROOT, "    %-10s %.4f (%d)%n", r.evaluation().labels().get(i),
                    r.evaluation().accuracy(i), r.evaluation().samples(i));
        }
    }

    /** Where and under which name the child is written. */
    abstract Breeding.Target target();

    /** One package written, as --json prints it (grove garden build prints a list of them). */
    static JsonObject result(Breeding.Result r) {
        List<JsonValue> labels = new ArrayList<>();
        for (int i = 0; i < r.evaluation().labels().size(); i++) {
            labels.add(JsonObject.builder().put("label", r.evaluation().labels().get(i))
                    .put("accuracy", r.evaluation().accuracy(i)).put("samples", r.evaluation().samples(i)).build());
        }
        return JsonObject.builder().put("ref", r.ref()).put("dir", r.dir().toAbsolutePath().normalize().toString())
                .put("parameters", r.parameters()).put("bytes", r.bytes()).put("accuracy", r.evaluation().accuracy())
                .put("samples", r.evaluation().samples()).put("labels", JsonArray.of(labels)).build();
    }

    TrainingProgress progress() {
        return (epoch, epochs, loss, accuracy) -> {
            err().printf(Locale.ROOT, "epoch %d/%d  loss %.4f  training accuracy %.4f%n", epoch, epochs, loss, accuracy);
            err().flush();
        };
    }

    static float[] floats(String csv, String option) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw CommandFailure.usage(option + ": '" + parts[i] + "' is not a number");
            }
        }
        return out;
    }
}
