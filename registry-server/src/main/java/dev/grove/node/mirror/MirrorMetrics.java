package dev.grove.node.mirror;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mirror's meters, per peer URL: {@code grove_mirror_entries_total} (entries accepted), {@code
 * grove_mirror_lag_entries} (entries in the last verified checkpoint not yet accepted) and {@code
 * grove_mirror_quarantined} (1 once the peer is quarantined).
 */
final class MirrorMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> entries = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> quarantined = new ConcurrentHashMap<>();

    MirrorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void entry(String peer) {
        entries.computeIfAbsent(peer, p -> Counter.builder("grove.mirror.entries")
                .description("Log entries accepted from a followed peer").tag("peer", p).register(registry)).increment();
    }

    void lag(String peer, long value) {
        gauge(lag, "grove.mirror.lag.entries", "Entries of the peer's verified checkpoint not yet accepted", peer)
                .set(value);
    }

    void quarantined(String peer) {
        gauge(quarantined, "grove.mirror.quarantined", "1 when the peer is quarantined", peer).set(1);
    }

    private AtomicLong gauge(Map<String, AtomicLong> map, String name, String description, String peer) {
        return map.computeIfAbsent(peer, p -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("peer", p).register(registry);
            return value;
        });
    }
}
