package dev.grove.node.reports;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.node.testing.NodeHttp;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;

/** A report sender for tests: gets tokens from a node the way a browser does and builds report bodies. */
final class ReportClient {

    private static final SecureRandom RANDOM = new SecureRandom();

    final NodeHttp http;
    final JsonObject issuerDocument;
    final BlindRsaPublicKey issuer;

    ReportClient(NodeHttp http) {
        this.http = http;
        NodeHttp.Reply reply = http.get("/v1/reports/issuer");
        if (reply.status() != 200) {
            throw new IllegalStateException("issuer: " + reply);
        }
        issuerDocument = reply.json();
        issuer = BlindRsaPublicKey.fromBytes(Base64Url.decode(issuerDocument.getString("n")),
                Base64Url.decode(issuerDocument.getString("e")));
    }

    /** A token from the node (blinded, signed, finished). */
    ReportToken token() {
        try {
            ReportTokens.Request request = ReportTokens.request(issuer, RANDOM::nextBytes);
            NodeHttp.Reply reply = http.post("/v1/reports/tokens", new JsonObject()
                    .put("blindedMessage", Base64Url.encode(request.blindedMessage())).encode());
            if (reply.status() != 200) {
                throw new IllegalStateException("token: " + reply);
            }
            return request.finish(Base64Url.decode(reply.json().getString("blindSignature")));
        } catch (BlindSignatureException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject tokenJson(ReportToken token) {
        return new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                .put("signature", token.signatureBase64Url());
    }

    static JsonObject report(ReportToken token, String digest, boolean helped, String runtime, String device) {
        return new JsonObject().put("token", tokenJson(token)).put("package", digest).put("helped", helped)
                .put("rating", 4).put("latencyMs", 37).put("runtime", runtime).put("device", device);
    }

    NodeHttp.Reply send(JsonObject report) {
        return http.post("/v1/reports", report.encode());
    }
}
