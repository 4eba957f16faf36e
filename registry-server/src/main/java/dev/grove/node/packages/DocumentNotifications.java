package dev.grove.node.packages;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgNotification;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one connection that listens for the version documents' count ({@code LISTEN grove_version_documents},
 * migration V015) and tells {@link RenderedDocuments} each count committed. The order on (re)connecting is what keeps
 * reads exact: subscribe first, then read the count through the same connection, and only then let reads take the
 * count from memory; every commit after the read arrives as a notification. A lost connection (closed, or silent
 * beyond {@link #HEARTBEAT} twice) sends reads back to the database at once and is opened again with growing pauses.
 * The connection is named {@value #APPLICATION_NAME} in {@code pg_stat_activity}.
 */
final class DocumentNotifications extends VerticleBase {

    static final String CHANNEL = "grove_version_documents";
    static final String APPLICATION_NAME = "grove-version-documents";
    /** How often the connection is asked for the count: a check that it still answers, and that nothing was missed. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final long FIRST_RETRY_MS = 100;
    private static final long LAST_RETRY_MS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(DocumentNotifications.class);

    private final PgConnectOptions options;
    private final RenderedDocuments documents;
    private PgConnection connection;
    private long retryMs = FIRST_RETRY_MS;
    private long heartbeat = -1;
    private boolean stopping;

    DocumentNotifications(PgConnectOptions database, RenderedDocuments documents) {
        this.options = new PgConnectOptions(database).addProperty("application_name", APPLICATION_NAME);
        this.documents = documents;
    }

    @Override
    public Future<?> start() {
        connect();
        heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> check());
        return Future.succeededFuture(); // until it listens, reads ask the database: nothing waits for it
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        documents.notListening();
        vertx.cancelTimer(heartbeat);
        PgConnection open = connection;
        connection = null;
        return open == null ? Future.succeededFuture() : open.close();
    }

    private void connect() {
        if (stopping) {
            return;
        }
        PgConnection.connect(vertx, options).compose(opened -> {
            if (stopping) {
                return opened.close().transform(ignored -> Future.failedFuture("stopping"));
            }
            connection = opened;
            opened.notificationHandler(this::notified);
            opened.closeHandler(v -> lost(opened));
            return opened.query("LISTEN " + CHANNEL).execute()
                    .compose(listening -> opened.query(RenderedDocuments.GENERATION).execute())
                    .map(rows -> {
                        documents.listening(RenderedDocuments.generation(rows));
                        retryMs = FIRST_RETRY_MS;
                        LOG.info("version documents follow the database's notifications");
                        return opened;
                    })
                    .onFailure(e -> {
                        connection = null; // its close is not a loss to retry after: the failure below retries
                        opened.close();
                    });
        }).onFailure(e -> {
            if (!stopping) {
                LOG.warn("cannot listen for version document changes ({}); reads ask the database, retrying in {} ms",
                        e.getMessage(), retryMs);
                retry();
            }
        });
    }

    private void notified(PgNotification notification) {
        if (!CHANNEL.equals(notification.getChannel())) {
            return;
        }
        try {
            documents.seen(Long.parseLong(notification.getPayload()));
        } catch (NumberFormatException e) {
            // not a count: something changed, but not said what; read the count rather than guess
            check();
        }
    }

    private void lost(PgConnection closed) {
        if (closed != connection) {
            return;
        }
        connection = null;
        documents.notListening();
        if (!stopping) {
            LOG.warn("lost the connection that listens for version document changes; reads ask the database until "
                    + "it is back");
            retry();
        }
    }

    private void retry() {
        long delay = retryMs;
        retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
        vertx.setTimer(delay, id -> connect());
    }

    /**
     * Reads the count through the listening connection: confirms it answers (one that stays silent beyond the next
     * heartbeat is closed, and so opened again) and lets reads take the count from memory again after a write's count
     * could not be read back.
     */
    private void check() {
        PgConnection open = connection;
        if (open == null) {
            return;
        }
        boolean[] answered = new boolean[1];
        long timeout = vertx.setTimer(HEARTBEAT.toMillis(), id -> {
            if (!answered[0] && open == connection) {
                LOG.warn("the connection that listens for version document changes does not answer; reopening it");
                documents.notListening();
                open.close();
            }
        });
        open.query(RenderedDocuments.GENERATION).execute().onComplete(read -> {
            answered[0] = true;
            vertx.cancelTimer(timeout);
            if (read.succeeded() && open == connection) {
                documents.listening(RenderedDocuments.generation(read.result()));
            }
        });
    }
}
