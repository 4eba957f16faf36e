package dev.grove.node.search;

import dev.grove.cli.GroveCli;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzy name search against a real node: the test PostgreSQL has pg_trgm, which migration V014 creates, so a query that
 * matches nothing by words or part of a name is answered with the names most like it; without pg_trgm, with nothing.
 */
class FuzzySearchTest {

    @TempDir
    static Path data;

    static Vertx vertx;
    static NodeConfig config;
    static Node node;
    static NodeHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        config = TestNode.config(data);
        node = TestNode.start(vertx, config, Features::all);
        http = new NodeHttp(node.port());
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        for (String[] p : new String[][] {
                {"garden/langid", "Language identification of short texts"},
                {"garden/langid-int8", "The langid model quantized to int8"},
                {"garden/langid-nordic", "Language identification fine-tuned on Nordic languages"},
                {"garden/sentiment", "Sentiment of short English reviews"}}) {
            assertThat(http.publish(TestPackage.builder(p[0], "1.0.0").summary(p[1]).build(key)).status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    private static JsonArray search(String query) {
        return http.get("/v1/search?q=" + query).json().getJsonArray("results");
    }

    private static List<String> names(JsonArray results) {
        return results.stream().map(r -> ((JsonObject) r).getString("name")).toList();
    }

    @Test
    void aMisspelledName_findsTheNameItMeant_markedFuzzy() {
        JsonArray langdi = search("langdi");
        assertThat(names(langdi)).first().isEqualTo("garden/langid");
        assertThat(names(langdi)).doesNotContain("garden/sentiment");
        for (Object r : langdi) {
            assertThat(((JsonObject) r).getString("match")).isEqualTo("fuzzy");
            assertThat(((JsonObject) r).getDouble("similarity")).isGreaterThan(SearchIndex.FUZZY_THRESHOLD);
        }

        assertThat(names(search("sentimnet"))).containsExactly("garden/sentiment");
    }

    @Test
    void aNameThatMatches_isATextMatch_andNoFuzzyOnesAreAdded() {
        JsonArray langid = search("langid");
        assertThat(names(langid)).containsExactlyInAnyOrder("garden/langid", "garden/langid-int8", "garden/langid-nordic");
        assertThat(langid.stream().map(r -> ((JsonObject) r).getString("match"))).containsOnly("text");
        assertThat(((JsonObject) langid.getValue(0)).containsKey("similarity")).isFalse();
    }

    @Test
    void somethingAbsurd_findsNothing_andFiltersApplyToFuzzyMatches() {
        assertThat(search("qxzvwjk")).isEmpty();
        assertThat(http.get("/v1/search?q=langdi&license=MIT").json().getJsonArray("results")).isEmpty();
    }

    @Test
    void groveSearch_saysWhatItDidNotFind_andWhatItMightHaveMeant() {
        String registry = "http://127.0.0.1:" + node.port();
        GroveCli.Result result = GroveCli.run("search", "langdi", "--registry", registry);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("no package matches 'langdi'; did you mean: garden/langid");
        assertThat(result.out()).contains("NAME").doesNotContain("garden/sentiment");

        GroveCli.Result json = GroveCli.run("search", "langdi", "--registry", registry, "--json");
        JsonObject first = new JsonObject(json.out()).getJsonArray("results").getJsonObject(0);
        assertThat(first.getString("name")).isEqualTo("garden/langid");
        assertThat(first.getString("match")).isEqualTo("fuzzy");

        assertThat(GroveCli.run("search", "qxzvwjk", "--registry", registry).out()).isEqualTo("no packages found\n");
    }

    /** A database without pg_trgm (V014 could not create it): the same node code searches as before, without fuzzy matches. */
    @Test
    void withoutPgTrgm_aMisspellingFindsNothing(@TempDir Path otherData) {
        NodeConfig own = TestNode.config(otherData); // a database of its own: the other tests keep pg_trgm
        Vertx first = Vertx.vertx();
        Node before = TestNode.start(first, own, Features::all);
        try {
            NodeHttp http = new NodeHttp(before.port());
            assertThat(http.publish(TestPackage.builder("garden/langid", "1.0.0").build(Ed25519PrivateKey.generate()))
                    .status()).isEqualTo(201);
            assertThat(names(http.get("/v1/search?q=langdi").json().getJsonArray("results"))).contains("garden/langid");
            TestNode.await(before.pool().query("DROP EXTENSION pg_trgm").execute());
        } finally {
            TestNode.stop(before, first);
        }
        // the check is made once at start: this node starts on the same database, which has no pg_trgm now
        Vertx second = Vertx.vertx();
        Node after = TestNode.start(second, own, Features::all);
        try {
            NodeHttp plain = new NodeHttp(after.port());
            assertThat(names(plain.get("/v1/search?q=langid").json().getJsonArray("results")))
                    .containsExactly("garden/langid");
            NodeHttp.Reply misspelt = plain.get("/v1/search?q=langdi");
            assertThat(misspelt.status()).as(misspelt.body()).isEqualTo(200);
            assertThat(misspelt.json().getJsonArray("results")).isEmpty();
        } finally {
            TestNode.stop(after, second);
        }
    }
}
