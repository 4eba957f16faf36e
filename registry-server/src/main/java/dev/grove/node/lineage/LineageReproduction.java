package dev.grove.node.lineage;

import dev.grove.runtime.breed.MergeParams;
import dev.grove.runtime.breed.ParameterException;
import dev.grove.runtime.breed.PruneParams;
import dev.grove.runtime.breed.QuantizeParams;
import dev.grove.runtime.web.ArchitectureJson;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.json.JsonObject;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.problem.AdapterMismatch;
import dev.grove.node.problem.LineageNotReproduced;
import dev.grove.pkg.AdapterBase;
import dev.grove.node.problem.NodeFailure;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.Contract;
import dev.grove.pkg.LineageCard;
import dev.grove.pkg.Operator;
import dev.grove.pkg.ParentRef;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.runtime.breed.BreedException;
import dev.grove.runtime.breed.Bred;
import dev.grove.runtime.breed.Merge;
import dev.grove.runtime.breed.Prune;
import dev.grove.runtime.breed.Quantize;
import dev.grove.runtime.breed.Reproduction;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Re-checks the lineage claim of a package bred by a deterministic operator ({@code quantize}, {@code merge},
 * {@code prune}) before it is published: fetches the parents' contracts and safetensors weights from this node, re-runs
 * the operator of {@code dev.grove.runtime.breed} with the recorded parameters on a bounded worker pool, and compares the
 * result with the child's weights tensor by tensor.
 *
 * <ul>
 *   <li>A claim that does not reproduce (other weights, another architecture, malformed parameters of a known scheme) is
 *       refused ({@link LineageNotReproduced}) naming the first tensor or field that differs.</li>
 *   <li>A claim that reproduces is accepted and marked {@code reproduced = true}.</li>
 *   <li>A claim that cannot be checked here (a parent this node does not hold, a scheme this node cannot run, another
 *       operator) is accepted and marked {@code reproduced = false} with the reason; for other operators nothing is
 *       marked ({@code reproduced = null}).</li>
 * </ul>
 */
public final class LineageReproduction {
    /** Weights larger than this are not re-checked (marked not reproduced), so a check never exhausts memory. */
    public static final long MAX_WEIGHTS_BYTES = 64L * 1024 * 1024;
    /** Worker threads shared by all checks of a node. */
    static final int WORKERS = 2;

    private static final String PARENT = """
            SELECT contract_envelope FROM package_versions WHERE digest = $1 ORDER BY (origin = '') DESC LIMIT 1""";

    private final Pool pool;
    private final BlobStore blobs;

    public LineageReproduction(Pool pool, BlobStore blobs) {
        this.pool = pool;
        this.blobs = blobs;
    }

    /** What the check found: {@code reproduced} is null when the operator is not one a node re-runs. */
    public record Outcome(Boolean reproduced, String reason) {
        static Outcome reproduced(String reason) {
            return new Outcome(true, reason);
        }

        public static final Outcome NOT_APPLICABLE = new Outcome(null, null);

        static Outcome notReproduced(String reason) {
            return new Outcome(false, reason);
        }
    }

    /** Checks the claim; fails with {@link LineageNotReproduced} when it does not reproduce. */
    public Future<Outcome> check(VerifiedPackage pkg) {
        return check(pkg, this::parentContract);
    }

    /**
     * Checks the claim of a package another node published, which this node mirrors: the same check, its parents found
     * by {@code parents} (a mirror may hold a parent it has not stored yet), and a claim that does not reproduce marked
     * so instead of refused (the origin accepted it; this node says what it found).
     */
    public Future<Outcome> recheck(VerifiedPackage pkg, Function<Sha256, Future<Optional<Contract>>> parents) {
        return check(pkg, digest -> parents.apply(digest).compose(found -> found.isPresent()
                ? Future.succeededFuture(found) : parentContract(digest)))
                .recover(e -> Future.succeededFuture(Outcome.notReproduced(e instanceof NodeFailure f
                        ? f.getMessage() : "the check failed: " + e.getMessage())));
    }

