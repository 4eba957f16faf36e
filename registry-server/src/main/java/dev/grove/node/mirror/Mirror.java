package dev.grove.node.mirror;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the followers: each peer is checked at start, then {@code interval} after its previous check ended, or later
 * after a fault (the follower's backoff); never two checks of one peer at once. Stopping waits for the checks in
 * flight, which stop between two entries.
 */
final class Mirror extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(Mirror.class);
    private static final long STOP_WAIT_SECONDS = 10;

    private final List<PeerSpec> specs;
    private final Duration interval;
    private final PeerStore peers;
    private final FollowerFactory followers;
    private final Map<String, Long> timers = new ConcurrentHashMap<>();
    private final Map<String, Future<Void>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** Builds a peer's follower over the verticle's HTTP clients; {@code stopped} tells it to stop between two entries. */
    interface FollowerFactory {
        PeerFollower create(PeerSpec spec, WebClient web, HttpClient http, java.util.function.BooleanSupplier stopped);
    }

    Mirror(List<PeerSpec> specs, Duration interval, PeerStore peers, FollowerFactory followers) {
        this.specs = List.copyOf(specs);
        this.interval = interval;
        this.peers = peers;
        this.followers = followers;
    }

    @Override
    public Future<?> start() {
        List<Future<Void>> ensured = new ArrayList<>();
        for (PeerSpec spec : specs) {
            ensured.add(peers.ensure(spec.url(), spec.key()));
        }
        // created here, in the verticle's context, so they are closed when it is undeployed
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxRedirects(0), new PoolOptions().setHttp1MaxSize(8));
        WebClient web = WebClient.wrap(http);
        return Future.all(ensured).onSuccess(v -> {
            for (PeerSpec spec : specs) {
                PeerFollower follower = followers.create(spec, web, http, () -> stopped);
                LOG.info("following {} every {} ms", spec.url(), interval.toMillis());
                run(follower);
            }
        });
    }

    private void run(PeerFollower follower) {
        if (stopped) {
            return;
        }
        Future<Duration> check = follower.check();
        inFlight.put(follower.url(), check.<Void>mapEmpty());
        check.onComplete(done -> {
            if (!stopped) {
                long wait = done.succeeded() ? done.result().toMillis() : interval.toMillis();
                timers.put(follower.url(), vertx.setTimer(Math.max(1, wait), id -> run(follower)));
            }
        });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        timers.values().forEach(vertx::cancelTimer);
        return Future.all(new ArrayList<>(inFlight.values()))
                .timeout(STOP_WAIT_SECONDS, TimeUnit.SECONDS)
                .otherwiseEmpty();
    }
}
