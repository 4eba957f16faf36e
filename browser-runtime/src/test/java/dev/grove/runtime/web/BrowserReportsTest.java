package dev.grove.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsa;
import dev.grove.blind.BlindRsaPrivateKey;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.RandomBytes;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The logic behind GroveRuntime's report exports, on the JVM: the same Java the TeaVM builds run. */
class BrowserReportsTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static BlindRsaPrivateKey issuer;
    static BlindRsaPrivateKey other;

    @BeforeAll
    static void keys() {
        BlindRsaPrivateKey a = BlindRsaPrivateKey.generate(2048, RANDOM);
        BlindRsaPrivateKey b = BlindRsaPrivateKey.generate(2048, RANDOM);
        boolean aSmaller = a.publicKey().modulus().compareTo(b.publicKey().modulus()) < 0;
        issuer = aSmaller ? a : b;
        other = aSmaller ? b : a;
    }

    static String issuerDocument(BlindRsaPublicKey key, String keyId, double epsilon) {
        return Json.write(JsonObject.builder().put("suite", BlindRsa.SUITE).put("keyId", keyId)
                .put("n", Base64Url.encode(key.modulusBytesMinimal())).put("e", Base64Url.encode(key.exponentBytesMinimal()))
                .put("epsilon", epsilon).put("minimumReports", 20).build());
    }

    @Test
    void beginSignFinish_givesATokenTheIssuerAccepts() throws Exception {
        BlindRsaPublicKey pk = issuer.publicKey();
        JsonObject begun = Json.parseObject(BrowserReports.begin(issuerDocument(pk, pk.keyId(), RandomizedResponse.EPSILON),
                RANDOM::nextBytes));
        assertThat(begun.bool("ok")).as(begun.toString()).isTrue();
        assertThat(begun.string("keyId")).isEqualTo(pk.keyId());
        byte[] blindSig = BlindRsa.blindSign(issuer, Base64Url.decode(begun.string("blindedMessage")), RANDOM);
        JsonObject finished = Json.parseObject(BrowserReports.finish((int) begun.integer("request"),
                Base64Url.encode(blindSig)));
        assertThat(finished.bool("ok")).as(finished.toString()).isTrue();
        JsonObject t = finished.object("token");
        ReportToken token = new ReportToken(t.string("keyId"), Base64Url.decode(t.string("message")),
                Base64Url.decode(t.string("signature")));
        assertThat(token.verifies(pk)).isTrue();
        assertThat(token.message()).hasSize(ReportTokens.MESSAGE_BYTES);
        // the node saw only the blinded message, which is not the message
        assertThat(Base64Url.decode(begun.string("blindedMessage"))).isNotEqualTo(token.signature());
        // a request is finished once
        assertThat(Json.parseObject(BrowserReports.finish((int) begun.integer("request"), Base64Url.encode(blindSig)))
                .string("error")).startsWith("no token request");
    }

    @Test
    void finish_refusesABlindSignatureByAnotherKey() throws Exception {
        BlindRsaPublicKey pk = issuer.publicKey();
        JsonObject begun = Json.parseObject(BrowserReports.begin(issuerDocument(pk, pk.keyId(), RandomizedResponse.EPSILON),
                RANDOM::nextBytes));
        byte[] wrong = BlindRsa.blindSign(other, Base64Url.decode(begun.string("blindedMessage")), RANDOM);
        JsonObject finished = Json.parseObject(BrowserReports.finish((int) begun.integer("request"),
                Base64Url.encode(wrong)));
        assertThat(finished.bool("ok")).isFalse();
        assertThat(finished.string("error"))
                .isEqualTo("blind signature: the signature does not verify with the issuer's key");
    }

    @Test
    void begin_refusesAKeyIdThatIsNotTheKeysOrAnotherEpsilon() {
        BlindRsaPublicKey pk = issuer.publicKey();
        JsonObject lying = Json.parseObject(BrowserReports.begin(issuerDocument(pk, other.publicKey().keyId(),
                RandomizedResponse.EPSILON), RANDOM::nextBytes));
        assertThat(lying.bool("ok")).isFalse();
        assertThat(lying.string("error")).isEqualTo("the issuer's keyId " + other.publicKey().keyId()
                + " is not the id of its key, " + pk.keyId());
        JsonObject epsilon = Json.parseObject(BrowserReports.begin(issuerDocument(pk, pk.keyId(), 5.0),
                RANDOM::nextBytes));
        assertThat(epsilon.bool("ok")).isFalse();
        assertThat(epsilon.string("error")).startsWith("the node corrects for epsilon 5.0");
        assertThat(Json.parseObject(BrowserReports.begin("{", RANDOM::nextBytes)).string("error"))
                .startsWith("issuer document: ");
    }

    /** Seeded: over many draws the answer is kept about three times in four (e^ln3 / (1 + e^ln3)), and only then. */
    @Test
    void randomize_keepsTheAnswerWithTheStatedProbability() {
        Random seeded = new Random(7);
        RandomBytes random = seeded::nextBytes;
        int n = 40_000;
        int keptYes = 0;
        int keptNo = 0;
        for (int i = 0; i < n; i++) {
            keptYes += BrowserReports.randomize(true, random) ? 1 : 0;
            keptNo += BrowserReports.randomize(false, random) ? 0 : 1;
        }
        double sd = Math.sqrt(0.75 * 0.25 / n);
        assertThat((double) keptYes / n).isBetween(0.75 - 5 * sd, 0.75 + 5 * sd);
        assertThat((double) keptNo / n).isBetween(0.75 - 5 * sd, 0.75 + 5 * sd);
    }
}
