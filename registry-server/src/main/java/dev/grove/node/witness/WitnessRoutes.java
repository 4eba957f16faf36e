package dev.grove.node.witness;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.BodyReader;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;

/**
 * The witness's HTTP side:
 * <ul>
 *   <li>{@code POST /witness/add-checkpoint}: c2sp.org/tlog-witness. 200 with the cosignature line(s),
 *       {@code text/plain; charset=utf-8}; 409 with the witness's latest cosigned size as {@code text/x.tlog.size}; other
 *       refusals (400, 403, 404, 422) as problem documents with the spec's status.</li>
 *   <li>{@code GET /.well-known/grove/witness-key}: the witness's verifier key, one line of text.</li>
 * </ul>
 */
public final class WitnessRoutes implements RouteModule {

    /** The add-checkpoint path (the node's witness submission prefix is {@link WitnessEndpoint#NODE_PREFIX}). */
    public static final String ADD_CHECKPOINT = WitnessEndpoint.NODE_PREFIX + "/add-checkpoint";
    public static final String KEY_PATH = "/.well-known/grove/witness-key";
    /** The media type of a 409's body (c2sp.org/tlog-witness). */
    public static final String SIZE_MEDIA_TYPE = "text/x.tlog.size";

    /** An add-checkpoint request is a few hundred bytes to a few kilobytes: the old size, a proof of at most 63 lines, a note. */
    private static final long MAX_REQUEST_BYTES = 64 * 1024;

    private final Witness witness;

    public WitnessRoutes(Witness witness) {
        this.witness = Objects.requireNonNull(witness, "witness");
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        // text, not JSON (c2sp.org/tlog-witness)
        router.post(ADD_CHECKPOINT).handler(BodyReader.text(MAX_REQUEST_BYTES)).handler(this::addCheckpoint);
        router.get(KEY_PATH).handler(this::key);
    }

    private void addCheckpoint(RoutingContext ctx) {
        AddCheckpointRequest request;
        try {
            request = AddCheckpointRequest.parse(ctx.body().buffer() == null ? new byte[0]
                    : ctx.body().buffer().getBytes());
        } catch (WitnessException e) {
            ctx.fail(toProblem(e));
            return;
        }
        witness.addCheckpoint(request).onComplete(done -> {
            if (done.succeeded()) {
                ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                        .putHeader("Cache-Control", "no-store")
                        .end(done.result().line() + "\n");
            } else if (done.cause() instanceof WitnessException e && e.status() == 409 && e.knownSize().isPresent()) {
                ctx.response().setStatusCode(409).putHeader("Content-Type", SIZE_MEDIA_TYPE)
                        .putHeader("Cache-Control", "no-store")
                        .end(e.knownSize().getAsLong() + "\n");
            } else if (done.cause() instanceof WitnessException e) {
                ctx.fail(toProblem(e));
            } else {
                ctx.fail(done.cause());
            }
        });
    }

    private void key(RoutingContext ctx) {
        witness.key().onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            Representation.text(done.result().verifier() + "\n").send(ctx, Representation.IDENTITY);
        });
    }

    private static ProblemException toProblem(WitnessException e) {
        return ProblemException.of(e.status(), e.getMessage());
    }
}
