package dev.grove.node.mirror;

import dev.grove.federation.Fault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mirror's meters, per peer URL: {@code grove_mirror_entries_total} (entries accepted), {@code
 * grove_mirror_lag_entries} (entries in the last verified checkpoint not yet accepted), {@code
 * grove_mirror_quarantined} (1 once the peer is quarantined), {@code grove_mirror_faults_total} (failed rounds, by
 * fault kind), {@code grove_mirror_state} (1 for the peer's current state, 0 for the others) and {@code
 * grove_mirror_verifications_total} (checks of what peers served: signatures, bundles, tiles, proofs, evidence,
 * lineage re-runs; by the kind of thread that ran them, {@code worker} or {@code event-loop}, which should stay 0).
 * Per followed log ({@link PeerSpec#logName()}): {@code grove_mirror_following{origin}}, 1 while this process follows
 * it (holds its {@link FollowLocks} lock), 0 while another process on the same database does.
 */
final class MirrorMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> entries = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> quarantined = new ConcurrentHashMap<>();
    private final Map<String, Counter> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> states = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> following = new ConcurrentHashMap<>();
    private final Map<Boolean, Counter> verifications = new ConcurrentHashMap<>();

    MirrorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void entry(String peer) {
        entries.computeIfAbsent(peer, p -> Counter.builder("grove.mirror.entries")
                .description("Log entries accepted from a followed peer").tag("peer", p).register(registry)).increment();
    }

    /** Counts one check of what a peer served, by the kind of thread it runs on (call it from that thread). */
    void verification() {
        boolean loop = Context.isOnEventLoopThread();
        verifications.computeIfAbsent(loop, l -> Counter.builder("grove.mirror.verifications")
                .description("Checks of what followed peers served (signatures, bundles, tiles, proofs), by thread")
                .tag("thread", l ? "event-loop" : "worker").register(registry)).increment();
    }

    void lag(String peer, long value) {
        gauge(lag, "grove.mirror.lag.entries", "Entries of the peer's verified checkpoint not yet accepted", peer)
                .set(value);
    }

    void following(String log, boolean here) {
        following.computeIfAbsent(log, l -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("grove.mirror.following", value, AtomicLong::get)
                    .description("1 while this process follows the log (holds its follow lock), 0 while another does")
                    .tag("origin", l).register(registry);
            return value;
        }).set(here ? 1 : 0);
    }

    void quarantined(String peer) {
        gauge(quarantined, "grove.mirror.quarantined", "1 when the peer is quarantined", peer).set(1);
    }

    void fault(String peer, Fault.Kind kind) {
        faults.computeIfAbsent(peer + " " + kind.wireName(), k -> Counter.builder("grove.mirror.faults")
                .description("Rounds of following a peer that ended in a fault (refused, retried with backoff)")
                .tag("peer", peer).tag("kind", kind.wireName()).register(registry)).increment();
    }

    void state(String peer, PeerStatus.State state) {
        for (PeerStatus.State s : PeerStatus.State.values()) {
            states.computeIfAbsent(peer + " " + s.wireName(), k -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder("grove.mirror.state", value, AtomicLong::get)
                        .description("1 for the state the followed peer is in, 0 for the others")
                        .tag("peer", peer).tag("state", s.wireName()).register(registry);
                return value;
            }).set(s == state ? 1 : 0);
        }
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String name, String description, String peer) {
        return map.computeIfAbsent(peer, p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("peer", p).register(registry);
            return value;
        });
    }
}
