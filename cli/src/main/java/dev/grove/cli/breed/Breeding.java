package dev.grove.cli.breed;

import dev.grove.cli.breed.PackageWriter.DataRef;
import dev.grove.cli.breed.PackageWriter.Identity;
import dev.grove.cli.breed.PackageWriter.Lineage;
import dev.grove.json.JsonObject;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.breed.Adapter;
import dev.grove.runtime.breed.AdapterParams;
import dev.grove.runtime.breed.BreedException;
import dev.grove.runtime.breed.Bred;
import dev.grove.runtime.breed.Distill;
import dev.grove.runtime.breed.FineTune;
import dev.grove.runtime.breed.Merge;
import dev.grove.runtime.breed.MergeParams;
import dev.grove.runtime.breed.Prune;
import dev.grove.runtime.breed.PruneParams;
import dev.grove.runtime.breed.Quantize;
import dev.grove.runtime.breed.QuantizeParams;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.Evaluation;
import dev.grove.runtime.train.MlpTrainer;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import dev.grove.runtime.web.ArchitectureJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recipes behind {@code grove train}, {@code grove breed ...} and {@code grove garden build}: run the runtime's
 * trainer or operator, evaluate the child on held-out data with the runtime's inference, and write the complete package.
 */
public final class Breeding {
    /** Operator names, which a child does not inherit from its parent's tags. */
    private static final List<String> OPERATORS = List.of("train", "fine-tune", "merge", "distill", "quantize", "prune",
            "adapter");

    private Breeding() {
    }

    /** Where a child goes, what it is evaluated on, and what its model card says besides the other cards. */
    public record Target(Path out, Optional<PackageName> name, Optional<String> version, Optional<String> summary,
                         Path heldout, String factor, Optional<String> parentOrigin, Optional<String> namespace,
                         ModelCard.Notes notes) {
        /** A target whose model card says only what the contract, lineage and evaluation cards say. */
        public Target(Path out, Optional<PackageName> name, Optional<String> version, Optional<String> summary,
                      Path heldout, String factor, Optional<String> parentOrigin, Optional<String> namespace) {
            this(out, name, version, summary, heldout, factor, parentOrigin, namespace, ModelCard.Notes.none());
        }
    }

    /** What was written. */
    public record Result(Path dir, String ref, Evaluation evaluation, long parameters, long bytes, JsonObject lineageParameters) {
    }

