package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.crypto.StrictBase64;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import dev.grove.tlog.ConsistencyProof;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the configured witnesses to cosign this node's latest checkpoint (the client side of c2sp.org/tlog-witness) and
 * stores each cosignature that verifies with the witness's configured key, for {@link CosignatureStore} to serve.
 *
 * <p>For each witness it sends {@code old <size>} = the size that witness last cosigned for this log
 * ({@code witness_requests}, 0 at first) with a consistency proof from that size. On 409 it reads the witness's size from
 * the body and retries once from that size. Every other failure is logged (status and the witness's detail, never a key)
 * and the witness is asked again after a pause that doubles up to 5 minutes. Runs are coalesced: a call while one runs makes one more run afterwards, so at most
 * one request per witness is in flight. Nothing here blocks the event loop.
 */
public final class CosignatureCollector {

    private static final Logger LOG = LoggerFactory.getLogger(CosignatureCollector.class);

    /** How long one add-checkpoint request may take. */
    static final long REQUEST_TIMEOUT_MS = 10_000;
    /** Most bytes read of a witness's answer. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** Longest pause before a failing witness is asked again. */
    static final long MAX_BACKOFF_MS = 300_000;

    private static final String SELECT_SIZE = "SELECT size FROM witness_requests WHERE witness = $1";
    private static final String UPSERT_SIZE = """
            INSERT INTO witness_requests (witness, size) VALUES ($1, $2)
            ON CONFLICT (witness) DO UPDATE SET size = EXCLUDED.size, updated_at = now()""";
    private static final String HAS_COSIGNATURE = """
            SELECT 1 FROM checkpoint_cosignatures WHERE size = $1 AND root = $2 AND witness = $3""";

    private final Pool pool;
    private final LogCheckpoints log;
    private final List<WitnessEndpoint> witnesses;
    private final CosignatureStore cosignatures;
    private final WebClient client;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
    /** The checkpoint ("size root") every witness has cosigned, so the periodic look costs one query. */
    private volatile String lastComplete = "";

    /** After {@code failures} failures in a row a witness is asked again only after 2^(failures-1) s, at most 5 min. */
    private record Backoff(int failures, long notBefore) {
        Backoff scheduled(long now) {
            long delay = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(failures - 1, 20));
            return new Backoff(failures, now + delay);
        }
    }

    public CosignatureCollector(Vertx vertx, Pool pool, LogCheckpoints log, List<WitnessEndpoint> witnesses,
                                CosignatureStore cosignatures) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.log = Objects.requireNonNull(log, "log");
        this.witnesses = List.copyOf(witnesses);
        this.cosignatures = Objects.requireNonNull(cosignatures, "cosignatures");
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(5_000)
                .setKeepAlive(true)
                .setFollowRedirects(false)
                .setUserAgent("grove-witness-client"));
    }

    /** The witnesses asked. */
    public List<WitnessEndpoint> witnesses() {
        return witnesses;
    }

    /**
     * Asks every witness to cosign the log's latest checkpoint (the log calls this after it issued one). Completes when
     * every witness answered or failed; never fails. A call during a run schedules one more run after it.
     */
    public Future<Void> collect() {
        if (witnesses.isEmpty()) {
            return Future.succeededFuture();
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Future.succeededFuture();
        }
        return runOnce().eventually(() -> {
            running.set(false);
            return again.getAndSet(false) ? collect() : Future.succeededFuture();
        });
    }

    private Future<Void> runOnce() {
        return log.latest().compose(latest -> {
            if (latest.isEmpty()) {
                return Future.<Void>succeededFuture();
            }
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.parse(latest.get().text());
            } catch (CheckpointException e) {
                LOG.error("the log's latest checkpoint does not parse: {}", e.getMessage());
                return Future.<Void>succeededFuture();
            }
            if (checkpoint.size() == 0) {
                return Future.<Void>succeededFuture(); // the empty tree: nothing to witness yet
            }
            String id = checkpoint.size() + " " + StrictBase64.encode(checkpoint.rootHash());
            if (id.equals(lastComplete)) {
                return Future.<Void>succeededFuture();
            }
            List<Future<Void>> asks = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (WitnessEndpoint w : witnesses) {
                Backoff b = backoff.get(w.key().toString());
                if (b != null && now < b.notBefore) {
                    continue;
                }
                asks.add(ask(w, latest.get(), checkpoint).onSuccess(v -> backoff.remove(w.key().toString())).recover(e -> {
                    Backoff next = backoff.merge(w.key().toString(), new Backoff(1, 0), (old, one) -> new Backoff(
                            old.failures + 1, 0)).scheduled(System.currentTimeMillis());
                    backoff.put(w.key().toString(), next);
                    LOG.warn("witness {} did not cosign checkpoint {} (failure {}, next try in {} s): {}", w.name(),
                            checkpoint.size(), next.failures, (next.notBefore - System.currentTimeMillis()) / 1000,
                            e.getMessage());
                    return Future.succeededFuture();
                }));
            }
            return Future.join(asks).<Void>mapEmpty().onSuccess(v -> {
                if (asks.size() == witnesses.size() && backoff.isEmpty()) {
                    lastComplete = id; // every witness cosigned it: nothing more to do until the next checkpoint
                }
            });
        }).recover(e -> {
            LOG.warn("could not collect cosignatures: {}", e.getMessage());
            return Future.succeededFuture();
        });
    }

    private Future<Void> ask(WitnessEndpoint w, Note note, Checkpoint checkpoint) {
        String witness = w.key().toString();
        return pool.preparedQuery(HAS_COSIGNATURE)
                .execute(Tuple.of(checkpoint.size(), Buffer.buffer(checkpoint.rootHash()), witness))
                .compose(rows -> rows.size() > 0 ? Future.succeededFuture()
                        : pool.preparedQuery(SELECT_SIZE).execute(Tuple.of(witness)).compose(sizes -> {
                            long old = sizes.size() == 0 ? 0 : sizes.iterator().next().getLong(0);
                            return submit(w, note, checkpoint, old, true);
                        }));
    }

    /** One add-checkpoint request from {@code old}; on 409 with another size, one more from that size. */
    private Future<Void> submit(WitnessEndpoint w, Note note, Checkpoint checkpoint, long old, boolean mayRetry) {
        if (old > checkpoint.size()) {
            return Future.failedFuture(new IllegalStateException("the witness has cosigned size " + old
                    + ", beyond this checkpoint"));
        }
        Future<ConsistencyProof> proof = old == 0
                ? Future.succeededFuture(new ConsistencyProof(0, checkpoint.size(), List.of()))
                : log.consistency(old, checkpoint.size());
        return proof.compose(p -> client.postAbs(w.addCheckpointUrl().toString())
                        .timeout(REQUEST_TIMEOUT_MS)
                        .putHeader("Content-Type", "text/plain; charset=utf-8")
                        .sendBuffer(Buffer.buffer(new AddCheckpointRequest(old, p.hashes(), note).toBytes())))
                .compose(response -> switch (response.statusCode()) {
                    case 200 -> accept(w, note, checkpoint, response);
                    case 409 -> {
                        long known = knownSize(response);
                        if (known < 0) {
                            yield Future.failedFuture(new IllegalStateException("409 without a size: "
                                    + bodyExcerpt(response)));
                        }
                        Future<Void> remembered = rememberSize(w, known);
                        if (known == old || !mayRetry) {
                            yield remembered.compose(v -> Future.failedFuture(new IllegalStateException(
                                    "409 Conflict at witness size " + known + " (sent old size " + old + ")")));
                        }
                        LOG.info("witness {} has cosigned size {} of this log, not {}; retrying from there", w.name(),
                                known, old);
                        yield remembered.compose(v -> submit(w, note, checkpoint, known, false));
                    }
                    default -> Future.failedFuture(new IllegalStateException(response.statusCode() + " "
                            + bodyExcerpt(response)));
                });
    }

    /** Checks the 200's cosignature with the witness's configured key, stores it and the witness's new size. */
    private Future<Void> accept(WitnessEndpoint w, Note note, Checkpoint checkpoint, HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() > MAX_RESPONSE_BYTES) {
            return Future.failedFuture(new IllegalStateException("200 with an empty or oversized body"));
        }
        NoteSignature line;
        Cosignature cosignature;
        try {
            List<NoteSignature> lines = NoteLines.parse(note.text(), body.toString(StandardCharsets.UTF_8));
            Note cosigned = Note.of(note.text(), lines);
            cosignature = Cosignature.verify(cosigned, w.key());
            line = lines.stream().filter(w.key()::isKeyOf).findFirst().orElseThrow();
        } catch (NoteException | IllegalArgumentException e) {
            return Future.failedFuture(new IllegalStateException("its answer has no valid cosignature by "
                    + w.key() + ": " + e.getMessage()));
        }
        return cosignatures.store(checkpoint, w.key().toString(), line, cosignature.timestamp())
                .compose(v -> rememberSize(w, checkpoint.size()))
                .onSuccess(v -> LOG.info("witness {} cosigned checkpoint {}", w.name(), checkpoint.size()));
    }

    private Future<Void> rememberSize(WitnessEndpoint w, long size) {
        return pool.preparedQuery(UPSERT_SIZE).execute(Tuple.of(w.key().toString(), size)).mapEmpty();
    }

    /** The size in a 409's {@code text/x.tlog.size} body, or -1. */
    private static long knownSize(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null || body.length() > 32) {
            return -1;
        }
        String text = body.toString(StandardCharsets.US_ASCII);
        if (!text.endsWith("\n") || !text.strip().matches("0|[1-9][0-9]{0,18}")) {
            return -1;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String bodyExcerpt(HttpResponse<Buffer> response) {
        Buffer body = response.body();
        if (body == null) {
            return "(no body)";
        }
        String text = body.getString(0, Math.min(body.length(), 300), "UTF-8").replaceAll("\\p{Cntrl}", " ");
        return text;
    }

    /** Closes the HTTP client. */
    public void close() {
        client.close();
    }
}
