package dev.grove.node.mirror;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the followers: each followed log is checked at start, then {@code interval} after its previous check ended, or
 * later when every source faulted (until the first source's backoff ends); never two checks of one log at once.
 * Stopping waits for the checks in flight, which stop between two entries.
 *
 * <p>Several processes on one database follow each log once between them: a log is checked only while this process
 * holds its {@link FollowLocks} lock, tried again every {@code interval} while another process holds it (standing by,
 * this process records nothing about that log's sources); a check in flight when the lock is lost stops between two
 * entries, like one stopped.
 */
final class Mirror extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    private static final long STOP_WAIT_SECONDS = 10;

    private final List<PeerSpec> specs;
    private final Duration interval;
    private final PeerStore peers;
    private final OriginClaims claims;
    private final FollowerFactory followers;
    private final FollowLocks locks;
    private final MirrorMetrics metrics;
    /** Whether each log was last seen followed here (its name: {@link PeerSpec#logName()}), to log each change once. */
    private final Map<String, Boolean> following = new ConcurrentHashMap<>();
    private final Map<String, Long> timers = new ConcurrentHashMap<>();
    private final Map<String, Future<Void>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * Builds the follower of one source of a log over the verticle's HTTP client; {@code stopped} tells it to stop
     * between two entries.
     */
    interface FollowerFactory {
        PeerFollower create(PeerSpec spec, SourceLayout source, HttpClient http,
                            BooleanSupplier stopped);
    }

    Mirror(List<PeerSpec> specs, Duration interval, PeerStore peers, OriginClaims claims, FollowerFactory followers,
           FollowLocks locks, MirrorMetrics metrics) {
        this.specs = List.copyOf(specs);
        this.locks = locks;
        this.metrics = metrics;
        this.interval = interval;
        this.peers = peers;
        this.claims = claims;
        this.followers = followers;
    }

    @Override
    public Future<?> start() {
        List<Future<Void>> ensured = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (PeerSpec spec : specs) {
            for (int i = 0; i < spec.urls().size(); i++) {
                String url = spec.urls().get(i);
                // a source of a log configured with its key is that log's at once (a key pinned before for it, if
                // another, leaves it unpinned: its first round says so)
                ensured.add(spec.key().isEmpty() ? peers.ensure(url, i) : peers.ensure(url, i)
                        .compose(v -> peers.pin(url, spec.key().get(), spec.origin().orElseThrow())).mapEmpty());
                urls.add(url);
            }
            spec.origin().ifPresent(origin -> claims.claim(origin, spec.urls().get(0)));
        }
        // created here, in the verticle's context, so it is closed when it is undeployed
        // a request follows redirects only when it asks to: blob downloads (PeerClient.blob), a few hops at most
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxRedirects(3), new PoolOptions().setHttp1MaxSize(32));
        return Future.all(ensured).compose(v -> peers.origins(urls)).onSuccess(pinned -> {
            // a log trusted on first use claims the origin its source named before, in the order configured
            for (PeerSpec spec : specs) {
                if (spec.key().isEmpty() && pinned.containsKey(spec.urls().get(0))) {
                    claims.claim(pinned.get(spec.urls().get(0)), spec.urls().get(0));
                }
            }
            for (PeerSpec spec : specs) {
                String name = spec.logName();
                BooleanSupplier stop = () -> stopped || !locks.holds(name);
                List<PeerFollower> sources = new ArrayList<>();
                for (SourceLayout layout : spec.layouts()) {
                    sources.add(followers.create(spec, layout, http, stop));
                }
                LogFollower follower = new LogFollower(sources, interval, stop);
                metrics.following(name, false);
                LOG.info("following {} every {} ms, while this process holds its follow lock",
                        String.join(", then ", spec.urls()) + spec.origin().map(o -> " (log " + o + ")").orElse(""),
                        interval.toMillis());
                run(follower, name);
            }
        });
    }

    private void run(LogFollower follower, String name) {
        if (stopped) {
            return;
        }
        Future<Duration> round = locks.acquire(name).compose(here -> {
            followedHere(name, here);
            return here && !stopped ? follower.check() : Future.succeededFuture(interval);
        });
        inFlight.put(follower.name(), round.<Void>mapEmpty());
        round.onComplete(done -> {
            if (!stopped) {
                long wait = done.succeeded() ? done.result().toMillis() : interval.toMillis();
                timers.put(follower.name(), vertx.setTimer(Math.max(1, wait), id -> run(follower, name)));
            }
        });
    }

    private void followedHere(String name, boolean here) {
        metrics.following(name, here);
        Boolean before = following.put(name, here);
        if (before == null || before != here) {
            LOG.info(here ? "log {}: followed by this process (it holds the log's follow lock)"
                    : "log {}: followed by another process on this database; this one stands by", name);
        }
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        timers.values().forEach(vertx::cancelTimer);
        return Future.all(new ArrayList<>(inFlight.values()))
                .timeout(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
                .otherwiseEmpty()
                .compose(v -> locks.close());
    }
}
