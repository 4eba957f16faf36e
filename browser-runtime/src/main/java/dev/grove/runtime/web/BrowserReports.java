package dev.grove.runtime.web;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsa;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.blind.RandomBytes;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import java.util.HashMap;
import java.util.Map;

/**
 * The browser's side of an anonymous report, behind {@link GroveRuntime}'s report exports: a token is begun from the
 * node's issuer document (blinded here, so the node never sees the message it signs), finished with the node's blind
 * signature (unblinded and verified here), and the yes/no answer randomized here with Grove's epsilon. Randomness comes
 * from the caller ({@code crypto.getRandomValues} in the browser). Results are JSON strings, as the other exports'.
 */
final class BrowserReports {

    private static final Map<Integer, ReportTokens.Request> REQUESTS = new HashMap<>();
    private static int next = 1;

    private BrowserReports() {
    }

    /**
     * Starts a token from the issuer document {@code {"suite","keyId","n","e","epsilon",...}}. Refuses a document whose
     * key id is not its key's (a node could otherwise hand each visitor a different key under one id) or whose epsilon is
     * not the one this runtime randomizes with.
     *
     * @return {@code {"ok":true,"request":id,"keyId","blindedMessage"}} or {@code {"ok":false,"error"}}
     */
    static String begin(String issuerDocument, RandomBytes random) {
        try {
            JsonObject doc = Json.parseObject(issuerDocument);
            if (!BlindRsa.SUITE.equals(doc.string("suite"))) {
                return error("the node's token suite is " + doc.string("suite") + ", not " + BlindRsa.SUITE);
            }
            BlindRsaPublicKey key = BlindRsaPublicKey.fromBytes(Base64Url.decode(doc.string("n")),
                    Base64Url.decode(doc.string("e")));
            if (!key.keyId().equals(doc.string("keyId"))) {
                return error("the issuer's keyId " + doc.string("keyId") + " is not the id of its key, "
                        + key.keyId());
            }
            double epsilon = doc.number("epsilon");
            if (Math.abs(epsilon - RandomizedResponse.EPSILON) > 1e-9) {
                return error("the node corrects for epsilon " + epsilon + ", this runtime randomizes with "
                        + RandomizedResponse.EPSILON);
            }
            ReportTokens.Request request = ReportTokens.request(key, random);
            int id = next++;
            REQUESTS.put(id, request);
            return Json.write(JsonObject.builder().put("ok", true).put("request", id).put("keyId", key.keyId())
                    .put("blindedMessage", Base64Url.encode(request.blindedMessage())).build());
        } catch (JsonException | IllegalArgumentException | BlindSignatureException e) {
            return error("issuer document: " + e.getMessage());
        }
    }

    /**
     * Finishes a token with the node's blind signature (unpadded base64url); the request is forgotten either way.
     *
     * @return {@code {"ok":true,"token":{"keyId","message","signature"}}} or {@code {"ok":false,"error"}}
     */
    static String finish(int requestId, String blindSignature) {
        ReportTokens.Request request = REQUESTS.remove(requestId);
        if (request == null) {
            return error("no token request " + requestId);
        }
        try {
            ReportToken token = request.finish(Base64Url.decode(blindSignature));
            return Json.write(JsonObject.builder().put("ok", true).put("token", JsonObject.builder()
                    .put("keyId", token.keyId()).put("message", token.messageBase64Url())
                    .put("signature", token.signatureBase64Url()).build()).build());
        } catch (IllegalArgumentException | BlindSignatureException e) {
            return error("blind signature: " + e.getMessage());
        }
    }

    /** The answer to send for the true answer {@code truth}: kept with probability e^ε/(1+e^ε), else flipped. */
    static boolean randomize(boolean truth, RandomBytes random) {
        byte[] b = new byte[7];
        random.fill(b);
        long bits = 0;
        for (byte x : b) {
            bits = bits << 8 | (x & 0xff);
        }
        double uniform = (bits >>> 3) * 0x1.0p-53; // 53 random bits: uniform in [0, 1)
        return RandomizedResponse.standard().randomize(truth, uniform);
    }

    private static String error(String message) {
        return Json.write(JsonObject.builder().put("ok", false).put("error", message).build());
    }
}
