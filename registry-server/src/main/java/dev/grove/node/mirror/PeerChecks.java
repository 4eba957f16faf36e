package dev.grove.node.mirror;

import dev.grove.federation.Fault;
import dev.grove.federation.FaultException;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a {@link PeerFollower} checks what its source served: every check (checkpoint, entry and evidence
 * signatures, entry bundles against the tiles and the signed root, consistency and inclusion hashing) runs on a worker
 * thread, never on the follower's event loop, and is counted by the kind of thread that ran it
 * ({@link MirrorMetrics#verification}). The hash tiles a check asks for are fetched on the event loop, between two runs
 * of it.
 */
final class PeerChecks {

    private final PeerClient client;
    private final MirrorMetrics metrics;
    private final Vertx vertx;

    PeerChecks(PeerClient client, MirrorMetrics metrics, Vertx vertx) {
        this.client = client;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** What verifies something a peer served; a {@link FaultException} it throws is the round's fault. */
    @FunctionalInterface
    interface Check<T> {
        T call() throws Exception;
    }

    /**
     * Runs a check of what the peer served (signatures, bundles, tile hashing, proofs, evidence) on a worker thread,
     * never on the follower's event loop, unordered: the follower's futures keep its sequence. Counted by thread kind.
     */
    <T> Future<T> verifying(Check<T> check) {
        return vertx.executeBlocking(() -> {
            metrics.verification();
            try {
                return check.call();
            } catch (FaultException f) {
                throw new PeerFault(f.fault());
            }
        }, false);
    }

    /** What reads the peer's hash tiles; may throw {@link ProofException} for a tile not fetched yet. */
    @FunctionalInterface
    interface TileWork<T> {
        T apply(HashSources.TileReader tiles) throws ProofException, FaultException;
    }

    /** Runs {@code work} over the peer's hash tiles of the tree of {@code size}, fetching the tiles it asks for. */
    <T> Future<T> withTiles(long size, int rounds, TileWork<T> work) {
        return withTiles(size, rounds, work, new HashMap<>(), 0);
    }

    /** One run of a {@link TileWork}: its result, or the tiles it asked for that were not fetched yet. */
    private record TileRound<T>(T result, Set<TilePath> missing, ProofException unproven) {
    }

    /**
     * Runs {@code work} on a worker thread ({@link #verifying}) over the tiles fetched so far ({@code tiles} is only
     * changed on the event loop, between two runs), then fetches what it asked for and runs it again.
     */
    private <T> Future<T> withTiles(long size, int rounds, TileWork<T> work, Map<TilePath, byte[]> tiles, int round) {
        return verifying(() -> {
            Set<TilePath> missing = new LinkedHashSet<>();
            try {
                return new TileRound<>(work.apply(path -> {
                    byte[] t = tiles.get(path);
                    if (t == null) {
                        missing.add(path);
                        throw new ProofException("tile " + path + " not fetched yet");
                    }
                    return t;
                }), missing, null);
            } catch (ProofException e) {
                return new TileRound<T>(null, missing, e);
            }
        }).compose(run -> {
            if (run.unproven() == null) {
                return Future.succeededFuture(run.result());
            }
            if (run.missing().isEmpty() || round >= rounds) {
                return Future.failedFuture(new PeerFault(Fault.Kind.NOT_IN_TREE, "the hash tiles of " + client.url()
                        + " at tree size " + size + " do not make a tree: " + run.unproven().getMessage()));
            }
            List<TilePath> paths = new ArrayList<>(run.missing());
            List<Future<byte[]>> fetches = new ArrayList<>();
            paths.forEach(p -> fetches.add(client.tile(p)));
            return Future.all(fetches).compose(v -> {
                for (int i = 0; i < paths.size(); i++) {
                    tiles.put(paths.get(i), fetches.get(i).result());
                }
                return withTiles(size, rounds, work, tiles, round + 1);
            });
        });
    }
}
