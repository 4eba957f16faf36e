package dev.grove.node.mirror;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.federation.CheckpointFollower;
import dev.grove.federation.EntryBundleCheck;
import dev.grove.federation.EntryVerifier;
import dev.grove.federation.Evidence;
import dev.grove.federation.EvidenceCheck;
import dev.grove.federation.EvidenceException;
import dev.grove.federation.Fault;
import dev.grove.federation.FaultException;
import dev.grove.federation.LogEntry;
import dev.grove.federation.Misbehaviour;
import dev.grove.federation.OriginKeyset;
import dev.grove.federation.PeerState;
import dev.grove.federation.ReleaseDecision;
import dev.grove.federation.RuleBroken;
import dev.grove.federation.VerifiedCheckpoint;
import dev.grove.federation.Violation;
import dev.grove.json.JsonException;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.TileFormatException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one log through one of its sources (the origin itself, or a mirror's copy: {@link SourceLayout}); a
 * {@link LogFollower} runs the sources of one log in turn. A {@link #check()} is one round: learn the peer's key (pinned on first use unless configured), fetch
 * and verify its checkpoint against the last verified one, then accept the entries from {@code next_entry} up to the
 * checkpoint's size, one entry bundle (at most 256 entries) at a time: each bundle is checked against the level-0 tile
 * and the signed root before any of its entries is believed, the artifacts of each entry are copied, and each entry is
 * stored in the transaction that moves {@code next_entry} past it (see {@link #apply} for the bundle that completes the
 * checkpoint).
 *
 * <p>A round ends in one of the {@link Outcome}s. Only proof quarantines the peer: two checkpoints it signed that cannot
 * both be true, or an entry proven in its signed tree that breaks a rule, with evidence that {@link EvidenceCheck}
 * accepts with the peer's key alone. Everything else (bytes that do not match the signed tree, signatures that do not
 * verify, older checkpoints, blobs that fail their digest, HTTP errors, timeouts) is a {@link Fault}: nothing of it is
 * stored, it is shown on the peer, and the next round comes after a backoff that doubles from the follow interval up to
 * {@link #MAX_BACKOFF} and starts again from the interval after a round that succeeds. What was verified before stays
 * served with its proofs.
 */
final class PeerFollower {

    private static final Logger LOG = LoggerFactory.getLogger(PeerFollower.class);
    /** Rounds of "fetch the tiles the root needs" per bundle; a tree needs at most one per tile level. */
    private static final int MAX_TILE_ROUNDS = 16;
    /** The same for the inclusion proofs of evidence (up to {@link EvidenceCheck#MAX_ENTRIES} entries). */
    private static final int MAX_EVIDENCE_TILE_ROUNDS = 64;
    /** Artifacts copied at once while the entries of a bundle are stored in order. */
    private static final int PARALLEL_FETCHES = 32;
    /** Most entries stored in one transaction. */
    private static final int BATCH = 64;
    /** The most worker threads that check one bundle's entries at once. */
    private static final int PARALLEL_VERIFIES = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** The fewest entries worth a worker of their own. */
    private static final int MIN_CHUNK = 16;
    /** The longest wait between two rounds of a peer at fault (never below the follow interval). */
    static final Duration MAX_BACKOFF = Duration.ofMinutes(3);

    private final String url;
    private final PeerClient client;
    private final PeerStore peers;
    private final MirrorStore store;
    private final MirrorLog log;
    private final BlobStore blobs;
    private final MirrorMetrics metrics;
    private final Vertx vertx;
    private final Duration interval;
    private final BooleanSupplier stopped;
    /** Failed rounds in a row, for the backoff. */
    private int failures;
    /** The fault last logged: each change is logged once, not every round. */
    private String reported = "";
    /** Not to be asked again before this (its backoff after a fault). */
    private Instant retryAt = Instant.EPOCH;
    private final Optional<String> configuredKey;
    private final OriginClaims claims;
    private final String group;
    private final LineageReproduction reproduction;
    private final PeerChecks checks;

    /** How one round with this source ended: whether it was a fault, and the wait before this source's next round. */
    record Attempt(boolean faulted, Duration pause) {
    }

    /**
     * @param configuredKey the log's key as configured, else learnt from the source on first use
     * @param claims        which configured log follows which origin: a log is followed by one follower at a time
     * @param group         the configured log this source belongs to (its first URL), for {@code claims}
     */
    PeerFollower(PeerClient client, Optional<String> configuredKey, OriginClaims claims, String group, PeerStore peers,
                 MirrorStore store, MirrorLog log, BlobStore blobs, LineageReproduction reproduction,
                 MirrorMetrics metrics, Vertx vertx, Duration interval, BooleanSupplier stopped) {
        this.reproduction = reproduction;
        this.url = client.url();
        this.client = client;
        this.configuredKey = configuredKey;
        this.claims = claims;
        this.group = group;
        this.peers = peers;
        this.store = store;
        this.log = log;
        this.blobs = blobs;
        this.metrics = metrics;
        this.vertx = vertx;
        this.interval = interval;
        this.stopped = stopped;
        this.checks = new PeerChecks(client, metrics, vertx);
    }

    String url() {
        return url;
    }

    /** When this source may be asked again: now, or the end of its backoff after a fault. */
    Instant retryAt() {
        return retryAt;
    }

    /** One round with this source; never fails. */
    Future<Attempt> check() {
        return peers.load(url)
                .compose(state -> state.quarantined() ? Future.<Outcome>succeededFuture(new Outcome.Idle())
                        : identify(state).compose(this::follow).map(v -> (Outcome) new Outcome.Followed()))
                .otherwise(Outcome::of)
                .compose(this::settle)
                .compose(attempt -> peers.describe(url).map(peer -> {
                    peer.ifPresent(p -> metrics.state(url, PeerStatus.State.fromWireName(p.getString("state"))));
                    return attempt;
                }))
                .otherwise(e -> {
                    // this node's database failing: logged once per change too, and retried with the same backoff
                    failures++;
                    String text = "the round's outcome could not be recorded: " + e;
                    if (!text.equals(reported)) {
                        reported = text;
                        LOG.error("peer {}: {}", url, text, e);
                    }
                    return retryIn(backoff(failures));
                })
                .map(attempt -> {
                    retryAt = attempt.faulted() ? Instant.now().plus(attempt.pause()) : Instant.EPOCH;
                    return attempt;
                });
    }

    private static Attempt retryIn(Duration wait) {
        return new Attempt(true, wait);
    }

    /** Records the round's outcome; how it ended. */
    private Future<Attempt> settle(Outcome outcome) {
        Attempt done = new Attempt(false, interval);
        if (stopped.getAsBoolean()) {
            return Future.succeededFuture(done);
        }
        if (outcome instanceof Outcome.Followed) {
            if (!reported.isEmpty()) {
                LOG.info("peer {}: followed again, after failed rounds: {} (last: {})", url, failures, reported);
            }
            failures = 0;
            reported = "";
            return peers.succeeded(url).map(done);
        }
        if (outcome instanceof Outcome.Faulted f) {
            failures++;
            Duration wait = backoff(failures);
            metrics.fault(url, f.fault().kind());
            String text = f.fault().toString();
            if (!text.equals(reported)) {
                reported = text;
                if (f.cause().isPresent()) {
                    LOG.error("peer {}: {}; retrying with backoff", url, text, f.cause().get());
                } else {
                    LOG.warn("peer {}: {}; retrying in {} ms, with backoff", url, text, wait.toMillis());
                }
            }
            return peers.fault(url, f.fault(), wait).map(retryIn(wait));
        }
        if (outcome instanceof Outcome.Proven p) {
            LOG.error("peer {}: log {} quarantined, with evidence any holder of its log key can check: {}: {}", url,
                    p.evidence().origin(), p.evidence().kind().wireName(), p.evidence().detail());
            metrics.quarantined(url);
            failures = 0;
            reported = "";
            return peers.load(url).compose(s -> peers.quarantine(url, s.origin().orElse(p.evidence().origin()),
                    p.evidence())).map(done);
        }
        return Future.succeededFuture(done);
    }

    /** The follow interval doubled for each failed round after the first, up to {@link #MAX_BACKOFF}. */
    private Duration backoff(int failed) {
        Duration max = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
        long millis = interval.toMillis() << Math.min(failed - 1, 20);
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }

    /**
     * The state with a pinned key and origin: configured, already pinned, or learnt now (trust on first use). A key
     * configured for a log that another key was pinned for is refused, as is a log another configured log of this node
     * follows already (its sources are named together: {@code --follow URL1,URL2#KEY}).
     */
    private Future<PeerState> identify(PeerState state) {
        if (configuredKey.isPresent() && state.logKey().isPresent()
                && !configuredKey.get().equals(state.logKey().get())) {
            return Future.failedFuture(new PeerFault(Fault.Kind.BAD_SIGNATURE, url + " is configured with log key "
                    + configuredKey.get() + ", but key " + state.logKey().get() + " was pinned for that log"));
        }
        if (state.logKey().isPresent() && state.origin().isPresent()) {
            Optional<String> other = claims.claim(state.origin().get(), group);
            return other.isPresent() ? Future.failedFuture(alreadyFollowed(state.origin().get(), other.get()))
                    : Future.succeededFuture(state);
        }
        Future<String> key = configuredKey.map(Future::succeededFuture).orElseGet(() -> client.node().map(node -> {
            String logKey;
            String origin;
            try {
                logKey = node.optString("logKey").orElseThrow(() -> new JsonException("no logKey"));
                origin = node.optString("logOrigin").orElseThrow(() -> new JsonException("no logOrigin"));
            } catch (JsonException e) {
                throw new PeerFault(Fault.Kind.MALFORMED, url + "/.well-known/grove/node names no logKey and logOrigin"
                        + " strings (" + e.getMessage() + ")");
            }
            if (!origin.equals(keyName(logKey))) {
                throw new PeerFault(Fault.Kind.MALFORMED, url + " says its log origin is '" + origin
                        + "' but its log key is named '" + keyName(logKey) + "'");
            }
            return logKey;
        }));
        return key.compose(k -> {
            String origin = keyName(k);
            Optional<String> other = claims.claim(origin, group);
            if (other.isPresent()) {
                return Future.failedFuture(alreadyFollowed(origin, other.get()));
            }
            return peers.pin(url, k, origin).compose(pinned -> {
                if (!pinned) {
                    return Future.failedFuture(new PeerFault(Fault.Kind.BAD_SIGNATURE, url + " announces log key "
                            + k + ", but another key was pinned for that log, or another log for this URL"));
                }
                LOG.info("peer {}: log {} pinned key {}{}", url, origin, k,
                        configuredKey.isPresent() ? " (configured)" : " (trust on first use)");
                return peers.load(url);
            });
        });
    }

    private PeerFault alreadyFollowed(String origin, String otherUrl) {
        return new PeerFault(Fault.Kind.ORIGIN_CONFLICT, "log " + origin + " is already followed through URL "
                + otherUrl + "; name every source of one log together, with its key (--follow " + otherUrl + ","
                + url + "#KEY), or follow it through one URL");
    }

    private static String keyName(String verifierKey) {
        return logKey(verifierKey).name();
    }

    /** The pinned log key, which also signs the peer's release decisions. */
    private static NoteVerifier logKey(String verifierKey) {
        try {
            return NoteVerifier.parse(verifierKey);
        } catch (NoteException e) {
            throw new PeerFault(Fault.Kind.MALFORMED, "log key '" + verifierKey + "' is malformed: " + e.getMessage());
        }
    }

    private Future<Void> follow(PeerState state) {
        CheckpointFollower follower = CheckpointFollower.forKey(logKey(state.logKey().orElseThrow()));
        String origin = state.origin().orElseThrow();
        Optional<VerifiedCheckpoint> last = state.checkpoint();
        return client.checkpoint()
                .compose(note -> checks.verifying(() -> follower.verify(note)))
                .compose(next -> peers.seen(url, next.size()).map(next))
                .compose(next -> advance(origin, follower, last, next))
                .compose(cp -> {
                    metrics.lag(url, cp.size() - state.nextEntry());
                    return sync(origin, cp, state.nextEntry(), follower.logKey());
                });
    }

    /** The checkpoint to copy entries up to: the served one when it may follow the last verified one. */
    private Future<VerifiedCheckpoint> advance(String origin, CheckpointFollower follower,
                                               Optional<VerifiedCheckpoint> last, VerifiedCheckpoint next) {
        if (last.isEmpty()) {
            return save(origin, next, -1);
        }
        VerifiedCheckpoint old = last.get();
        if (next.size() < old.size()) {
            return older(origin, follower, old, next).map(old);
        }
        if (next.size() == old.size()) {
            return checks.verifying(() -> follower.compare(old, next, List.of(), Optional.empty()))
                    .compose(c -> judge(follower, c, reason -> Future.failedFuture(new PeerFault(Fault.Kind.BAD_PROOF,
                            reason))))
                    .compose(v -> peers.checked(origin)).map(old);
        }
        if (old.size() == 0) {
            return save(origin, next, old.size());
        }
        // the proof the peer serves first; should it prove nothing, the peer's hash tiles of the new tree
        return client.consistency(old.size(), next.size()).otherwise(e -> List.of())
                .compose(proof -> checks.verifying(() -> follower.compare(old, next, proof, Optional.empty())))
                .compose(c -> judge(follower, c, reason -> fromTiles(follower, old, next, reason)))
                .compose(v -> save(origin, next, old.size()));
    }

    private Future<VerifiedCheckpoint> save(String origin, VerifiedCheckpoint next, long previousSize) {
        return peers.saveCheckpoint(origin, next, previousSize).compose(saved -> saved ? Future.succeededFuture(next)
                : Future.failedFuture(new PeerFault(Fault.Kind.INTERNAL, "the stored checkpoint of " + origin
                + " changed during the check (read from " + url + ")")));
    }

    /**
     * Succeeds for consistent checkpoints, fails with the {@link Misbehaviour} of a proven fork, and runs
     * {@code unproven} with the reason when the hashes prove nothing.
     */
    private Future<Void> judge(CheckpointFollower follower, CheckpointFollower.Comparison c,
                               java.util.function.Function<String, Future<Void>> unproven) {
        if (c instanceof CheckpointFollower.Comparison.Forked f) {
            return accuse(f.evidence(), follower.logKey());
        }
        if (c instanceof CheckpointFollower.Comparison.Unproven u) {
            return unproven.apply(u.reason());
        }
        return Future.succeededFuture();
    }

    /**
     * The consistency of {@code old} and {@code next} read from the peer's hash tiles of the new tree: when they make
     * its signed root, they also give its hash over the old size, which either is the old root or proves a fork.
     */
    private Future<Void> fromTiles(CheckpointFollower follower, VerifiedCheckpoint old, VerifiedCheckpoint next,
                                   String servedProof) {
        long m = old.size();
        long n = next.size();
        return checks.withTiles(n, MAX_TILE_ROUNDS, tiles -> {
            HashSource source = HashSources.fromTiles(tiles, n);
            byte[] root = source.rootHash(n);
            if (!Arrays.equals(root, next.rootHash())) {
                throw FaultException.of(Fault.Kind.BAD_PROOF, "the consistency proof from " + m + " to " + n + " of "
                        + url + " proves nothing (" + servedProof + "), and its hash tiles of size " + n
                        + " do not make the signed root either");
            }
            return follower.compare(old, next, ConsistencyProof.generate(m, n, source).hashes(),
                    Optional.of(source.subtreeHash(0, m)));
        }).compose(c -> judge(follower, c, reason -> Future.failedFuture(new PeerFault(Fault.Kind.BAD_PROOF,
                "the consistency proof from " + m + " to " + n + " of " + url + " proves nothing: " + reason))));
    }

    /**
     * A served checkpoint smaller than the verified one: refused, always. Compared with the tree this mirror holds (its
     * tiles give the consistency hashes), or else with the verified checkpoint through the peer's proof, it is either a
     * proven fork or an old checkpoint replayed (a fault: anyone between may replay one).
     */
    private Future<Void> older(String origin, CheckpointFollower follower, VerifiedCheckpoint verified,
                               VerifiedCheckpoint served) {
        long m = served.size();
        PeerFault replayed = new PeerFault(Fault.Kind.OLD_CHECKPOINT, "replayed older checkpoint: " + url
                + " served the checkpoint of size " + m + ", but this node verified size " + verified.size());
        if (m == 0) {
            return Future.failedFuture(replayed);
        }
        return log.checkpoint(origin).compose(held -> {
            if (held.isPresent() && held.get().size() >= m) {
                VerifiedCheckpoint tree;
                try {
                    tree = new VerifiedCheckpoint(held.get().note(),
                            CheckpointFollower.parseUnverified(held.get().note()));
                } catch (CheckpointException e) {
                    return Future.failedFuture(new IllegalStateException("the served checkpoint of " + origin
                            + " does not parse", e));
                }
                Future<CheckpointFollower.Comparison> compared = tree.size() == m
                        ? checks.verifying(() -> follower.compare(served, tree, List.of(), Optional.empty()))
                        : log.consistency(origin, m, tree.size()).compose(p -> checks.verifying(() ->
                        follower.compare(served, tree, p.hashes(), Optional.of(p.oldTreeHash()))));
                return compared.compose(c -> judge(follower, c, reason -> Future.failedFuture(
                        new IllegalStateException("the stored tiles of " + origin + " do not reproduce the checkpoint "
                                + "this node serves: " + reason))));
            }
            return client.consistency(m, verified.size()).otherwise(e -> List.of())
                    .compose(proof -> checks.verifying(() -> follower.compare(served, verified, proof,
                            Optional.empty())))
                    .compose(c -> judge(follower, c, reason -> Future.succeededFuture()));
        }).compose(v -> Future.failedFuture(replayed));
    }

    /** Quarantines with {@code evidence}, once it checks with the key alone; a fault when it does not. */
    private Future<Void> accuse(Evidence evidence, NoteVerifier key) {
        return checks.<Void>verifying(() -> {
            try {
                EvidenceCheck.check(evidence, key);
            } catch (EvidenceException e) {
                throw new PeerFault(Fault.Kind.UNPROVEN, "misbehaviour suspected (" + evidence.kind().wireName() + ": "
                        + evidence.detail() + "), but the evidence collected does not verify: " + e.getMessage());
            }
            throw new Misbehaviour(evidence);
        });
    }

    /**
     * Accepts entries from {@code next} up to the checkpoint's size, one bundle at a time. While a bundle's artifacts
     * are copied and its entries stored, the next bundle is fetched and its entries verified (nothing of it is stored
     * before the bundle ahead of it is): verifying needs no write, and the keysets it needs are those the bundle ahead
     * verified to, or else stored.
     */
    private Future<Void> sync(String origin, VerifiedCheckpoint cp, long next, NoteVerifier logKey) {
        if (next >= cp.size() || stopped.getAsBoolean()) {
            return Future.succeededFuture();
        }
        return run(origin, cp, logKey, next, prepare(origin, cp, logKey, next, Map.of()));
    }

    /** Stores the prepared bundle, with the next one prepared meanwhile, and goes on to the end of the checkpoint. */
    private Future<Void> run(String origin, VerifiedCheckpoint cp, NoteVerifier logKey, long next,
                             Future<Prepared> prepared) {
        return prepared.recover(failure -> failure instanceof RuleBroken b && !stopped.getAsBoolean()
                ? prove(origin, cp, logKey, b.violation()).compose(v -> Future.failedFuture(b))
                : Future.failedFuture(failure)).compose(p -> {
            boolean ahead = p.end() < cp.size() && p.verified().broken().isEmpty();
            Future<Prepared> following = ahead ? prepare(origin, cp, logKey, p.end(), p.keysets()) : prepared;
            return apply(origin, cp, logKey, p, next).compose(after -> {
                metrics.lag(url, cp.size() - after);
                if (after >= cp.size() || stopped.getAsBoolean()) {
                    return Future.succeededFuture();
                }
                return ahead && after == p.end() ? run(origin, cp, logKey, after, following)
                        : sync(origin, cp, after, logKey);
            });
        });
    }

    /**
     * A bundle's entries from {@code next} on, verified ({@code end}: the index after its last entry), and the keysets of
     * its namespaces as of its end.
     */
    private record Prepared(long end, Verified verified, Map<String, Optional<OriginKeyset>> keysets) {
    }

    /**
     * Fetches the bundle that holds entry {@code next}, checks it against the checkpoint and verifies its entries from
     * {@code next} on (parsed and verified on worker threads: namespace keysets as of the bundle's start, from
     * {@code carried} when the bundle ahead of it verified them, else as stored, then as its keyset entries change them).
     */
    private Future<Prepared> prepare(String origin, VerifiedCheckpoint cp, NoteVerifier logKey, long next,
                                     Map<String, Optional<OriginKeyset>> carried) {
        long bundleIndex = next / TilePath.WIDTH;
        int width = TilePath.widthAt(TilePath.ENTRIES, bundleIndex, cp.size());
        Future<byte[]> bundle = client.tile(TilePath.entryBundle(bundleIndex, width));
        Future<byte[]> tile0 = client.tile(TilePath.tile(0, bundleIndex, width));
        long first = bundleIndex * TilePath.WIDTH;
        EntryVerifier verifier = new EntryVerifier();
        return Future.all(bundle, tile0)
                .compose(v -> checks.withTiles(cp.size(), MAX_TILE_ROUNDS,
                        tiles -> EntryBundleCheck.verify(cp, bundleIndex, bundle.result(), tile0.result(), tiles)))
                .compose(entries -> checks.verifying(() -> {
                    List<LogEntry> parsed = new ArrayList<>();
                    for (long i = next; i < first + entries.size(); i++) {
                        try {
                            parsed.add(verifier.parse(i, entries.entry((int) (i - first))));
                        } catch (RuleBroken b) {
                            return new Parsed(parsed, Optional.of(b), first + entries.size());
                        }
                    }
                    return new Parsed(parsed, Optional.empty(), first + entries.size());
                }))
                .compose(parsed -> keysets(origin, parsed.namespaces(), carried)
                        .compose(keysets -> verifyAll(parsed, verifier, logKey, keysets)
                                .map(verified -> new Prepared(parsed.end(), verified, keysets))));
    }

    /** An entry verified in memory (what it verified to: a keyset, package, yank or decision). */
    private record Checked(LogEntry entry, Object verified) {
    }

    /** The entries of a bundle verified in order, up to the first that breaks a rule. */
    private record Verified(List<Checked> entries, Optional<RuleBroken> broken) {
    }

    /**
     * One entry, verified, and the copy of its artifacts (started as soon as it verified), which completes once this
     * node also re-ran a package's lineage claim ({@code lineage}, then complete too).
     */
    private record Step(LogEntry entry, Object verified, Future<Void> artifacts,
                        Future<LineageReproduction.Outcome> lineage) {
    }

    /**
     * Applies a prepared bundle's entries from index {@code next} on; returns the index after the last applied. The
     * artifacts of verified packages are copied a few at a time, and each entry is stored in order once its artifacts are
     * in. An artifact that cannot be copied is a fault. The bundle that holds the checkpoint's last entry is stored only
     * once all its artifacts are in: a fault then stores nothing of it, so that no entry is shown that the served
     * checkpoint cannot prove (in the usual round, a peer grown by a few entries, that bundle is all there is). An entry
     * that breaks a rule stops the bundle there: the entries before it are stored, and the evidence against it is
     * collected.
     */
    private Future<Long> apply(String origin, VerifiedCheckpoint cp, NoteVerifier logKey, Prepared prepared, long next) {
        long end = prepared.end();
        Verified verified = prepared.verified();
        return Future.<Void>succeededFuture().compose(start -> {
            Limiter fetches = new Limiter(PARALLEL_FETCHES, stopped);
            List<Step> steps = new ArrayList<>();
            // the packages of this bundle by digest, with their place: a parent the later ones may cite, not stored yet
            Map<dev.grove.crypto.Sha256, Integer> packages = new HashMap<>();
            for (Checked c : verified.entries()) {
                Future<LineageReproduction.Outcome> lineage = Future.succeededFuture(
                        LineageReproduction.Outcome.NOT_APPLICABLE);
                if (c.entry() instanceof LogEntry.PackageEntry e) {
                    VerifiedPackage pkg = (VerifiedPackage) c.verified();
                    int here = steps.size();
                    lineage = fetches.submit(() -> fetchArtifacts(e, pkg.contract().artifacts(), 0))
                            .compose(v -> reproduction.recheck(pkg, digest -> {
                                Integer at = packages.get(digest);
                                if (at == null || at >= here) {
                                    return Future.succeededFuture(Optional.empty());
                                }
                                Step parent = steps.get(at);
                                return parent.artifacts().map(x -> Optional.of(
                                        ((VerifiedPackage) parent.verified()).contract()));
                            }));
                    packages.putIfAbsent(pkg.digest(), here);
                }
                steps.add(new Step(c.entry(), c.verified(), lineage.mapEmpty(), lineage));
            }
            // the bundle that completes the checkpoint is stored whole or not at all: its entries are then proven at
            // once; earlier bundles (a catch-up) are stored as their artifacts arrive, unproven until the end anyway
            Future<Long> stored = end < cp.size() ? store(origin, steps, 0, next)
                    : Future.join(steps.stream().map(Step::artifacts).toList()).transform(done -> {
                        for (Step s : steps) {
                            if (s.artifacts().failed()) {
                                return Future.<Long>failedFuture(s.artifacts().cause());
                            }
                        }
                        return store(origin, steps, 0, next);
                    });
            return stored.compose(after -> verified.broken().isPresent() && !stopped.getAsBoolean()
                    ? prove(origin, cp, logKey, verified.broken().get().violation()).map(after)
                    : Future.succeededFuture(after));
        }).recover(failure -> failure instanceof RuleBroken b && !stopped.getAsBoolean()
                ? prove(origin, cp, logKey, b.violation()).map(next)
                : Future.failedFuture(failure));
    }

    /**
     * The entries parsed (up to the first that is not a Grove entry), their namespaces, and the index after the bundle's
     * last entry.
     */
    private record Parsed(List<LogEntry> parsed, Optional<RuleBroken> broken, long end) {
        Set<String> namespaces() {
            Set<String> out = new LinkedHashSet<>();
            parsed.forEach(e -> namespaceOf(e).ifPresent(out::add));
            return out;
        }
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

    /** The keysets of {@code namespaces}: from {@code carried} where it has them, else as stored (a mutable map). */
    private Future<Map<String, Optional<OriginKeyset>>> keysets(String origin, Set<String> namespaces,
                                                                Map<String, Optional<OriginKeyset>> carried) {
        Map<String, Optional<OriginKeyset>> out = new HashMap<>();
        List<Future<Void>> reads = new ArrayList<>();
        for (String ns : namespaces) {
            if (carried.containsKey(ns)) {
                out.put(ns, carried.get(ns));
                continue;
            }
            reads.add(store.keyset(origin, ns).map(k -> {
                out.put(ns, k);
                return null;
            }));
        }
        return Future.all(reads).map(out);
    }

    /** An entry to verify against the keyset its namespace had at its place in the log (its keyset entries before it). */
    private record Pending(LogEntry entry, Optional<OriginKeyset> keyset) {
    }

    /** What checking one entry gave: what it verified to, or the rule it broke. */
    private record Result(Object verified, RuleBroken broken) {
    }

    /**
     * Verifies a bundle's entries as checking them one by one in order would, with the signature checks spread over a
     * few worker threads: first, on one worker, the keyset entries in order (each needs the keyset before it), which
     * fixes the keyset every other entry is checked against; then the other entries in chunks, one worker each
     * ({@link #PARALLEL_VERIFIES} at most). The result stops at the first entry, in log order, that breaks a rule.
     */
    private Future<Verified> verifyAll(Parsed parsed, EntryVerifier verifier, NoteVerifier logKey,
                                       Map<String, Optional<OriginKeyset>> keysets) {
        List<LogEntry> entries = parsed.parsed();
        return checks.verifying(() -> {
            List<Object> placed = new ArrayList<>(entries.size());   // a Result for a keyset entry, else a Pending
            for (LogEntry e : entries) {
                if (e instanceof LogEntry.KeysetEntry k) {
                    try {
                        placed.add(new Result(verify(e, verifier, logKey, keysets), null));
                    } catch (RuleBroken b) {
                        placed.add(new Result(null, b));
                        break;   // the keysets after a broken one are unknown: nothing after it is checked
                    }
                } else {
                    placed.add(new Pending(e, namespaceOf(e).flatMap(ns -> keysets.getOrDefault(ns, Optional.empty()))));
                }
            }
            return placed;
        }).compose(placed -> {
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < placed.size(); i++) {
                if (placed.get(i) instanceof Pending) {
                    others.add(i);
                }
            }
            int chunks = Math.max(1, Math.min(PARALLEL_VERIFIES, others.size() / MIN_CHUNK));
            int size = (others.size() + chunks - 1) / Math.max(1, chunks);
            List<Future<List<Result>>> runs = new ArrayList<>();
            for (int from = 0; from < others.size(); from += size) {
                List<Integer> chunk = others.subList(from, Math.min(others.size(), from + size));
                runs.add(checks.verifying(() -> {
                    List<Result> results = new ArrayList<>(chunk.size());
                    for (int at : chunk) {
                        Pending p = (Pending) placed.get(at);
                        try {
                            results.add(new Result(verifyAgainst(p.entry(), verifier, logKey, p.keyset()), null));
                        } catch (RuleBroken b) {
                            results.add(new Result(null, b));
                        }
                    }
                    return results;
                }));
            }
            return Future.all(runs).map(all -> {
                Object[] results = placed.toArray();
                int r = 0;
                for (Future<List<Result>> run : runs) {
                    for (Result result : run.result()) {
                        results[others.get(r++)] = result;
                    }
                }
                List<Checked> checked = new ArrayList<>();
                for (int i = 0; i < results.length; i++) {
                    Result result = (Result) results[i];
                    if (result.broken() != null) {
                        return new Verified(checked, Optional.of(result.broken()));
                    }
                    checked.add(new Checked(entries.get(i), result.verified()));
                }
                return new Verified(checked, parsed.broken());
            });
        });
    }

    /** Verifies an entry other than a keyset change against the keyset {@code keyset} of its namespace. */
    private static Object verifyAgainst(LogEntry entry, EntryVerifier verifier, NoteVerifier logKey,
                                        Optional<OriginKeyset> keyset) throws RuleBroken {
        if (entry instanceof LogEntry.PackageEntry e) {
            return verifier.pkg(e, keyset);
        }
        if (entry instanceof LogEntry.YankEntry e) {
            return verifier.yank(e, keyset);
        }
        if (entry instanceof LogEntry.DecisionEntry e) {
            return verifier.decision(e, logKey);
        }
        return entry;
    }

    /** Verifies one entry's signed statements (on a worker thread: signature checks), moving {@code keysets} along. */
    private static Object verify(LogEntry entry, EntryVerifier verifier, NoteVerifier logKey,
                                 Map<String, Optional<OriginKeyset>> keysets) throws RuleBroken {
        if (entry instanceof LogEntry.KeysetEntry e) {
            OriginKeyset next = verifier.keyset(e, keysets.getOrDefault(e.namespace(), Optional.empty()));
            keysets.put(e.namespace(), Optional.of(next));
            return next;
        }
        if (entry instanceof LogEntry.PackageEntry e) {
            return verifier.pkg(e, keysets.getOrDefault(e.name().namespace(), Optional.empty()));
        }
        if (entry instanceof LogEntry.YankEntry e) {
            return verifier.yank(e, keysets.getOrDefault(e.name().namespace(), Optional.empty()));
        }
        if (entry instanceof LogEntry.DecisionEntry e) {
            return verifier.decision(e, logKey);
        }
        return entry;
    }

    /**
     * Stores the steps in order, in transactions of up to {@link #BATCH} consecutive entries whose artifacts are in the
     * blob store, each with the move of {@code next_entry} past them. When a batch fails, its entries are stored one by
     * one, so that the entries before the one at fault are kept.
     */
    private Future<Long> store(String origin, List<Step> steps, int i, long next) {
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
            Future<Void> stored = storeAll(origin, batch, next);
            if (batch.size() > 1) {
                stored = stored.recover(failure -> storeOneByOne(origin, batch, 0, next));
            }
            return stored.compose(x -> {
                batch.forEach(s -> metrics.entry(url));
                return store(origin, steps, stop, next + batch.size());
            });
        });
    }

    private Future<Void> storeOneByOne(String origin, List<Step> batch, int i, long next) {
        if (i >= batch.size()) {
            return Future.succeededFuture();
        }
        return storeAll(origin, batch.subList(i, i + 1), next)
                .compose(v -> storeOneByOne(origin, batch, i + 1, next + 1));
    }

    /**
     * One transaction: the steps' stores in order, {@code next_entry} from {@code next} to past the last, and the entries'
     * leaf hashes in the peer's tiles.
     */
    private Future<Void> storeAll(String origin, List<Step> batch, long next) {
        List<byte[]> entries = batch.stream().map(s -> s.entry().bytes()).toList();
        return store.entries(origin, next, entries, tx -> {
            Future<Void> chain = Future.succeededFuture();
            // consecutive packages are stored together (batched statements); any other entry on its own, in order
            List<Step> packages = new ArrayList<>();
            for (Step step : batch) {
                if (step.entry() instanceof LogEntry.PackageEntry) {
                    packages.add(step);
                    continue;
                }
                List<Step> run = List.copyOf(packages);
                packages.clear();
                chain = chain.compose(v -> storePackages(tx, origin, run)).compose(v -> storeOne(tx, origin, step));
            }
            List<Step> run = List.copyOf(packages);
            return chain.compose(v -> storePackages(tx, origin, run));
        });
    }

    /** Stores consecutive verified packages; a version the origin rewrites is the rule it broke, as one by one. */
    private Future<Void> storePackages(SqlConnection tx, String origin, List<Step> run) {
        if (run.isEmpty()) {
            return Future.succeededFuture();
        }
        Map<Long, LogEntry.PackageEntry> byIndex = new HashMap<>();
        List<MirrorStore.Verified> packages = new ArrayList<>(run.size());
        for (Step step : run) {
            LogEntry.PackageEntry e = (LogEntry.PackageEntry) step.entry();
            byIndex.put(e.index(), e);
            packages.add(new MirrorStore.Verified(e.index(), e.bundle(), (VerifiedPackage) step.verified(),
                    step.lineage().result()));
        }
        return store.packages(tx, origin, packages).recover(failure -> {
            if (failure instanceof MirrorStore.VersionRewritten r && byIndex.containsKey(r.logIndex())) {
                LogEntry.PackageEntry e = byIndex.get(r.logIndex());
                return Future.failedFuture(EntryVerifier.broken(new Violation.Needs.EarlierVersion(e.name(), e.version()),
                        Evidence.Kind.REWRITTEN_VERSION, e, e.name() + "@" + e.version()
                                + " was already logged with digest " + r.storedDigest()
                                + "; a published version never changes"));
            }
            return Future.failedFuture(failure);
        });
    }

    private Future<Void> storeOne(SqlConnection tx, String origin, Step step) {
        LogEntry entry = step.entry();
        if (entry instanceof LogEntry.KeysetEntry e) {
            return store.keyset(tx, origin, e, (OriginKeyset) step.verified());
        }
        if (entry instanceof LogEntry.YankEntry e) {
            return store.yank(tx, origin, (Yank) step.verified(), e.envelope().toJsonString());
        }
        if (entry instanceof LogEntry.DecisionEntry e) {
            return store.decision(tx, origin, e, (ReleaseDecision) step.verified()).recover(failure ->
                    Future.failedFuture(failure instanceof MirrorStore.DecisionOutOfOrder r
                            ? EntryVerifier.broken(new Violation.Needs.DecisionsOn(e.digest()),
                            Evidence.Kind.FORGED_DECISION, e, r.getMessage())
                            : failure));
        }
        return Future.succeededFuture();
    }

    /** The entries evidence against a violation carries: a run {@code [from, index]}, or two entries. */
    private record Needed(long from, boolean run) {
        long count(long index) {
            return run ? index - from + 1 : 2;
        }

        List<Long> indices(long index) {
            List<Long> out = new ArrayList<>();
            if (run) {
                for (long i = from; i <= index; i++) {
                    out.add(i);
                }
            } else {
                out.add(from);
                out.add(index);
            }
            return out;
        }
    }

    /**
     * Collects the evidence of a broken rule (the checkpoint, the entries the rule needs, each with its inclusion proof)
     * and quarantines the peer when it checks; a fault when it is too large to carry or cannot be collected. Always
     * fails.
     */
    private Future<Void> prove(String origin, VerifiedCheckpoint cp, NoteVerifier logKey, Violation v) {
        String suspected = "misbehaviour suspected (" + v.kind().wireName() + ": " + v.detail() + ")";
        long index = v.index();
        return needed(origin, v, suspected).compose(needed -> {
            long count = needed.count(index);
            if (count > EvidenceCheck.MAX_ENTRIES) {
                return Future.failedFuture(new PeerFault(Fault.Kind.UNPROVEN, suspected + ", evidence too large to "
                        + "carry: it needs " + count + " entries, at most " + EvidenceCheck.MAX_ENTRIES));
            }
            return entries(cp, needed.indices(index), v)
                    .compose(entries -> checks.withTiles(cp.size(), MAX_EVIDENCE_TILE_ROUNDS, tiles -> {
                        HashSource source = HashSources.fromTiles(tiles, cp.size());
                        List<Evidence.ProvenEntry> proven = new ArrayList<>();
                        for (Map.Entry<Long, byte[]> e : entries.entrySet()) {
                            proven.add(new Evidence.ProvenEntry(e.getKey(), e.getValue(),
                                    InclusionProof.generate(e.getKey(), cp.size(), source).hashes()));
                        }
                        return proven;
                    }))
                    .recover(e -> Future.failedFuture(e instanceof PeerFault f ? new PeerFault(Fault.Kind.UNPROVEN,
                            suspected + ", but the evidence could not be collected: " + f.fault()) : e))
                    .compose(proven -> accuse(new Evidence(v.kind(), origin, logKey.toString(), v.detail(),
                            List.of(cp.note()), Optional.empty(), proven), logKey));
        });
    }

    private Future<Needed> needed(String origin, Violation v, String suspected) {
        Violation.Needs needs = v.needs();
        if (needs instanceof Violation.Needs.KeysetInForce k) {
            return store.keysetIndex(origin, k.namespace()).map(at -> new Needed(Math.min(at.orElse(0L), v.index()),
                    true));
        }
        if (needs instanceof Violation.Needs.DecisionsOn d) {
            return store.decisionIndex(origin, d.digest()).map(at -> new Needed(Math.min(at.orElse(0L), v.index()),
                    true));
        }
        if (needs instanceof Violation.Needs.EarlierVersion e) {
            return store.versionIndex(origin, e.name(), e.version().toString()).compose(at -> at.isPresent()
                    && at.get() < v.index() ? Future.succeededFuture(new Needed(at.get(), false))
                    : Future.failedFuture(new PeerFault(Fault.Kind.UNPROVEN, suspected + ", but this node does not "
                    + "know where " + e.name() + "@" + e.version() + " was logged before")));
        }
        return Future.succeededFuture(new Needed(v.index(), true));
    }

    /**
     * The entries at these indices, from the peer's entry bundles of the tree of {@code cp} (the accused entry as it was
     * verified); whatever the bundles hold is checked by the inclusion proofs.
     */
    private Future<TreeMap<Long, byte[]>> entries(VerifiedCheckpoint cp, List<Long> indices, Violation v) {
        TreeMap<Long, byte[]> out = new TreeMap<>();
        Set<Long> bundles = new LinkedHashSet<>();
        for (long i : indices) {
            if (i == v.index()) {
                out.put(i, v.entry());
            } else {
                bundles.add(i / TilePath.WIDTH);
            }
        }
        List<Future<Void>> reads = new ArrayList<>();
        for (long b : bundles) {
            int width = TilePath.widthAt(TilePath.ENTRIES, b, cp.size());
            TilePath path = TilePath.entryBundle(b, width);
            reads.add(client.tile(path).compose(bytes -> checks.verifying(() -> {
                try {
                    return EntryBundle.parse(bytes, width);
                } catch (TileFormatException e) {
                    throw new PeerFault(Fault.Kind.NOT_IN_TREE, path + " is not an entry bundle: " + e.getMessage());
                }
            })).compose(bundle -> {
                for (long i : indices) {
                    if (i / TilePath.WIDTH == b && i != v.index()) {
                        out.put(i, bundle.entry((int) (i - b * TilePath.WIDTH)));
                    }
                }
                return Future.succeededFuture();
            }));
        }
        return Future.all(reads).map(out);
    }

    /** Copies each artifact the blob store does not hold yet, checking its digest on the way in. */
    private Future<Void> fetchArtifacts(LogEntry.PackageEntry e, List<Artifact> artifacts, int i) {
        if (i >= artifacts.size()) {
            return Future.succeededFuture();
        }
        Artifact a = artifacts.get(i);
        return blobs.stat(a.digest()).compose(info -> {
            if (info.isPresent() && info.get().size() == a.size()) {
                return Future.succeededFuture();
            }
            return client.blob(a.digest(), a.size(), blobs).<Void>mapEmpty().recover(failure -> Future.failedFuture(
                    failure instanceof PeerFault f && f.fault().kind() == Fault.Kind.TAMPERED_BLOB
                            ? new PeerFault(Fault.Kind.TAMPERED_BLOB, "artifact '" + a.path() + "' of " + e.name() + "@"
                            + e.version() + " served by " + url + " does not match the signed contract (" + a.digest()
                            + ", " + a.size() + " bytes): " + f.fault().reason())
                            : failure));
        }).compose(v -> fetchArtifacts(e, artifacts, i + 1));
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

        Future<Void> submit(Supplier<Future<Void>> task) {
            io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
            waiting.add(() -> {
                if (stopped.getAsBoolean()) {
                    running--;
                    done.fail(new PeerFault(Fault.Kind.INTERNAL, "stopping"));
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
}
