package dev.grove.node.mirror;

import dev.grove.federation.CheckpointFollower;
import dev.grove.federation.EntryBundleCheck;
import dev.grove.federation.EntryVerifier;
import dev.grove.federation.Evidence;
import dev.grove.federation.LogEntry;
import dev.grove.federation.Misbehaviour;
import dev.grove.federation.OriginKeyset;
import dev.grove.federation.PeerState;
import dev.grove.federation.ReleaseDecision;
import dev.grove.federation.VerifiedCheckpoint;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.http.ProblemException;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one peer. A {@link #check()} is one round: learn the peer's key (pinned on first use unless configured), fetch
 * and verify its checkpoint against the last verified one, then accept the entries from {@code next_entry} up to the
 * checkpoint's size, one entry bundle (at most 256 entries) at a time: each bundle is checked against the level-0 tile
 * and the signed root before any of its entries is believed, and each entry is stored in the transaction that moves
 * {@code next_entry} past it.
 *
 * <p>Misbehaviour quarantines the peer with its evidence; nothing more is accepted from it and nothing already accepted
 * is touched. A peer that cannot be read is tried again at the next round.
 */
final class PeerFollower {

    private static final Logger LOG = LoggerFactory.getLogger(PeerFollower.class);
    /** Rounds of "fetch the tiles the root needs" per bundle; a tree needs at most one per tile level. */
    private static final int MAX_TILE_ROUNDS = 16;
    /** Artifacts copied at once while the entries of a bundle are stored in order. */
    private static final int PARALLEL_FETCHES = 8;
    /** Most entries stored in one transaction. */
    private static final int BATCH = 64;

    private final String url;
    private final Optional<String> configuredKey;
    private final PeerClient client;
    private final PeerStore peers;
    private final MirrorStore store;
    private final BlobStore blobs;
    private final MirrorMetrics metrics;
    private final BooleanSupplier stopped;

    PeerFollower(String url, Optional<String> configuredKey, PeerClient client, PeerStore peers, MirrorStore store,
                 BlobStore blobs, MirrorMetrics metrics, BooleanSupplier stopped) {
        this.url = url;
        this.configuredKey = configuredKey;
        this.client = client;
        this.peers = peers;
        this.store = store;
        this.blobs = blobs;
        this.metrics = metrics;
        this.stopped = stopped;
    }

    String url() {
        return url;
    }

    /** One round; never fails (what went wrong is logged, and misbehaviour is stored). */
    Future<Void> check() {
        return peers.load(url)
                .compose(state -> state.quarantined() ? Future.<Void>succeededFuture() : identify(state).compose(this::follow))
                .recover(this::failed);
    }

    private Future<Void> failed(Throwable e) {
        if (e instanceof Misbehaviour m) {
            LOG.error("peer {} quarantined: {}", url, m.getMessage());
            metrics.quarantined(url);
            return peers.load(url).compose(s -> peers.quarantine(url, s.origin(), m.evidence()))
                    .recover(x -> {
                        LOG.error("could not store the evidence against {}", url, x);
                        return Future.succeededFuture();
                    });
        }
        if (e instanceof PeerUnavailable) {
            LOG.warn("peer {}: {}", url, e.getMessage());
        } else {
            LOG.error("peer {}: following failed", url, e);
        }
        return Future.succeededFuture();
    }

    /** The state with a pinned key and origin: configured, already pinned, or learnt now (trust on first use). */
    private Future<PeerState> identify(PeerState state) {
        if (state.logKey().isPresent() && state.origin().isPresent()) {
            return Future.succeededFuture(state);
        }
        Future<String> key = state.logKey().map(Future::succeededFuture).orElseGet(() -> client.node().map(node -> {
            String logKey = node.getString("logKey");
            String origin = node.getString("logOrigin");
            if (logKey == null || origin == null) {
                throw new PeerUnavailable(url + "/.well-known/grove/node names no logKey and logOrigin");
            }
            if (!origin.equals(keyName(logKey))) {
                throw new PeerUnavailable(url + " says its log origin is '" + origin + "' but its log key is named '"
                        + keyName(logKey) + "'");
            }
            return logKey;
        }));
        return key.compose(k -> {
            String origin = keyName(k);
            return peers.pin(url, k, origin).compose(pinned -> {
                if (!pinned) {
                    return Future.failedFuture(new PeerUnavailable("another key or origin was pinned for " + url));
                }
                LOG.info("peer {}: log {} pinned key {}{}", url, origin, k,
                        state.logKey().isPresent() ? " (configured)" : " (trust on first use)");
                return peers.load(url);
            });
        });
    }

    private static String keyName(String verifierKey) {
        return logKey(verifierKey).name();
    }

    /** The pinned log key, which also signs the peer's release decisions. */
    private static NoteVerifier logKey(String verifierKey) {
        try {
            return NoteVerifier.parse(verifierKey);
        } catch (NoteException e) {
            throw new PeerUnavailable("log key '" + verifierKey + "' is malformed: " + e.getMessage());
        }
    }

    private Future<Void> follow(PeerState state) {
        CheckpointFollower follower = CheckpointFollower.forKey(state.logKey().orElseThrow());
        String origin = state.origin().orElseThrow();
        Optional<VerifiedCheckpoint> last = state.checkpoint();
        return client.checkpoint().compose(note -> {
            VerifiedCheckpoint next;
            try {
                next = follower.verify(note);
            } catch (Misbehaviour m) {
                return Future.failedFuture(m);
            }
            Future<List<byte[]>> proof = CheckpointFollower.needsConsistencyProof(last, next)
                    ? client.consistency(last.get().size(), next.size())
                    : Future.succeededFuture(List.of());
            return proof.compose(hashes -> {
                try {
                    CheckpointFollower.checkAdvance(last, next, hashes);
                } catch (Misbehaviour m) {
                    return Future.failedFuture(m);
                }
                if (last.isPresent() && last.get().size() == next.size()) {
                    return peers.checked(url).map(last.get());
                }
                return peers.saveCheckpoint(url, next, last.map(VerifiedCheckpoint::size).orElse(-1L)).compose(saved ->
                        saved ? Future.succeededFuture(next)
                                : Future.failedFuture(new PeerUnavailable("the stored checkpoint of " + url
                                + " changed during the check")));
            });
        }).compose(cp -> {
            metrics.lag(url, cp.size() - state.nextEntry());
            return sync(origin, cp, state.nextEntry(), new EntryVerifier(cp.note()), logKey(state.logKey().orElseThrow()));
        });
    }

    /** Accepts entries from {@code next} up to the checkpoint's size, one bundle at a time. */
    private Future<Void> sync(String origin, VerifiedCheckpoint cp, long next, EntryVerifier verifier,
                              NoteVerifier logKey) {
        if (next >= cp.size() || stopped.getAsBoolean()) {
            return Future.succeededFuture();
        }
        long bundleIndex = next / TilePath.WIDTH;
        int width = TilePath.widthAt(TilePath.ENTRIES, bundleIndex, cp.size());
        Future<byte[]> bundle = client.tile(TilePath.entryBundle(bundleIndex, width));
        Future<byte[]> tile0 = client.tile(TilePath.tile(0, bundleIndex, width));
        return Future.all(bundle, tile0)
                .compose(v -> verifyBundle(cp, bundleIndex, bundle.result(), tile0.result(), new HashMap<>(), 0))
                .compose(entries -> apply(origin, verifier, logKey, entries, bundleIndex * TilePath.WIDTH, next))
                .compose(after -> {
                    metrics.lag(url, cp.size() - after);
                    return sync(origin, cp, after, verifier, logKey);
                });
    }

    /** Checks the bundle against the tree, fetching the hash tiles the root needs (a few per bundle) as they are asked for. */
    private Future<EntryBundle> verifyBundle(VerifiedCheckpoint cp, long bundleIndex, byte[] bundle, byte[] tile0,
                                             Map<TilePath, byte[]> tiles, int round) {
        Set<TilePath> missing = new LinkedHashSet<>();
        try {
            return Future.succeededFuture(EntryBundleCheck.verify(cp, bundleIndex, bundle, tile0, path -> {
                byte[] t = tiles.get(path);
                if (t == null) {
                    missing.add(path);
                    throw new ProofException("tile " + path + " not fetched yet");
                }
                return t;
            }));
        } catch (Misbehaviour m) {
            return Future.failedFuture(m);
        } catch (ProofException e) {
            if (missing.isEmpty() || round >= MAX_TILE_ROUNDS) {
                return Future.failedFuture(Misbehaviour.of(Evidence.Kind.ENTRY_NOT_IN_TREE, "the hash tiles of "
                        + url + " at tree size " + cp.size() + " do not make a tree: " + e.getMessage(), cp.note()));
            }
            List<Future<byte[]>> fetches = new ArrayList<>();
            List<TilePath> paths = new ArrayList<>(missing);
            paths.forEach(p -> fetches.add(client.tile(p)));
            return Future.all(fetches).compose(v -> {
                for (int i = 0; i < paths.size(); i++) {
                    tiles.put(paths.get(i), fetches.get(i).result());
                }
                return verifyBundle(cp, bundleIndex, bundle, tile0, tiles, round + 1);
            });
        }
    }

    /** One entry, verified in memory, and the copy of its artifacts (started as soon as it verified). */
    private record Step(LogEntry entry, Object verified, Future<Void> artifacts) {
    }

    /**
     * Applies the bundle's entries from index {@code next} on; returns the index after the last applied. The entries are
     * first parsed and verified in memory (namespace keysets as of the bundle's start, then as its keyset entries change
     * them), the artifacts of verified packages are copied a few at a time, and then each entry is stored in order in its
     * own transaction. A misbehaving entry stops the bundle there: the entries before it are still stored.
     */
    private Future<Long> apply(String origin, EntryVerifier verifier, NoteVerifier logKey, EntryBundle bundle, long first,
                               long next) {
        long end = first + bundle.size();
        List<LogEntry> entries = new ArrayList<>();
        Misbehaviour parseFailure = null;
        for (long i = next; i < end; i++) {
            try {
                entries.add(verifier.parse(i, bundle.entry((int) (i - first))));
            } catch (Misbehaviour m) {
                parseFailure = m;
                break;
            }
        }
        Misbehaviour afterParse = parseFailure;
        Set<String> namespaces = new LinkedHashSet<>();
        entries.forEach(e -> namespaceOf(e).ifPresent(namespaces::add));
        return keysets(origin, namespaces).compose(keysets -> {
            Limiter fetches = new Limiter(PARALLEL_FETCHES, stopped);
            List<Step> steps = new ArrayList<>();
            Misbehaviour failure = afterParse;
            for (LogEntry e : entries) {
                try {
                    steps.add(verify(e, verifier, logKey, keysets, fetches));
                } catch (Misbehaviour m) {
                    failure = m;
                    break;
                }
            }
            Misbehaviour last = failure;
            return store(origin, verifier, steps, 0, next).compose(after -> last != null && !stopped.getAsBoolean()
                    ? Future.<Long>failedFuture(last) : Future.succeededFuture(after));
        });
    }

    private static Optional<String> namespaceOf(LogEntry e) {
        if (e instanceof LogEntry.KeysetEntry k) {
            return Optional.of(k.namespace());
        }
        if (e instanceof LogEntry.PackageEntry p) {
            return Optional.of(p.name().namespace());
        }
        if (e instanceof LogEntry.YankEntry y) {
            return Optional.of(y.name().namespace());
        }
        return Optional.empty();
    }

    private Future<Map<String, Optional<OriginKeyset>>> keysets(String origin, Set<String> namespaces) {
        Map<String, Optional<OriginKeyset>> out = new HashMap<>();
        List<Future<Void>> reads = new ArrayList<>();
        for (String ns : namespaces) {
            reads.add(store.keyset(origin, ns).map(k -> {
                out.put(ns, k);
                return null;
            }));
        }
        return Future.all(reads).map(out);
    }

    private Step verify(LogEntry entry, EntryVerifier verifier, NoteVerifier logKey,
                        Map<String, Optional<OriginKeyset>> keysets, Limiter fetches) throws Misbehaviour {
        if (entry instanceof LogEntry.KeysetEntry e) {
            OriginKeyset next = verifier.keyset(e, keysets.getOrDefault(e.namespace(), Optional.empty()));
            keysets.put(e.namespace(), Optional.of(next));
            return new Step(e, next, Future.succeededFuture());
        }
        if (entry instanceof LogEntry.PackageEntry e) {
            VerifiedPackage pkg = verifier.pkg(e, keysets.getOrDefault(e.name().namespace(), Optional.empty()));
            return new Step(e, pkg, fetches.submit(() -> fetchArtifacts(verifier, e, pkg.contract().artifacts(), 0)));
        }
        if (entry instanceof LogEntry.YankEntry e) {
            Yank yank = verifier.yank(e, keysets.getOrDefault(e.name().namespace(), Optional.empty()));
            return new Step(e, yank, Future.succeededFuture());
        }
        if (entry instanceof LogEntry.DecisionEntry e) {
            return new Step(e, verifier.decision(e, logKey), Future.succeededFuture());
        }
        return new Step(entry, null, Future.succeededFuture());
    }

    /**
     * Stores the steps in order, in transactions of up to {@link #BATCH} consecutive entries whose artifacts are in the
     * blob store, each with the move of {@code next_entry} past them. When a batch fails, its entries are stored one by
     * one, so that the entries before the one at fault are kept.
     */
    private Future<Long> store(String origin, EntryVerifier verifier, List<Step> steps, int i, long next) {
        if (i >= steps.size() || stopped.getAsBoolean()) {
            return Future.succeededFuture(next);
        }
        return steps.get(i).artifacts().compose(v -> {
            int end = i + 1;
            while (end < steps.size() && end - i < BATCH && steps.get(end).artifacts().succeeded()) {
                end++;
            }
            List<Step> batch = steps.subList(i, end);
            int stop = end;
            Future<Void> stored = storeAll(origin, verifier, batch, next);
            if (batch.size() > 1) {
                stored = stored.recover(failure -> storeOneByOne(origin, verifier, batch, 0, next));
            }
            return stored.compose(x -> {
                batch.forEach(s -> metrics.entry(url));
                return store(origin, verifier, steps, stop, next + batch.size());
            });
        });
    }

    private Future<Void> storeOneByOne(String origin, EntryVerifier verifier, List<Step> batch, int i, long next) {
        if (i >= batch.size()) {
            return Future.succeededFuture();
        }
        return storeAll(origin, verifier, batch.subList(i, i + 1), next)
                .compose(v -> storeOneByOne(origin, verifier, batch, i + 1, next + 1));
    }

    /**
     * One transaction: the steps' stores in order, {@code next_entry} from {@code next} to past the last, and the entries'
     * leaf hashes in the peer's tiles.
     */
    private Future<Void> storeAll(String origin, EntryVerifier verifier, List<Step> batch, long next) {
        List<byte[]> leaves = batch.stream().map(s -> MerkleHash.leafHash(s.entry().bytes())).toList();
        return store.entries(url, next, next + batch.size(), leaves, tx -> {
            Future<Void> chain = Future.succeededFuture();
            for (Step step : batch) {
                chain = chain.compose(v -> storeOne(tx, origin, verifier, step));
            }
            return chain;
        });
    }

    private Future<Void> storeOne(io.vertx.sqlclient.SqlConnection tx, String origin, EntryVerifier verifier, Step step) {
        LogEntry entry = step.entry();
        if (entry instanceof LogEntry.KeysetEntry e) {
            return store.keyset(tx, origin, e, (OriginKeyset) step.verified());
        }
        if (entry instanceof LogEntry.PackageEntry e) {
            return store.pkg(tx, origin, e.index(), e.bundle(), (VerifiedPackage) step.verified()).<Void>mapEmpty().recover(failure -> {
                if (failure instanceof MirrorStore.VersionRewritten r) {
                    return Future.failedFuture(verifier.fail(Evidence.Kind.FORGED_PACKAGE,
                            e, e.name() + "@" + e.version() + " was already logged with digest " + r.storedDigest()
                                    + "; a published version never changes"));
                }
                return Future.failedFuture(failure);
            });
        }
        if (entry instanceof LogEntry.YankEntry e) {
            return store.yank(tx, origin, (Yank) step.verified(), e.envelope().toJsonString());
        }
        if (entry instanceof LogEntry.DecisionEntry e) {
            return store.decision(tx, origin, e, (ReleaseDecision) step.verified()).recover(failure ->
                    Future.failedFuture(failure instanceof MirrorStore.DecisionOutOfOrder r
                            ? verifier.fail(Evidence.Kind.FORGED_DECISION, e, r.getMessage()) : failure));
        }
        return Future.succeededFuture();
    }

    /** Copies each artifact the blob store does not hold yet, checking its digest on the way in. */
    private Future<Void> fetchArtifacts(EntryVerifier verifier, LogEntry.PackageEntry e, List<Artifact> artifacts, int i) {
        if (i >= artifacts.size()) {
            return Future.succeededFuture();
        }
        Artifact a = artifacts.get(i);
        return blobs.stat(a.digest()).compose(info -> {
            if (info.isPresent() && info.get().size() == a.size()) {
                return Future.succeededFuture();
            }
            return client.blob(a.digest(), a.size(), blobs).<Void>mapEmpty().recover(failure -> {
                if (failure instanceof ProblemException p && (p.status() == 400 || p.status() == 413)) {
                    return Future.failedFuture(verifier.fail(Evidence.Kind.TAMPERED_BLOB, e, "artifact '" + a.path()
                            + "' of " + e.name() + "@" + e.version() + " served by " + url
                            + " does not match the signed contract (" + a.digest() + ", " + a.size() + " bytes): "
                            + p.getMessage()));
                }
                return Future.failedFuture(failure);
            });
        }).compose(v -> fetchArtifacts(verifier, e, artifacts, i + 1));
    }

    /** Runs at most {@code max} tasks at once, in submission order; all on the follower's event loop. */
    private static final class Limiter {
        private final int max;
        private final BooleanSupplier stopped;
        private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();
        private int running;

        Limiter(int max, BooleanSupplier stopped) {
            this.max = max;
            this.stopped = stopped;
        }

        Future<Void> submit(java.util.function.Supplier<Future<Void>> task) {
            io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
            waiting.add(() -> {
                if (stopped.getAsBoolean()) {
                    running--;
                    done.fail(new PeerUnavailable("stopping"));
                    drain();
                    return;
                }
                task.get().onComplete(result -> {
                    running--;
                    done.handle(result);
                    drain();
                });
            });
            drain();
            return done.future();
        }

        private void drain() {
            while (running < max && !waiting.isEmpty()) {
                running++;
                waiting.poll().run();
            }
        }
    }

    static JsonObject describe(PeerState s) {
        return new JsonObject().put("url", s.url()).put("origin", s.origin().orElse(null));
    }
}