    private static Dataset heldout(Path file, List<String> labels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BreedingFailure("--heldout " + file + ": no such file. Held-out data is not part of a package (a "
                    + "pulled package carries only the digest of its held-out set, in evaluation.json); for the garden's "
                    + "language-identification packages it is examples/data/langid-heldout.tsv in the Grove repository "
                    + "(see examples/garden/README.md), otherwise use your own file, one label TAB text per line");
        }
        try {
            return Dataset.parse(Files.readAllBytes(file), labels);
        } catch (IllegalArgumentException e) {
            throw new BreedingFailure(file + ": " + e.getMessage());
        }
    }

    static Dataset data(Path file, List<String> labels) throws IOException {
        try {
            return Dataset.parse(Files.readAllBytes(file), labels);
        } catch (IllegalArgumentException e) {
            throw new BreedingFailure(file + ": " + e.getMessage());
        }
    }


    // ---- train -------------------------------------------------------------------------------------------------

    /** Trains a base model from scratch on {@code dataFile}. */
    public static Result train(Path dataFile, Mlp architecture, TrainingOptions options, Identity id, Target target,
                               TrainingProgress progress) throws IOException {
        Dataset data = data(dataFile, null);
        if (data.labels().size() != architecture.classes()) {
            throw new BreedingFailure("the architecture has " + architecture.classes() + " classes but " + dataFile
                    + " has " + data.labels().size() + " labels");
        }
        Bred bred;
        try {
            MlpTrainer trainer = MlpTrainer.initialise(architecture, options.seed());
            trainer.train(data, options, progress);
            bred = new Bred(architecture, trainer.toSafetensors(Map.of("producer", "grove train")));
        } catch (ModelException e) {
            throw new BreedingFailure(e.getMessage());
        }
        JsonObject params = trainingParameters(options)
                .put("initialisation", "uniform(±sqrt(6/(fan_in+fan_out))), first layer fan_in 1; biases 0")
                .put("loss", "softmax cross-entropy")
                .build();
        Lineage lineage = new Lineage("train", params, List.of(), Optional.empty(),
                List.of(DataRef.of(dataFile, "training data (" + data.size() + " samples)")));
        return finish(bred, id, PackageWriter.interfaceFor(data.labels()), lineage, target, data.labels(), List.of());
    }

    private static JsonObject.Builder trainingParameters(TrainingOptions o) {
        return JsonObject.builder()
                .put("optimizer", "adam(beta1=0.9, beta2=0.999, eps=1e-8)")
                .put("learning_rate", PackageWriter.number(o.learningRate()))
                .put("epochs", o.epochs())
                .put("batch_size", o.batchSize())
                .put("seed", o.seed());
    }

    // ---- quantize, merge, prune (re-checked by nodes) ----------------------------------------------------------

    public static Result quantize(ParentPackage parent, Target target) throws IOException {
        Bred bred = run(() -> Quantize.apply(parent.architecture(), parent.weights()));
        JsonObject params = QuantizeParams.of().toJson();
        Dataset held = heldout(target.heldout(), parent.labels());
        Evaluation.Distance d = Evaluation.distance(parent.model(), load(bred), held);
        return child(parent, "-int8", "int8 per-channel quantisation of " + parent.ref(), bred, "quantize", params,
                List.of(parent), List.of(), target, List.of(
                        PackageWriter.metric("agreement-with-parent", d.agreement(), d.samples()),
                        PackageWriter.metric("max-abs-probability-difference", d.maxAbsProbabilityDifference(),
                                d.samples())));
    }

    public static Result merge(List<ParentPackage> parents, float[] weights, Target target) throws IOException {
        List<Architecture> archs = new ArrayList<>();
        List<SafetensorsFile> files = new ArrayList<>();
        for (ParentPackage p : parents) {
            archs.add(p.architecture());
            files.add(p.weights());
        }
        for (int k = 1; k < parents.size(); k++) {
            if (!parents.get(k).labels().equals(parents.get(0).labels())) {
                throw new BreedingFailure("cannot merge " + parents.get(0).ref() + " and " + parents.get(k).ref()
                        + ": their output labels differ (" + parents.get(0).labels() + " vs " + parents.get(k).labels()
                        + ")");
            }
        }
        Bred bred = run(() -> Merge.apply(archs, files, weights));
        JsonObject params = MergeParams.weightedAverage(weights).toJson();
        StringBuilder refs = new StringBuilder();
        for (ParentPackage p : parents) {
            refs.append(refs.length() == 0 ? "" : " and ").append(p.ref());
        }
        return child(parents.get(0), "-merged", "weighted average of " + refs, bred, "merge", params, parents,
                List.of(), target, List.of());
    }

    public static Result prune(ParentPackage parent, float sparsity, Target target) throws IOException {
        Prune.Result r = run2(() -> Prune.apply(parent.architecture(), parent.weights(), sparsity));
        JsonObject params = PruneParams.magnitude(sparsity).toJson();
        Dataset held = heldout(target.heldout(), parent.labels());
        Evaluation.Distance d = Evaluation.distance(parent.model(), load(r.child()), held);
        return child(parent, "-pruned", "magnitude-pruned (" + Math.round(sparsity * 100) + "% of each layer) "
                        + parent.ref(), r.child(), "prune", params, List.of(parent), List.of(), target,
                List.of(PackageWriter.metric("agreement-with-parent", d.agreement(), d.samples())));
    }

    // ---- fine-tune, distill -------------------------------------------------------------------------------------

    public static Result fineTune(ParentPackage parent, Path dataFile, TrainingOptions options, Target target,
                                  TrainingProgress progress) throws IOException {
        Dataset data = data(dataFile, parent.labels());
        Bred bred = run(() -> FineTune.apply(parent.architecture(), parent.weights(), data, options, progress));
        JsonObject params = trainingParameters(options).put("loss", "softmax cross-entropy").build();
        return child(parent, "-ft", "fine-tuned " + parent.ref(), bred, "fine-tune", params, List.of(parent),
                List.of(DataRef.of(dataFile, "fine-tuning data (" + data.size() + " samples)")), target, List.of());
    }

    public static Result distill(ParentPackage teacher, Path dataFile, Mlp student, TrainingOptions options,
                                 Target target, TrainingProgress progress) throws IOException {
        Dataset data = data(dataFile, teacher.labels());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            texts.add(data.text(i));
        }
        Bred bred = run(() -> Distill.apply(teacher.model(), student, texts, options, progress));
        JsonObject params = trainingParameters(options)
                .put("temperature", PackageWriter.number(options.temperature()))
                .put("loss", "T^2 * cross-entropy(softmax(teacher/T), softmax(student/T)); labels unused")
                .put("student", ArchitectureJson.toJson(student).object("config"))
                .build();
        Dataset held = heldout(target.heldout(), teacher.labels());
        Evaluation.Distance d = Evaluation.distance(teacher.model(), load(bred), held);
        return child(teacher, "-distilled", "distilled from " + teacher.ref() + " into a " + Bred.parameters(student)
                        + "-parameter student", bred, "distill", params, List.of(teacher),
                List.of(DataRef.of(dataFile, "teacher inputs (" + texts.size() + " texts, labels not used)")), target,
                List.of(PackageWriter.metric("agreement-with-teacher", d.agreement(), d.samples())));
    }

    // ---- adapter (re-run by nodes that hold the base; the package carries its training data) --------------------

    /** Where an adapter package carries its training data, so that a node can re-run the training. */
    static String dataPath(Path dataFile) {
        return dev.grove.cli.pack.ContractPins.DATA_DIR + dataFile.getFileName();
    }

    public static Result adapter(ParentPackage base, Path dataFile, AdapterParams params, Target target,
                                 TrainingProgress progress) throws IOException {
        Dataset data = data(dataFile, base.labels());
        Adapter.Trained trained;
        try {
            trained = Adapter.train(base.architecture(), base.weights(), data, params, progress);
        } catch (BreedException e) {
            throw new BreedingFailure(e.getMessage());
        }
        byte[] adapterBytes = trained.safetensors();
        Model adapted;
        long parameters = 0;
        try {
            SafetensorsFile f = SafetensorsFile.parse(adapterBytes);
            adapted = params.adapter().load(base.architecture(), base.weights(), f);
            for (dev.grove.runtime.safetensors.TensorInfo t : f.tensors()) {
                parameters += t.elementCount();
            }
        } catch (ModelException | dev.grove.runtime.safetensors.SafetensorsException e) {
            throw new BreedingFailure("the runtime refused the adapter: " + e.getMessage());
        }
        Dataset held = heldout(target.heldout(), base.labels());
        Evaluation.Distance d = Evaluation.distance(base.model(), adapted, held);
        Evaluation ev = Evaluation.of(adapted, held);

        PackageName pb = PackageName.parse(base.name());
        PackageName name = target.name().orElseGet(() -> new PackageName(target.namespace().orElseThrow(
                () -> new BreedingFailure("the adapter is published in your own namespace, not the base's ("
                        + pb.namespace() + "): give --name YOURNS/" + pb.name() + "-adapter, or --namespace YOURNS "
                        + "(default: $GROVE_NAMESPACE)")), pb.name() + "-adapter"));
        List<String> tags = new ArrayList<>();
        base.contract().optArray("tags").ifPresent(a -> {
            for (int i = 0; i < a.size(); i++) {
                if (!OPERATORS.contains(a.string(i))) {
                    tags.add(a.string(i));
                }
            }
        });
        tags.add("adapter");
        String summary = target.summary().orElse("Low-rank adapter (rank " + params.adapter().rank() + ") on "
                + base.ref() + ", trained on " + dataFile.getFileName());
        Identity id = new Identity(name, target.version().orElse(base.version()), summary,
                base.contract().string("license"), base.contract().string("task"), tags);
        JsonObject architecture = JsonObject.builder().put("family", LoraAdapter.NAME).put("opset", 1)
                .put("config", JsonObject.builder().put("rank", params.adapter().rank())
                        .put("alpha", PackageWriter.number(params.adapter().alpha())).build())
                .build();
        JsonObject adapterBlock = JsonObject.builder().put("base", JsonObject.builder()
                .put("name", base.name()).put("version", base.version()).put("digest", base.digest().toString())
                .put("weights", ParentPackage.weightsArtifact(base.contract(), base.name()).string("digest"))
                .build()).build();
        byte[] dataBytes = Files.readAllBytes(dataFile);
        PackageWriter.Weights weights = new PackageWriter.Weights(adapterBytes, architecture, parameters,
                Optional.of(adapterBlock), List.of(new PackageWriter.Carried(dataPath(dataFile),
                "text/tab-separated-values", dataBytes)));
        Lineage lineage = new Lineage("adapter", params.toJson(), List.of(base), target.parentOrigin(),
                List.of(DataRef.of(dataFile, "adapter training data (" + data.size() + " samples), carried in the "
                        + "package at " + dataPath(dataFile))));
        DataRef heldRef = DataRef.of(target.heldout(), null);
        PackageWriter.write(target.out(), id, base.contract().object("interface"), weights, lineage,
                List.of(PackageWriter.evaluation(heldRef, ev, target.factor(), List.of(
                        PackageWriter.metric("agreement-with-base", d.agreement(), d.samples())))), target.notes());
        return new Result(target.out(), id.name() + "@" + id.version(), ev, parameters, adapterBytes.length,
                lineage.parameters());
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    private interface Op {
        Bred run() throws BreedException;
    }

    private interface Op2 {
        Prune.Result run() throws BreedException;
    }

    private static Bred run(Op op) {
        try {
            return op.run();
        } catch (BreedException e) {
            throw new BreedingFailure(e.getMessage());
        }
    }

    private static Prune.Result run2(Op2 op) {
        try {
            return op.run();
        } catch (BreedException e) {
            throw new BreedingFailure(e.getMessage());
        }
    }

    static Model load(Bred bred) {
        try {
            return bred.load();
        } catch (ModelException e) {
            throw new BreedingFailure("the runtime refused the child: " + e.getMessage());
        }
    }

    private static Result child(ParentPackage parent, String suffix, String summary, Bred bred, String operator,
                                JsonObject params, List<ParentPackage> parents, List<DataRef> data, Target target,
                                List<JsonObject> extra) throws IOException {
        PackageName name = target.name().orElseGet(() -> {
            PackageName p = PackageName.parse(parent.name());
            String namespace = target.namespace().orElseThrow(() -> new BreedingFailure("the child is published in your "
                    + "own namespace, not the parent's (" + p.namespace() + "): give --name YOURNS/" + p.name() + suffix
                    + ", or --namespace YOURNS (default: $GROVE_NAMESPACE)"));
            try {
                return new PackageName(namespace, p.name() + suffix);
            } catch (IllegalArgumentException e) {
                throw new BreedingFailure("--namespace " + namespace + ": " + e.getMessage());
            }
        });
        List<String> tags = new ArrayList<>();
        parent.contract().optArray("tags").ifPresent(a -> {
            for (int i = 0; i < a.size(); i++) {
                if (!OPERATORS.contains(a.string(i))) {
                    tags.add(a.string(i));
                }
            }
        });
        if (!tags.contains(operator)) {
            tags.add(operator);
        }
        Identity id = new Identity(name, target.version().orElse(parent.version()), target.summary().orElse(
                capitalise(summary)), parent.contract().string("license"), parent.contract().string("task"), tags);
        List<DataRef> allData = new ArrayList<>(data);
        Lineage lineage = new Lineage(operator, params, parents, target.parentOrigin(), allData);
        return finish(bred, id, parent.contract().object("interface"), lineage, target, parent.labels(), extra);
    }

    private static Result finish(Bred bred, Identity id, JsonObject iface, Lineage lineage, Target target,
                                 List<String> labels, List<JsonObject> extra) throws IOException {
        Dataset held = heldout(target.heldout(), labels);
        DataRef heldRef = DataRef.of(target.heldout(), null);
        Evaluation ev = Evaluation.of(load(bred), held);
        PackageWriter.write(target.out(), id, iface, bred, lineage,
                List.of(PackageWriter.evaluation(heldRef, ev, target.factor(), extra)), target.notes());
        return new Result(target.out(), id.name() + "@" + id.version(), ev, bred.parameters(),
                bred.safetensors().length, lineage.parameters());
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** An MLP architecture from the usual training options. */
    public static Mlp mlp(int buckets, String hidden, String orders, String activation, int classes) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("architecture", Mlp.NAME);
        c.put("ngram_orders", orders);
        c.put("buckets", Integer.toString(buckets));
        c.put("hidden", hidden);
        c.put("activation", activation);
        c.put("classes", Integer.toString(classes));
        try {
            return (Mlp) Architecture.fromConfig(c);
        } catch (ModelException e) {
            throw new BreedingFailure(e.getMessage());
        }
    }
}
