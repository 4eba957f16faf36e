// Prepares the anonymous-report benchmark (see reports.sh). Java 17 single-file program, run against the node's shaded
// jar:
//
//   java -cp cli/target/grove.jar registry-server/bench/PrepareReports.java \
//        --node http://127.0.0.1:PORT --version-path /v1/packages/NS/NAME/versions/V --tokens N --out DIR [--threads T] [--blinded M]
//
// Gets N report tokens from the node the way a browser does (blinds a fresh message, POST /v1/reports/tokens, unblinds
// and verifies the blind signature) on T threads, and writes into DIR:
//   reports.jsonl  N report bodies, one per token (never the same token twice), for POST /v1/reports: simulated honest
//                  visitors, 70% of them helped, each answer randomized with RandomizedResponse (epsilon ln 3)
//   blinded.jsonl  M token requests {"blindedMessage": ...} for the issuance run (the node signs any blinded message)
//   package.digest the package digest of the version at PATH, which every report is about
//   prepare.txt    "tokens N seconds S" : the end-to-end issuance rate as a client sees it (blinding and finishing
//                  included), one line
// Exits non-zero when any token request is refused or any token fails to verify.

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class PrepareReports {

    static final String[] RUNTIMES = {"wasm", "js"};
    static final String[] DEVICES = {"phone", "desktop", "tablet", "other"};

    public static void main(String[] args) throws Exception {
        String node = null;
        String versionPath = null;
        Path out = null;
        int tokens = 10_000;
        int threads = 2;
        int blindedCount = 2_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--node" -> node = args[++i].replaceAll("/+$", "");
                case "--version-path" -> versionPath = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--blinded" -> blindedCount = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (node == null || versionPath == null || out == null || tokens < 1 || threads < 1) {
            throw new IllegalArgumentException("usage: --node URL --version-path PATH --tokens N --out DIR "
                    + "[--threads T] [--blinded M]");
        }
        Files.createDirectories(out);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonObject issuer = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(node + "/v1/reports/issuer"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        BlindRsaPublicKey key = BlindRsaPublicKey.fromBytes(Base64Url.decode(issuer.getString("n")),
                Base64Url.decode(issuer.getString("e")));
        if (!key.keyId().equals(issuer.getString("keyId"))) {
            throw new IllegalStateException("the issuer's keyId is not its key's");
        }
        SecureRandom random = new SecureRandom();
        String digest = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(node + versionPath)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).getString("digest");
        Files.writeString(out.resolve("package.digest"), digest);

        List<String> blinded = new ArrayList<>();
        for (int i = 0; i < blindedCount; i++) {
            blinded.add(new JsonObject().put("blindedMessage",
                    Base64Url.encode(ReportTokens.request(key, random::nextBytes).blindedMessage())).encode());
        }
        Files.write(out.resolve("blinded.jsonl"), blinded, StandardCharsets.UTF_8);

        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<ReportToken>>> parts = new ArrayList<>();
        String base = node;
        for (int t = 0; t < threads; t++) {
            int share = tokens / threads + (t < tokens % threads ? 1 : 0);
            parts.add(pool.submit(() -> {
                List<ReportToken> mine = new ArrayList<>(share);
                for (int i = 0; i < share; i++) {
                    ReportTokens.Request request = ReportTokens.request(key, random::nextBytes);
                    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/reports/tokens"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("blindedMessage",
                                    Base64Url.encode(request.blindedMessage())).encode())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (reply.statusCode() != 200) {
                        throw new IllegalStateException("token request answered " + reply.statusCode() + ": "
                                + reply.body());
                    }
                    mine.add(request.finish(Base64Url.decode(new JsonObject(reply.body()).getString("blindSignature"))));
                }
                return mine;
            }));
        }
        List<ReportToken> all = new ArrayList<>(tokens);
        for (Future<List<ReportToken>> part : parts) {
            all.addAll(part.get());
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        RandomizedResponse rr = RandomizedResponse.standard();
        List<String> reports = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            ReportToken token = all.get(i);
            boolean truth = random.nextDouble() < 0.7;
            reports.add(new JsonObject()
                    .put("token", new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                            .put("signature", token.signatureBase64Url()))
                    .put("package", digest).put("helped", rr.randomize(truth, random.nextDouble()))
                    .put("rating", 1 + random.nextInt(5)).put("latencyMs", 5 + random.nextInt(200))
                    .put("runtime", RUNTIMES[i % RUNTIMES.length]).put("device", DEVICES[i % DEVICES.length]).encode());
        }
        Files.write(out.resolve("reports.jsonl"), reports, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("prepare.txt"), String.format("tokens %d seconds %.2f%n", all.size(), seconds));
        System.out.printf("prepared %d tokens in %.1f s (%.0f/s end to end on %d threads), %d blinded requests%n",
                all.size(), seconds, all.size() / seconds, threads, blinded.size());
    }
}
