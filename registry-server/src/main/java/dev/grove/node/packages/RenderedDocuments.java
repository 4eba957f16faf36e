package dev.grove.node.packages;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Version documents as last rendered, served again while nothing they show has changed. What they show lives in
 * several tables; every write to it moves a counter in the database at commit (migration V009; in stripes since V015, summed here), so a read asks for
 * that counter (one indexed row) instead of rendering the document again from four to six queries. Exact: a document
 * is reused only under the counter value read before it was rendered, so any write committed since makes it stale.
 * Shared by the node's event loops.
 */
final class RenderedDocuments {

    private static final String GENERATION = "SELECT sum(generation)::bigint FROM version_documents_generation";

    /**
     * Beyond this many documents (a few kB each) the whole set is dropped: a bound on memory, not a policy, since a
     * dropped document is only rendered again.
     */
    static final int MAX_DOCUMENTS = 2_048;

    private record Rendered(long generation, byte[] json) {
    }

    private final SqlClient client;
    private final ConcurrentHashMap<String, Rendered> rendered = new ConcurrentHashMap<>();
    private final Counter reused;
    private final Counter renders;

    RenderedDocuments(SqlClient client, MeterRegistry metrics) {
        this.client = client;
        this.reused = counter(metrics, "reused");
        this.renders = counter(metrics, "rendered");
    }

    private static Counter counter(MeterRegistry metrics, String result) {
        return Counter.builder("grove.version.documents")
                .description("Version documents served: reused as last rendered, or rendered from the database")
                .tag("result", result).register(metrics);
    }

    /** The JSON of the document under {@code key}, rendered by {@code render} unless the one rendered last is current. */
    Future<Buffer> get(String key, Supplier<Future<JsonObject>> render) {
        return client.query(GENERATION).execute().compose(rows -> {
            long generation = rows.iterator().next().getLong(0);
            Rendered last = rendered.get(key);
            if (last != null && last.generation() == generation) {
                reused.increment();
                return Future.succeededFuture(Buffer.buffer(last.json()));
            }
            return render.get().map(doc -> {
                renders.increment();
                Buffer json = doc.toBuffer();
                if (rendered.size() >= MAX_DOCUMENTS) {
                    rendered.clear();
                }
                // a newer render (under a higher generation) is never replaced by an older one
                rendered.merge(key, new Rendered(generation, json.getBytes()),
                        (old, mine) -> old.generation() > mine.generation() ? old : mine);
                return json;
            });
        });
    }
}
