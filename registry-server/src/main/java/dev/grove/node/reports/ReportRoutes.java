package dev.grove.node.reports;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsa;
import dev.grove.blind.BlindRsaPrivateKey;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.crypto.Sha256;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.BodyReader;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import dev.grove.node.http.TrustedProxies;
import dev.grove.node.problem.ReportRefused;
import dev.grove.node.problem.ReportRefused.Reason;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Future;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anonymous benefit reports (docs/protocol.md, "Anonymous reports"):
 * <ul>
 *   <li>{@code GET /v1/reports/issuer}: the token issuer's public key, the randomized response's epsilon and the minimum;</li>
 *   <li>{@code POST /v1/reports/tokens}: blind-signs a blinded token message, rate-limited per client without keeping
 *       who asked ({@link IssuanceLimiter});</li>
 *   <li>{@code POST /v1/reports}: one report, carried by one unspent token, stored with its day only;</li>
 *   <li>{@code GET /v1/reports/{digest}}: a version's aggregates, once it has the minimum number of reports.</li>
 * </ul>
 * None of these handlers logs anything about a request, and the only header read is {@code X-Forwarded-For} from a
 * trusted proxy's connection, for the token limit ({@link TrustedProxies}); the access log never carries the client's
 * address. The limit is this process's: N processes of one node behind a load balancer allow N times the rate. The issuer key is loaded (or created) on a worker when the module is built; blind signing runs on a worker
 * (an RSA private operation is too slow for an event loop).
 */
