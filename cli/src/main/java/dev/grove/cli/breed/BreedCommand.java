package dev.grove.cli.breed;

import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.train.TrainingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code grove breed}: operators that make a child package from parent packages and record how. */
@Command(name = "breed", mixinStandardHelpOptions = true,
        description = {"Breed a child package from parent package directories. Each operator writes a complete package: "
                + "weights, a lineage card citing the parents by package digest with the operator and its parameters, "
                + "and an evaluation card on held-out data.",
                "The operators quantize, merge and prune are deterministic: a node re-runs them when the child is published and "
                        + "refuses a claim that does not reproduce. So is adapter: the package carries its training data, "
                        + "and a node that holds the base re-runs the training."},
        subcommands = {BreedCommand.QuantizeCommand.class, BreedCommand.MergeCommand.class,
                BreedCommand.PruneCommand.class, BreedCommand.FineTuneCommand.class, BreedCommand.DistillCommand.class,
                BreedCommand.AdapterCommand.class, BreedCommand.CascadeCommand.class, CommandLine.HelpCommand.class})
public final class BreedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing operator: quantize, merge, prune, "
                + "fine-tune, distill, adapter or cascade");
    }

    @Command(name = "quantize", mixinStandardHelpOptions = true,
            description = "Quantize to int8 per output channel (scale = max|w|/127, round half to even); the contract says "
                    + "weights=int8.")
    public static final class QuantizeCommand extends OperatorSubcommand {
        @Parameters(index = "0", paramLabel = "PARENT_DIR", description = "The parent package directory.")
        Path parent;

        @Override
        protected Breeding.Result breed() throws IOException {
            return Breeding.quantize(ParentPackage.load(parent), target());
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Weighted average of parents with the same architecture and labels.")
    public static final class MergeCommand extends OperatorSubcommand {
        @Parameters(arity = "2..*", paramLabel = "PARENT_DIR", description = "Two or more parent package directories.")
        List<Path> parents;

        @Option(names = "--weights", paramLabel = "W,W[,...]",
                description = "One weight per parent, summing to 1 (default: equal weights).")
        String weights;

        @Override
        protected Breeding.Result breed() throws IOException {
            List<ParentPackage> loaded = new ArrayList<>();
            for (Path p : parents) {
                loaded.add(ParentPackage.load(p));
            }
            float[] w;
            if (weights == null) {
                w = new float[parents.size()];
                java.util.Arrays.fill(w, 1f / parents.size());
            } else {
                w = floats(weights, "--weights");
            }
            return Breeding.merge(loaded, w, target());
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Magnitude pruning: zero the smallest weights of each dense matrix (ties: lower index first).")
    public static final class PruneCommand extends OperatorSubcommand {
        @Parameters(index = "0", paramLabel = "PARENT_DIR", description = "The parent package directory.")
        Path parent;

        @Option(names = "--sparsity", required = true, description = "Fraction of each matrix to zero, in [0, 1).")
        float sparsity;

        @Override
        protected Breeding.Result breed() throws IOException {
            return Breeding.prune(ParentPackage.load(parent), sparsity, target());
        }
    }

    @Command(name = "fine-tune", mixinStandardHelpOptions = true,
            description = "Continue training the parent on new labelled data (labels must be among the parent's).")
    public static final class FineTuneCommand extends OperatorSubcommand {
        @Parameters(index = "0", paramLabel = "PARENT_DIR", description = "The parent package directory.")
        Path parent;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "New data, label TAB text per line.")
        Path data;

        @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        float lr;

        @Option(names = "--batch", defaultValue = "16", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of the batch order (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        protected Breeding.Result breed() throws IOException {
            return Breeding.fineTune(ParentPackage.load(parent), data, new TrainingOptions(epochs, batch, lr, seed, 1f),
                    target(), progress());
        }
    }

    @Command(name = "distill", mixinStandardHelpOptions = true,
            description = "Train a fresh, smaller student on the teacher's softened outputs (labels in --data are not used).")
    public static final class DistillCommand extends OperatorSubcommand {
        @Parameters(index = "0", paramLabel = "TEACHER_DIR", description = "The teacher package directory.")
        Path teacher;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Texts to distil on (label TAB text).")
        Path data;

        @Option(names = "--hidden", defaultValue = "8", paramLabel = "W[,W...]", description = "Student hidden widths (default: ${DEFAULT-VALUE}).")
        String hidden;

        @Option(names = "--buckets", description = "Student n-gram buckets (default: the teacher's).")
        Integer buckets;

        @Option(names = "--temperature", defaultValue = "2", description = "Softmax temperature (default: ${DEFAULT-VALUE}).")
        float temperature;

        @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        float lr;

        @Option(names = "--seed", defaultValue = "11", description = "Seed of the student (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        protected Breeding.Result breed() throws IOException {
            ParentPackage t = ParentPackage.load(teacher);
            if (!(t.architecture() instanceof Mlp tm)) {
                throw new BreedingFailure("distill: the teacher is " + t.architecture().name() + "; the student is an mlp"
                        + " over the teacher's n-gram orders, so the teacher must be an mlp too");
            }
            Mlp student = Breeding.mlp(buckets == null ? tm.buckets() : buckets, hidden,
                    tm.toConfig().get("ngram_orders"), "relu", tm.classes());
            return Breeding.distill(t, data, student, new TrainingOptions(epochs, 16, lr, seed, temperature), target(),
                    progress());
        }
    }

    @Command(name = "adapter", mixinStandardHelpOptions = true,
            description = {"Train a low-rank adapter (LoRA) over a base package on new labelled data. The child holds only "
                    + "the adapter's tensors (<layer>.lora_a [rank, in], <layer>.lora_b [out, rank]); its contract "
                    + "(architecture family lora) names the base by package and weights digest, its lineage card "
                    + "cites the base as its only parent, and it carries its training data under data/ so that a node "
                    + "holding the base re-runs the training and marks the claim reproduced.",
                    "Running it (grove run, the site) loads the base, checks both, and computes W + (alpha/rank)·(B·A)ᵀ."})
    public static final class AdapterCommand extends OperatorSubcommand {
        @Parameters(index = "0", paramLabel = "BASE_DIR", description = "The base package directory (float weights).")
        Path base;

        @Option(names = "--data", required = true, paramLabel = "FILE",
                description = "Training data, label TAB text per line (labels among the base's).")
        Path data;

        @Option(names = "--rank", defaultValue = "1", description = "Rank r of the delta (default: ${DEFAULT-VALUE}).")
        int rank;

        @Option(names = "--alpha", defaultValue = "4", description = "Scale numerator: the delta is alpha/r·(B·A)ᵀ "
                + "(default: ${DEFAULT-VALUE}).")
        float alpha;

        @Option(names = "--layers", paramLabel = "L[,L...]", description = "Dense layers to adapt, e.g. dense0,dense1 "
                + "(default: every dense layer of the base).")
        String layers;

        @Option(names = "--epochs", defaultValue = "2", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        float lr;

        @Option(names = "--batch", defaultValue = "16", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--seed", defaultValue = "7", description = "Seed of B's initialisation and the batch order "
                + "(default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        protected Breeding.Result breed() throws IOException {
            ParentPackage b = ParentPackage.load(base);
            List<String> names = layers == null
                    ? dev.grove.runtime.model.LoraAdapter.adaptableLayers(b.architecture())
                    : List.of(layers.split(","));
            dev.grove.runtime.breed.AdapterParams params;
            try {
                params = new dev.grove.runtime.breed.AdapterParams(dev.grove.runtime.breed.AdapterParams.LORA,
                        new dev.grove.runtime.model.LoraAdapter(rank, alpha), names,
                        new TrainingOptions(epochs, batch, lr, seed, 1f));
            } catch (IllegalArgumentException e) {
                throw dev.grove.cli.command.CommandFailure.usage(e.getMessage());
            }
            return Breeding.adapter(b, data, params, target(), progress());
        }
    }

    @Command(name = "cascade", mixinStandardHelpOptions = true,
            description = {"A cascade of member packages, smallest first: each answers when its confidence clears a "
                    + "threshold, else the next one does; the last always answers. The package names its members by "
                    + "digest and carries no weights.",
                    "Thresholds are chosen on --validation (never the held-out data): the cheapest whose validation "
                            + "accuracy is at most --target below the last member's. The evaluation card gives the "
                            + "held-out accuracy, the mean cost (bytes loaded, parameters and multiply-adds run, "
                            + "measured latency) and the share each member answered."})
    public static final class CascadeCommand extends OperatorSubcommand {
        @Parameters(arity = "2..8", paramLabel = "MEMBER_DIR", description = "Member package directories, smallest "
                + "first; every member needs the same interface and labels.")
        List<Path> members;

        @Option(names = "--validation", required = true, paramLabel = "FILE",
                description = "Validation data (label TAB text per line) the thresholds are chosen on; not the held-out "
                        + "data.")
        Path validation;

        @Option(names = "--rule", defaultValue = "top-probability", paramLabel = "RULE",
                description = "top-probability or margin (top minus second probability) (default: ${DEFAULT-VALUE}).")
        String rule;

        @Option(names = "--target", defaultValue = "0.003", paramLabel = "LOSS",
                description = "Largest validation accuracy loss accepted against the last member (default: "
                        + "${DEFAULT-VALUE}).")
        double targetLoss;

        @Option(names = "--cost", defaultValue = "bytes", paramLabel = "UNIT",
                description = "What the thresholds make cheap: bytes or multiply-adds (default: ${DEFAULT-VALUE}).")
        String cost;

        @Option(names = "--no-latency", description = "Leave the measured latency out of the evaluation card (for "
                + "byte-identical rebuilds).")
        boolean noLatency;

        @Override
        protected Breeding.Result breed() throws IOException {
            dev.grove.pkg.CascadeRule r;
            try {
                r = dev.grove.pkg.CascadeRule.fromWire(rule);
            } catch (IllegalArgumentException e) {
                throw dev.grove.cli.command.CommandFailure.usage("--rule: " + e.getMessage());
            }
            CascadeBreeding.CostUnit unit = switch (cost) {
                case "bytes" -> CascadeBreeding.CostUnit.BYTES;
                case "multiply-adds" -> CascadeBreeding.CostUnit.MULTIPLY_ADDS;
                default -> throw dev.grove.cli.command.CommandFailure.usage("--cost: '" + cost
                        + "' is not bytes or multiply-adds");
            };
            if (!(targetLoss >= 0 && targetLoss < 1)) {
                throw dev.grove.cli.command.CommandFailure.usage("--target: must be in [0, 1), got " + targetLoss);
            }
            List<ParentPackage> loaded = new ArrayList<>();
            for (Path p : members) {
                loaded.add(ParentPackage.load(p));
            }
            CascadeBreeding.Bred bred = CascadeBreeding.breed(loaded, new CascadeBreeding.Choice(r, validation,
                    "validation data", targetLoss, unit, !noLatency), target());
            CascadeBreeding.Figures f = bred.figures();
            err().printf(java.util.Locale.ROOT, "cascade: thresholds %s; held-out accuracy %.4f (last member %.4f); "
                            + "mean %.0f bytes loaded (last member %d), %.0f multiply-adds (last member %d)%s%n",
                    f.thresholds(), bred.result().evaluation().accuracy(), f.largestAccuracy(), f.meanBytes(),
                    f.largestBytes(), f.meanMultiplyAdds(), f.largestMultiplyAdds(),
                    f.meanLatencyMs().map(l -> String.format(java.util.Locale.ROOT, ", %.4f ms per input (last member "
                            + "%.4f ms)", l, f.largestLatencyMs().orElse(0.0))).orElse(""));
            err().flush();
            return bred.result();
        }
    }
}