    private Future<Outcome> check(VerifiedPackage pkg, Function<Sha256, Future<Optional<Contract>>> parentOf) {
        LineageCard lineage = pkg.lineage();
        Operator op = lineage.operator();
        if (op == Operator.CASCADE || CascadeConfig.isCascade(pkg.contract().architecture())) {
            return cascade(pkg, parentOf);
        }
        if (op == Operator.ADAPTER && pkg.contract().adapter().isPresent()) {
            return checkAdapter(pkg, pkg.contract().adapter().get(), parentOf);
        }
        if (op != Operator.QUANTIZE && op != Operator.MERGE && op != Operator.PRUNE) {
            return Future.succeededFuture(Outcome.NOT_APPLICABLE);
        }
        List<Future<Optional<Contract>>> parents = new ArrayList<>();
        for (ParentRef p : lineage.parents()) {
            parents.add(parentOf.apply(p.digest()));
        }
        return Future.all(parents).compose(all -> {
            List<Contract> contracts = new ArrayList<>();
            for (int i = 0; i < parents.size(); i++) {
                Optional<Contract> c = all.resultAt(i);
                if (c.isEmpty()) {
                    return Future.succeededFuture(Outcome.notReproduced("parent not on this node ("
                            + lineage.parents().get(i).digest() + ")"));
                }
                contracts.add(c.get());
            }
            List<Future<Buffer>> weights = new ArrayList<>();
            for (Contract c : contracts) {
                Optional<Artifact> a = safetensors(c);
                if (a.isEmpty()) {
                    return Future.succeededFuture(Outcome.notReproduced("parent " + c.name() + "@" + c.version()
                            + " has no safetensors artifact"));
                }
                if (a.get().size() > MAX_WEIGHTS_BYTES) {
                    return Future.succeededFuture(Outcome.notReproduced("parent weights larger than "
                            + MAX_WEIGHTS_BYTES + " bytes are not re-checked"));
                }
                weights.add(blobs.read(a.get().digest(), MAX_WEIGHTS_BYTES));
            }
            Optional<Artifact> childArtifact = safetensors(pkg.contract());
            if (childArtifact.isEmpty()) {
                return Future.failedFuture(new LineageNotReproduced("lineage: a " + op.wireName()
                        + " child must carry its weights as an application/vnd.safetensors artifact"));
            }
            if (childArtifact.get().size() > MAX_WEIGHTS_BYTES) {
                return Future.succeededFuture(Outcome.notReproduced("weights larger than " + MAX_WEIGHTS_BYTES
                        + " bytes are not re-checked"));
            }
            weights.add(blobs.read(childArtifact.get().digest(), MAX_WEIGHTS_BYTES));
            // the weights are copied out of their buffers on the worker too: up to three times MAX_WEIGHTS_BYTES
            return Future.all(weights).compose(w -> blocking(() -> {
                List<byte[]> bytes = new ArrayList<>(weights.size());
                for (Future<Buffer> read : weights) {
                    bytes.add(read.result().getBytes());
                }
                return rerun(pkg, contracts, bytes);
            }));
        });
    }

