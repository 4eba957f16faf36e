package dev.grove.node.lineage;

import dev.grove.node.lineage.LineageReproduction.Outcome;
import dev.grove.node.problem.AdapterMismatch;
import dev.grove.node.problem.LineageNotReproduced;
import dev.grove.pkg.Contract;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.runtime.breed.Adapter;
import dev.grove.runtime.breed.AdapterParams;
import dev.grove.runtime.breed.BreedException;
import dev.grove.runtime.breed.ParameterException;
import dev.grove.runtime.breed.Reproduction;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.TrainingProgress;
import dev.grove.runtime.web.ArchitectureJson;
import dev.grove.runtime.web.ContractArchitecture;

import java.util.Optional;

/** The blocking part of an adapter's check: fit to the base, then the re-run of its training (on a worker). */
final class AdapterRerun {
    /** Re-runs cost epochs × samples forward and backward passes: larger claims are marked, not re-run. */
    static final long MAX_SAMPLE_PASSES = 1_000_000;
    /**
     * And every mini-batch merges the delta into and takes the gradient of each adapted matrix (about rank × in × out
     * multiply-adds each): a claim above this many is marked, not re-run, so a hostile rank cannot hold a worker.
     */
    static final long MAX_MATRIX_WORK = 4_000_000_000L;

    private AdapterRerun() {
    }

    /** Mini-batches × 3 × rank × Σ in·out over the adapted layers (merge, and the two gradients). */
    static long matrixWork(Architecture base, LoraAdapter lora, AdapterParams params, int samples) {
        long perBatch = 0;
        for (dev.grove.runtime.model.TensorSpec s : base.expectedTensors()) {
            String layer = s.name().endsWith(".weight") ? s.name().substring(0, s.name().length() - 7) : "";
            if (params.layers().contains(layer) && s.shape().length == 2) {
                perBatch += 3L * lora.rank() * s.shape()[0] * s.shape()[1];
            }
        }
        long batches = (long) params.options().epochs() * ((samples + params.options().batchSize() - 1)
                / params.options().batchSize());
        return batches > 0 && perBatch > Long.MAX_VALUE / batches ? Long.MAX_VALUE : batches * perBatch;
    }

    static Outcome run(VerifiedPackage pkg, Contract base, byte[] baseBytes, byte[] adapterBytes,
                       Optional<byte[]> data) {
        String baseRef = base.ref().toString();
        Architecture baseArch;
        SafetensorsFile baseWeights;
        try {
            baseArch = ArchitectureJson.fromJson(base.architecture());
            baseWeights = SafetensorsFile.parse(baseBytes);
        } catch (ModelException | SafetensorsException e) {
            throw new AdapterMismatch("adapter: this node cannot load its base " + baseRef + ": " + e.getMessage(), e);
        }
        LoraAdapter lora;
        SafetensorsFile adapter;
        try {
            lora = LoraAdapter.fromConfig(ContractArchitecture.config(pkg.contract().architecture()));
        } catch (ModelException | IllegalArgumentException e) {
            throw new AdapterMismatch("adapter: architecture: " + e.getMessage(), e);
        }
        try {
            adapter = SafetensorsFile.parse(adapterBytes);
        } catch (SafetensorsException e) {
            throw new AdapterMismatch("adapter: its weights are not valid safetensors: " + e.getMessage(), e);
        }
        try {
            lora.check(baseArch, adapter);
            lora.apply(baseArch, baseWeights, adapter);
        } catch (ModelException e) {
            throw new AdapterMismatch("adapter does not fit its base " + baseRef + ": " + e.getMessage(), e);
        }
        AdapterParams params;
        try {
            params = AdapterParams.parse(pkg.lineage().parameters());
        } catch (ParameterException e) {
            throw new LineageNotReproduced("lineage: " + e.getMessage(), e);
        }
        if (!params.rerunnable()) {
            return Outcome.notReproduced("adapter method '" + params.method() + "' is not one this node re-runs ("
                    + AdapterParams.LORA + "); the adapter fits its base " + baseRef);
        }
        if (!params.adapter().equals(lora)) {
            throw new LineageNotReproduced("lineage claim does not reproduce: the card trains rank "
                    + params.adapter().rank() + ", alpha " + params.adapter().alpha() + " but the contract says rank "
                    + lora.rank() + ", alpha " + lora.alpha());
        }
        if (data.isEmpty()) {
            return Outcome.notReproduced("the adapter fits its base " + baseRef + "; its training data is not in the "
                    + "package (no artifact has the digest its lineage card cites), so it was not re-run");
        }
        Dataset dataset;
        try {
            dataset = Dataset.parse(data.get(), base.outputs().get(0).labels());
        } catch (IllegalArgumentException e) {
            throw new LineageNotReproduced("lineage: the adapter's training data: " + e.getMessage(), e);
        }
        if ((long) params.options().epochs() * dataset.size() > MAX_SAMPLE_PASSES) {
            return Outcome.notReproduced("the adapter fits its base " + baseRef + "; training of "
                    + params.options().epochs() + " epochs over " + dataset.size() + " samples is larger than this "
                    + "node re-runs (" + MAX_SAMPLE_PASSES + " sample passes)");
        }
        long work = matrixWork(baseArch, lora, params, dataset.size());
        if (work > MAX_MATRIX_WORK) {
            return Outcome.notReproduced("the adapter fits its base " + baseRef + "; its training would take about "
                    + work + " multiply-adds in the adapted matrices, more than this node re-runs (" + MAX_MATRIX_WORK
                    + ")");
        }
        Adapter.Trained rerun;
        try {
            rerun = Adapter.train(baseArch, baseWeights, dataset, params, TrainingProgress.NONE);
        } catch (BreedException e) {
            throw new LineageNotReproduced("lineage claim does not reproduce: adapter refuses its base: "
                    + e.getMessage(), e);
        }
        Optional<String> diff;
        try {
            diff = Reproduction.firstDifference(SafetensorsFile.parse(rerun.safetensors()), adapter);
        } catch (SafetensorsException e) {
            throw new IllegalStateException(e); // the runtime's own output
        }
        if (diff.isPresent()) {
            throw new LineageNotReproduced("lineage claim does not reproduce: re-running the adapter's training on "
                    + baseRef + " gives other weights: " + diff.get());
        }
        return Outcome.reproduced("re-ran adapter training (lora, rank " + lora.rank() + ") on the base " + baseRef
                + " and the data the package carries: every tensor is identical");
    }
}
