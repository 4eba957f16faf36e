package dev.grove.cli.breed;

import dev.grove.cli.command.CommandFailure;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code grove train}: a base model (the runtime's mlp over hashed character n-grams) trained from labelled text. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a text classifier (mlp over hashed character n-grams) and write a complete package: "
                + "weights, a lineage card (operator train, hyper-parameters, data by digest) and an evaluation card "
                + "(held-out accuracy per class).",
                "Deterministic: the same data, options and seed give byte-identical weights. Progress goes to stderr."})
public final class TrainCommand extends BreedSubcommand {

    @Option(names = "--name", required = true, paramLabel = "NS/NAME", description = "Package name, e.g. myteam/langid.")
    String name;

    @Option(names = "--package-version", paramLabel = "SEMVER", defaultValue = "1.0.0",
            description = "Version of the package (default: ${DEFAULT-VALUE}).")
    String packageVersion;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training data, label TAB text per line.")
    Path data;

    @Option(names = "--buckets", defaultValue = "1024", description = "Hashed n-gram buckets, a power of two (default: ${DEFAULT-VALUE}).")
    int buckets;

    @Option(names = "--hidden", defaultValue = "16", paramLabel = "W[,W...]",
            description = "Hidden layer widths, comma-separated; empty for none (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--orders", defaultValue = "1,2,3", description = "Character n-gram orders (default: ${DEFAULT-VALUE}).")
    String orders;

    @Option(names = "--activation", defaultValue = "relu", description = "relu or tanh (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--batch", defaultValue = "16", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--license", defaultValue = "Apache-2.0", paramLabel = "SPDX", description = "License of the package (default: ${DEFAULT-VALUE}).")
    String license;

    @Option(names = "--tags", defaultValue = "", paramLabel = "T[,T...]", description = "Contract tags, comma-separated.")
    String tags;

    @Override
    protected Breeding.Result breed() throws IOException {
        Dataset d = Breeding.data(data, null);
        Mlp mlp = Breeding.mlp(buckets, hidden, orders, activation, d.labels().size());
        TrainingOptions options = new TrainingOptions(epochs, batch, lr, seed, 1f);
        List<String> tagList = tags.isBlank() ? List.of() : List.of(tags.split(","));
        PackageWriter.Identity id = new PackageWriter.Identity(packageName(), packageVersion,
                summary == null ? "Text classifier over " + d.labels() + " trained on " + data.getFileName() : summary,
                license, "text-classification", tagList);
        if (!Files.isRegularFile(data)) {
            throw CommandFailure.usage("--data " + data + " is not a file");
        }
        return Breeding.train(data, mlp, options, id, target(), progress());
    }

    @Override
    Breeding.Target target() {
        return new Breeding.Target(out, Optional.of(packageName()), Optional.of(packageVersion), Optional.ofNullable(summary),
                heldout, factor, Optional.empty(), Optional.empty());
    }

    private PackageName packageName() {
        try {
            return PackageName.parse(name);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("--name: " + e.getMessage());
        }
    }
}
