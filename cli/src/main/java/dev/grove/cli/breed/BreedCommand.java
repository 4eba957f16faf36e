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
                BreedCommand.AdapterCommand.class, CommandLine.HelpCommand.class})
public final class BreedCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing operator: quantize, merge, prune, "
                + "fine-tune, distill or adapter");
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
}
