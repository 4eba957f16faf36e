package dev.grove.node.packages;

import dev.grove.node.http.Representation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Version documents as last rendered, served again while nothing they show has changed. What they show lives in
 * several tables; every write to it moves one counter in the database at commit (migration V009) and sends the new
 * count as a notification (V015). A document is reused only under the count it was rendered under, so any write
 * committed since makes it stale.
 *
 * <p>Where the current count comes from:
 * <ul>
 *   <li>While {@link DocumentNotifications} listens, from memory: the highest count notified (or read through the
 *       listening connection after it subscribed). No query per read. A write committed by another process shows here
 *       once its notification arrives, a few milliseconds at most on a healthy connection.</li>
 *   <li>While a write answered by this node settles ({@link #committedHere}), and whenever the listener is not
 *       subscribed (before it first is, after its connection dropped, after a count could not be confirmed), from the
 *       database: one indexed row per read, exact. Subscribing again drops every kept document (a full reload).</li>
 * </ul>
 * Shared by the node's event loops.
 */
final class RenderedDocuments {

    static final String GENERATION = "SELECT generation FROM version_documents_generation";

    /**
     * Beyond this many documents (a few kB each) the whole set is dropped: a bound on memory, not a policy, since a
     * dropped document is only rendered again.
     */
    static final int MAX_DOCUMENTS = 2_048;

    private record Rendered(long generation, Representation json) {
    }

    private final SqlClient client;
    private final ConcurrentHashMap<String, Rendered> rendered = new ConcurrentHashMap<>();
    /** The highest count known to be committed; meaningful for reads only while {@link #listening}. */
    private final AtomicLong latest = new AtomicLong(-1);
    private volatile boolean listening;
    /** Writes this node answered whose count has not been read back yet: reads ask the database meanwhile. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private final Counter reused;
    private final Counter renders;
    private final Counter fromMemory;
    private final Counter fromDatabase;
    private final Counter subscriptions;

    RenderedDocuments(SqlClient client, MeterRegistry metrics) {
        this.client = client;
        this.reused = counter(metrics, "reused");
        this.renders = counter(metrics, "rendered");
        this.fromMemory = generationCounter(metrics, "notified");
        this.fromDatabase = generationCounter(metrics, "queried");
        this.subscriptions = Counter.builder("grove.version.documents.subscriptions")
                .description("Times the node subscribed to the version documents' notifications (the first time, and "
                        + "after each lost connection)")
                .register(metrics);
        Gauge.builder("grove.version.documents.listening", this, r -> r.listening ? 1 : 0)
                .description("1 while reads take the version documents' count from notifications, 0 while they ask "
                        + "the database")
                .register(metrics);
    }

    private static Counter counter(MeterRegistry metrics, String result) {
        return Counter.builder("grove.version.documents")
                .description("Version documents served: reused as last rendered, or rendered from the database")
                .tag("result", result).register(metrics);
    }

    private static Counter generationCounter(MeterRegistry metrics, String source) {
        return Counter.builder("grove.version.documents.generation")
                .description("Reads of version documents by where the current count came from: notified (memory) "
                        + "or queried (the database)")
                .tag("source", source).register(metrics);
    }

    /** The document under {@code key}, rendered by {@code render} unless the one rendered last is current. */
    Future<Representation> get(String key, Supplier<Future<JsonObject>> render) {
        // read in this order: a settling write is counted before its count is published, see committedHere
        if (listening && unsettled.get() == 0) {
            fromMemory.increment();
            return get(key, latest.get(), render);
        }
        fromDatabase.increment();
        return client.query(GENERATION).execute().compose(rows -> get(key, generation(rows), render));
    }

    private Future<Representation> get(String key, long generation, Supplier<Future<JsonObject>> render) {
        Rendered last = rendered.get(key);
        if (last != null && last.generation() == generation) {
            reused.increment();
            return Future.succeededFuture(last.json());
        }
        return render.get().map(doc -> {
            renders.increment();
            Representation json = Representation.of(doc.toBuffer());
            if (rendered.size() >= MAX_DOCUMENTS) {
                rendered.clear();
            }
            // a newer render (under a higher generation) is never replaced by an older one
            rendered.merge(key, new Rendered(generation, json),
                    (old, mine) -> old.generation() > mine.generation() ? old : mine);
            return json;
        });
    }

    /**
     * A write this node answered has committed (and its client may read next): until the count is read back after it,
     * reads ask the database, so that what a client wrote through a node shows in that node's next read exactly,
     * without waiting for the notification. If the count cannot be read, reads ask the database until the listener
     * confirms the count again.
     */
    void committedHere() {
        unsettled.incrementAndGet();
        client.query(GENERATION).execute().onComplete(read -> {
            if (read.succeeded()) {
                seen(generation(read.result()));
            } else {
                listening = false;
            }
            unsettled.decrementAndGet();
        });
    }

    /** A count committed in the database, from a notification or a read. */
    void seen(long generation) {
        latest.accumulateAndGet(generation, Math::max);
    }

    /**
     * The listener is subscribed and read {@code generation} after subscribing: every later commit reaches it as a
     * notification, so reads may take the count from memory. Coming from not listening, the kept documents are dropped.
     */
    void listening(long generation) {
        if (!listening) {
            rendered.clear();
            subscriptions.increment();
        }
        seen(generation);
        listening = true;
    }

    /** The listener lost its connection (or is stopping): notifications may be missed, reads ask the database. */
    void notListening() {
        listening = false;
    }

    boolean isListening() {
        return listening;
    }

    static long generation(RowSet<Row> rows) {
        return rows.iterator().next().getLong(0);
    }
}