public final class ReportRoutes implements RouteModule {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRoutes.class);
    /** A report is well under a kilobyte (its token about 450 bytes); a token request about 350 bytes. */
    static final int MAX_REPORT_BYTES = 4096;
    static final int MAX_TOKEN_REQUEST_BYTES = 2048;

    private final Vertx vertx;
    private final ReportStore store;
    private final ReportSettings settings;
    private final IssuanceLimiter limiter;
    private final TrustedProxies proxies;
    private final ReportMetrics metrics;
    private final Future<Issuer> issuer;
    private final Future<Representation> issuerDocument;
    private final RandomizedResponse rr = RandomizedResponse.standard();
    private final SecureRandom random = new SecureRandom();

    private ReportRoutes(Vertx vertx, Pool pool, Path dataDir, ReportSettings settings, MeterRegistry meters,
                         TrustedProxies proxies) {
        this.vertx = vertx;
        this.proxies = proxies;
        this.store = new ReportStore(vertx, pool);
        this.settings = settings;
        this.limiter = new IssuanceLimiter(settings, System::nanoTime);
        this.metrics = new ReportMetrics(meters);
        this.issuer = vertx.executeBlocking(() -> new Issuer(IssuerKeyFile.loadOrCreate(dataDir)), false);
        this.issuerDocument = issuer.map(i -> Representation.json(i.document(rr.epsilon(), settings.minimumReports())));
        issuer.onFailure(e -> LOG.error("cannot load or create the report issuer key; reports are refused", e));
    }

    /**
     * The routes with the node's report settings and its issuer key in its data directory; the token limit counts per
     * client as {@code proxies} tell it.
     */
    public static ReportRoutes open(NodeServices services, ReportSettings settings, TrustedProxies proxies) {
        return new ReportRoutes(services.vertx(), services.pool(), services.dataDir(), settings, services.meters(),
                proxies);
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/reports/issuer").handler(this::issuer);
        router.post("/v1/reports/tokens").handler(BodyReader.json(MAX_TOKEN_REQUEST_BYTES))
                .handler(this::token);
        router.post("/v1/reports").handler(BodyReader.json(MAX_REPORT_BYTES))
                .handler(this::report);
        router.get("/v1/reports/:digest").handler(this::summary);
    }

    private void issuer(RoutingContext ctx) {
        issuerDocument.onSuccess(doc -> doc.send(ctx, Representation.IDENTITY)).onFailure(ctx::fail);
    }

    private void token(RoutingContext ctx) {
        long wait = limiter.acquire(clientAddress(ctx));
        if (wait > 0) {
            metrics.rateLimited();
            ctx.fail(ProblemException.of(429, "too many report tokens asked from this address; ask again in " + wait
                    + " s").withHeader("Retry-After", String.valueOf(wait)));
            return;
        }
        JsonObject body = jsonBody(ctx, ProblemException::badRequest);
        Optional<String> unknown = body.fieldNames().stream().filter(f -> !f.equals("blindedMessage")).sorted()
                .findFirst();
        if (unknown.isPresent()) {
            throw badTokenRequest(unknown.get(), "is not a token request field; send only blindedMessage");
        }
        Object text = body.getValue("blindedMessage");
        if (!(text instanceof String s)) {
            throw badTokenRequest("blindedMessage", text == null ? "is missing" : "must be a string");
        }
        byte[] blinded;
        try {
            blinded = Base64Url.decode(s);
        } catch (IllegalArgumentException e) {
            throw badTokenRequest("blindedMessage", "must be unpadded base64url: " + e.getMessage());
        }
        issuer.compose(i -> {
            if (blinded.length != i.publicKey.modulusBytes()) {
                return Future.failedFuture(badTokenRequest("blindedMessage", "must be " + i.publicKey.modulusBytes()
                        + " bytes for this issuer's key, not " + blinded.length));
            }
            return vertx.executeBlocking(() -> {
                try {
                    return BlindRsa.blindSign(i.privateKey, blinded, random);
                } catch (BlindSignatureException e) {
                    throw badTokenRequest("blindedMessage", e.getMessage());
                }
            }, false).map(sig -> new JsonObject().put("keyId", i.keyId).put("blindSignature", Base64Url.encode(sig)));
        }).onSuccess(reply -> {
            metrics.issued();
            ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(reply.encode());
        }).onFailure(ctx::fail);
    }

    private void report(RoutingContext ctx) {
        ReportRequest report;
        try {
            report = ReportRequest.parse(jsonBody(ctx, detail -> new ReportRefused(Reason.MALFORMED, detail)));
        } catch (ReportRefused e) {
            metrics.refused(e.reason());
            throw e;
        }
        issuer.compose(i -> {
            ReportToken token = report.token();
            if (!token.keyId().equals(i.keyId)) {
                return Future.failedFuture(new ReportRefused(Reason.UNKNOWN_KEY, "token.keyId", "the token's keyId "
                        + "is not this node's issuer key " + i.keyId + "; get a token from POST /v1/reports/tokens"));
            }
            String format = ReportTokens.formatProblem(token.message());
            if (!format.isEmpty()) {
                return Future.failedFuture(ReportRequest.bad(Reason.MALFORMED_TOKEN, "token.message", format));
            }
            if (!BlindRsa.verify(i.publicKey, token.message(), token.signature())) {
                return Future.failedFuture(new ReportRefused(Reason.UNSIGNED_TOKEN, "token.signature",
                        "the token's signature does not verify with this node's issuer key " + i.keyId));
            }
            return store.accept(report, Sha256.of(token.message()));
        }).onSuccess(v -> {
            metrics.accepted();
            ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store").end("{\"accepted\":true}");
        }).onFailure(e -> {
            if (e instanceof ReportRefused refused) {
                metrics.refused(refused.reason());
            }
            ctx.fail(e);
        });
    }

    private void summary(RoutingContext ctx) {
        String text = ctx.pathParam("digest");
        Sha256 digest;
        try {
            digest = Sha256.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + text + "' is not a package digest (sha256: and 64 lowercase hex "
                    + "digits)").with("field", "digest");
        }
        store.packageExists(digest).compose(exists -> exists ? store.aggregates(digest)
                        : Future.failedFuture(ProblemException.notFound("no version on this node has the package digest "
                        + digest)))
                // new reports change it: revalidated at each use
                .onSuccess(cells -> Representation.json(ReportSummary.of(digest.toString(), cells,
                        settings.minimumReports(), rr)).send(ctx, Representation.REVALIDATE))
                .onFailure(ctx::fail);
    }

    /** The body as a JSON object; otherwise fails with what {@code refusal} makes of the detail. */
    private static JsonObject jsonBody(RoutingContext ctx, Function<String, RuntimeException> refusal) {
        if (ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw refusal.apply("the request body is empty; send a JSON object");
        }
        try {
            Object value = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (value instanceof JsonObject o) {
                return o;
            }
        } catch (DecodeException e) {
            throw refusal.apply("the request body is not valid JSON");
        }
        throw refusal.apply("the request body must be a JSON object");
    }

    /** A token request refused because of {@code field} (no {@code reason}: only reports carry one). */
    private static ProblemException badTokenRequest(String field, String what) {
        return ProblemException.badRequest("'" + field + "' " + what).with("field", field);
    }

    /** Used only as the limiter's input, hashed there under a secret that is never stored. */
    /** Read for the limiter only: it keys an HMAC with it in memory, and nothing keeps it. */
    private String clientAddress(RoutingContext ctx) {
        return proxies.clientAddress(ctx.request());
    }

    /** The issuer key and its public document. */
    private static final class Issuer {
        final BlindRsaPrivateKey privateKey;
        final BlindRsaPublicKey publicKey;
        final String keyId;

        Issuer(BlindRsaPrivateKey privateKey) {
            this.privateKey = privateKey;
            this.publicKey = privateKey.publicKey();
            this.keyId = publicKey.keyId();
        }

        JsonObject document(double epsilon, int minimum) {
            return new JsonObject().put("suite", BlindRsa.SUITE).put("keyId", keyId)
                    .put("n", Base64Url.encode(publicKey.modulusBytesMinimal()))
                    .put("e", Base64Url.encode(publicKey.exponentBytesMinimal()))
                    .put("epsilon", epsilon).put("minimumReports", minimum);
        }
    }
}
