package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict reader of a cascade contract's architecture block, on the schema's own examples. */
class CascadeConfigTest {
    static final Path EXAMPLES = Path.of("examples", "contract");

    static byte[] example(String validity, String name) throws IOException {
        return Files.readAllBytes(EXAMPLES.resolve(validity).resolve(name));
    }

    @Test
    void parse_validExample() throws IOException {
        Contract c = Contract.parse(example("valid", "langid-cascade.json"));
        CascadeConfig cascade = CascadeConfig.fromArchitecture(c.architecture());
        assertThat(cascade.rule()).isEqualTo(CascadeRule.TOP_PROBABILITY);
        assertThat(cascade.members()).extracting(m -> m.ref().toString())
                .containsExactly("demo/langid-int8@1.0.0", "demo/langid@1.0.0");
        assertThat(cascade.thresholds()).containsExactly(0.9f);
        assertThat(cascade.members().get(0).digest())
                .isEqualTo(dev.grove.crypto.Sha256.of(example("valid", "langid-int8.json")));
        // what the writer writes reads back to the same value
        assertThat(CascadeConfig.fromArchitecture(cascade.toArchitecture())).isEqualTo(cascade);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cascade-one-member.json|architecture.config.members: a cascade has 2 to 8 members, got 1",
        "cascade-unknown-rule.json|architecture.config.rule: unknown cascade rule 'entropy' (expected top-probability or margin)",
        "cascade-member-without-digest.json|architecture.config.members[0].digest: missing",
        "cascade-threshold-above-one.json|architecture.config.members[0].threshold: must be between 0 and 1, got 1.5",
    })
    void parse_refusesEachInvalidExample(String file, String message) throws IOException {
        byte[] payload = example("invalid", file);
        assertThatThrownBy(() -> Contract.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void parse_refusesThresholdOnTheLastMemberAndRepeatedMembers() throws IOException {
        JsonObject arch = Contract.parse(example("valid", "langid-cascade.json")).architecture();
        String text = Json.write(arch);
        JsonObject lastWithThreshold = Json.parseObject(text.replace("\"digest\":\"" + digest(arch, 1) + "\"",
                "\"digest\":\"" + digest(arch, 1) + "\",\"threshold\":0.5"));
        assertThatThrownBy(() -> CascadeConfig.fromArchitecture(lastWithThreshold))
                .hasMessage("architecture.config.members[1].threshold: the last member always answers, so it has no "
                        + "threshold");
        JsonObject twice = Json.parseObject(text.replace(digest(arch, 1), digest(arch, 0)));
        assertThatThrownBy(() -> CascadeConfig.fromArchitecture(twice))
                .hasMessage("architecture.config.members[1].digest: member " + digest(arch, 0) + " is listed twice");
    }

    private static String digest(JsonObject arch, int i) {
        return arch.object("config").array("members").object(i).string("digest");
    }

    @Test
    void answers_byTopProbabilityOrMargin() {
        assertThat(CascadeRule.TOP_PROBABILITY.score(new float[] {0.2f, 0.7f, 0.1f})).isEqualTo(0.7f);
        assertThat(CascadeRule.MARGIN.score(new float[] {0.2f, 0.7f, 0.1f})).isEqualTo(0.7f - 0.2f);
        assertThat(CascadeRule.MARGIN.score(new float[] {0.5f, 0.5f})).isZero();
        CascadeConfig c = new CascadeConfig(CascadeRule.TOP_PROBABILITY, java.util.List.of(
                new CascadeMember(PackageName.parse("a/x"), dev.grove.semver.SemVer.parse("1.0.0"),
                        dev.grove.crypto.Sha256.of(new byte[] {1})),
                new CascadeMember(PackageName.parse("a/y"), dev.grove.semver.SemVer.parse("1.0.0"),
                        dev.grove.crypto.Sha256.of(new byte[] {2}))), java.util.List.of(0.7f));
        assertThat(c.answers(0, new float[] {0.3f, 0.7f})).as("at the threshold").isTrue();
        assertThat(c.answers(0, new float[] {0.31f, 0.69f})).as("below").isFalse();
        assertThat(c.answers(1, new float[] {0.5f, 0.5f})).as("the last member always answers").isTrue();
    }
}