    /**
     * An adapter: its base must be on this node (by package digest) with the weights the adapter names, and the
     * adapter's tensors must fit them ({@link AdapterMismatch} otherwise, even for an adapter whose training cannot be
     * re-run here). The training is then re-run on the base's weights and the data the package carries.
     */
    private Future<Outcome> checkAdapter(VerifiedPackage pkg, AdapterBase base,
                                         Function<Sha256, Future<Optional<Contract>>> parentOf) {
        return parentOf.apply(base.digest()).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new AdapterMismatch("adapter: its base " + base.ref() + " ("
                        + base.digest() + ") is not on this node; publish the base here first"));
            }
            Contract baseContract = found.get();
            if (!baseContract.name().equals(base.name()) || !baseContract.version().equals(base.version())) {
                return Future.failedFuture(new AdapterMismatch("adapter: adapter.base names " + base.ref()
                        + " but the package with digest " + base.digest() + " is " + baseContract.ref()));
            }
            Optional<Artifact> baseWeights = safetensors(baseContract);
            if (baseWeights.isEmpty() || !baseWeights.get().digest().equals(base.weights())) {
                return Future.failedFuture(new AdapterMismatch("adapter: adapter.base.weights is " + base.weights()
                        + " but the weights of " + base.ref() + " are "
                        + baseWeights.map(a -> a.digest().toString()).orElse("missing")));
            }
            if (!baseContract.json().object("interface").equals(pkg.contract().json().object("interface"))) {
                return Future.failedFuture(new AdapterMismatch("adapter: its interface differs from its base's ("
                        + base.ref() + "); an adapter keeps the base's inputs, outputs and labels"));
            }
            Optional<Artifact> child = safetensors(pkg.contract());
            if (child.isEmpty()) {
                return Future.failedFuture(new AdapterMismatch("adapter: the package must carry its weights as an "
                        + "application/vnd.safetensors artifact"));
            }
            if (baseWeights.get().size() > MAX_WEIGHTS_BYTES || child.get().size() > MAX_WEIGHTS_BYTES) {
                return Future.succeededFuture(Outcome.notReproduced("weights larger than " + MAX_WEIGHTS_BYTES
                        + " bytes are not re-checked"));
            }
            Optional<Artifact> data = trainingData(pkg);
            List<Future<Buffer>> reads = new ArrayList<>();
            reads.add(blobs.read(baseWeights.get().digest(), MAX_WEIGHTS_BYTES));
            reads.add(blobs.read(child.get().digest(), MAX_WEIGHTS_BYTES));
            data.filter(d -> d.size() <= MAX_WEIGHTS_BYTES)
                    .ifPresent(d -> reads.add(blobs.read(d.digest(), MAX_WEIGHTS_BYTES)));
            return Future.all(reads).compose(all -> blocking(() -> AdapterRerun.run(pkg, baseContract,
                    reads.get(0).result().getBytes(), reads.get(1).result().getBytes(),
                    reads.size() > 2 ? Optional.of(reads.get(2).result().getBytes()) : Optional.empty())));
        });
    }

    /** The artifact that is the first dataset the lineage card cites by digest (the adapter's training data). */
    private static Optional<Artifact> trainingData(VerifiedPackage pkg) {
        for (JsonObject d : pkg.lineage().data()) {
            Optional<String> digest = d.optString("digest");
            if (digest.isEmpty()) {
                continue;
            }
            for (Artifact a : pkg.contract().artifacts()) {
                if (a.digest().toString().equals(digest.get())) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A cascade: its family and operator go together, it cites its members as parents in order, and every member is
     * on this node (see {@link CascadeCheck}); nothing is re-run, so no worker is needed.
     */
    private static Future<Outcome> cascade(VerifiedPackage pkg, Function<Sha256, Future<Optional<Contract>>> parentOf) {
        LineageCard lineage = pkg.lineage();
        if (lineage.operator() != Operator.CASCADE || !CascadeConfig.isCascade(pkg.contract().architecture())) {
            return Future.failedFuture(new LineageNotReproduced("lineage: a package of architecture family '"
                    + CascadeConfig.FAMILY + "' is made by operator 'cascade', and only such a package is; this one "
                    + "has family '" + pkg.contract().architecture().string("family") + "' and operator '"
                    + lineage.operator().wireName() + "'"));
        }
        CascadeConfig config = CascadeConfig.fromArchitecture(pkg.contract().architecture());
        List<Sha256> cited = lineage.parents().stream().map(ParentRef::digest).toList();
        List<Sha256> members = config.members().stream().map(m -> m.digest()).toList();
        if (!cited.equals(members)) {
            return Future.failedFuture(new LineageNotReproduced("lineage: a cascade cites its members as parents, in "
                    + "the order the contract lists them (" + members + "); the card cites " + cited));
        }
        List<Future<Optional<Contract>>> found = new ArrayList<>();
        for (Sha256 digest : members) {
            found.add(parentOf.apply(digest));
        }
        return Future.all(found).compose(all -> {
            List<Contract> contracts = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                Optional<Contract> c = all.resultAt(i);
                if (c.isEmpty()) {
                    return Future.failedFuture(new LineageNotReproduced("cascade member " + (i + 1) + " ("
                            + config.members().get(i).ref() + ", " + members.get(i) + ") is not on this node; "
                            + "publish every member before the cascade that names it"));
                }
                contracts.add(c.get());
            }
            try {
                return Future.succeededFuture(CascadeCheck.check(pkg, contracts));
            } catch (LineageNotReproduced e) {
                return Future.failedFuture(e);
            }
        });
    }

    private Future<Optional<Contract>> parentContract(Sha256 digest) {
        return pool.preparedQuery(PARENT).execute(Tuple.of(digest.toString())).map(rows -> {
            if (rows.size() == 0) {
                return Optional.<Contract>empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(Contract.parse(Envelope.parse(row.getString("contract_envelope")).payload()));
        });
    }

    private static Optional<Artifact> safetensors(Contract c) {
        return c.artifacts().stream().filter(a -> "application/vnd.safetensors".equals(a.mediaType())).findFirst();
    }

    interface Check {
        Outcome run();
    }

    /**
     * Runs on a worker of a bounded pool shared by the node's checks, never on the event loop (the publisher's, or the
     * mirror's follower's, which only waits for the outcome).
     */
    private static Future<Outcome> blocking(Check check) {
        Context context = Vertx.currentContext();
        if (context == null) {
            try {
                return Future.succeededFuture(check.run());
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
        }
        WorkerExecutor executor = context.owner().createSharedWorkerExecutor("grove-lineage-reproduction", WORKERS);
        return executor.executeBlocking(check::run, false).andThen(done -> executor.close());
    }

    /** The re-run and comparison (blocking: CPU-bound, bounded by {@link #MAX_WEIGHTS_BYTES}). */
    static Outcome rerun(VerifiedPackage pkg, List<Contract> parents, List<byte[]> weights) {
        LineageCard lineage = pkg.lineage();
        String op = lineage.operator().wireName();
        JsonObject params = lineage.parameters();
        try {
            List<Architecture> archs = new ArrayList<>();
            List<SafetensorsFile> files = new ArrayList<>();
            for (int i = 0; i < parents.size(); i++) {
                archs.add(ArchitectureJson.fromJson(parents.get(i).architecture()));
                files.add(SafetensorsFile.parse(weights.get(i)));
            }
            SafetensorsFile claimed;
            try {
                claimed = SafetensorsFile.parse(weights.get(weights.size() - 1));
            } catch (SafetensorsException e) {
                throw new LineageNotReproduced("lineage: the child's weights are not valid safetensors: "
                        + e.getMessage(), e);
            }
            Bred bred;
            String what;
            switch (lineage.operator()) {
                case QUANTIZE -> {
                    QuantizeParams p = QuantizeParams.parse(params);
                    if (!p.rerunnable()) {
                        return Outcome.notReproduced("quantize scheme '" + p.scheme() + "' is not one this node re-runs ("
                                + Quantize.SCHEME + ")");
                    }
                    one(parents, op);
                    bred = Quantize.apply(archs.get(0), files.get(0));
                    what = "quantize (" + Quantize.SCHEME + ")";
                }
                case MERGE -> {
                    String method = MergeParams.method(params);
                    if (!method.equals(MergeParams.WEIGHTED_AVERAGE)) {
                        return Outcome.notReproduced("merge method '" + method + "' is not one this node re-runs");
                    }
                    bred = Merge.apply(archs, files, MergeParams.parse(params, parents.size()).weights());
                    what = "merge (weighted average)";
                }
                case PRUNE -> {
                    String method = PruneParams.method(params);
                    if (!method.equals(Prune.METHOD)) {
                        return Outcome.notReproduced("prune method '" + method + "' is not one this node re-runs ("
                                + Prune.METHOD + ")");
                    }
                    one(parents, op);
                    bred = Prune.apply(archs.get(0), files.get(0), PruneParams.parse(params).sparsity()).child();
                    what = "prune (" + Prune.METHOD + ")";
                }
                default -> throw new IllegalStateException(op);
            }
            Architecture claimedArch = ArchitectureJson.fromJson(pkg.contract().architecture());
            if (!claimedArch.toConfig().equals(bred.architecture().toConfig())) {
                throw new LineageNotReproduced("lineage claim does not reproduce: " + what + " of the parents "
                        + "gives architecture " + bred.architecture().toConfig() + ", the contract says "
                        + claimedArch.toConfig());
            }
            Optional<String> diff = Reproduction.firstDifference(SafetensorsFile.parse(bred.safetensors()), claimed);
            if (diff.isPresent()) {
                throw new LineageNotReproduced("lineage claim does not reproduce: re-running " + what
                        + " on the parents gives other weights: " + diff.get());
            }
            return new Outcome(true, "re-ran " + what + " on the parents' weights: every tensor is identical");
        } catch (ParameterException e) {
            throw new LineageNotReproduced("lineage: " + e.getMessage(), e);
        } catch (BreedException e) {
            throw new LineageNotReproduced("lineage claim does not reproduce: " + op + " refuses the parents: "
                    + e.getMessage(), e);
        } catch (ModelException | SafetensorsException e) {
            throw new LineageNotReproduced("lineage: cannot re-run " + op + ": " + e.getMessage(), e);
        }
    }

    private static void one(List<Contract> parents, String op) {
        if (parents.size() != 1) {
            throw new LineageNotReproduced("lineage: " + op + " has exactly one parent, the card cites "
                    + parents.size());
        }
    }
}
