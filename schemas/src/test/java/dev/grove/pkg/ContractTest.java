package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContractTest {

    @Test
    void parse_protocolExample() {
        JsonObject json = Docs.contract();
        Contract c = Contract.parse(Docs.bytes(json));
        assertThat(c.name()).isEqualTo(new PackageName("demo", "langid"));
        assertThat(c.version()).isEqualTo(SemVer.of(1, 0, 0));
        assertThat(c.ref().toString()).isEqualTo("demo/langid@1.0.0");
        assertThat(c.summary()).isEqualTo("Language identification for 6 European languages");
        assertThat(c.license()).isEqualTo("Apache-2.0");
        assertThat(c.task()).isEqualTo("text-classification");
        assertThat(c.tags()).containsExactly("language-id");
        assertThat(c.inputs()).containsExactly(new TensorSpec("text", "string", List.of(), List.of(), false));
        assertThat(c.outputs()).containsExactly(
                new TensorSpec("probabilities", "float32", List.of(3L), List.of("en", "fr", "de"), false));
        assertThat(c.architecture().string("family")).isEqualTo("mlp");
        assertThat(c.parameters()).isEqualTo(1234);
        assertThat(c.bytes()).isEqualTo(4936);
        assertThat(c.artifacts()).containsExactly(new Artifact("weights/model.safetensors",
                "application/vnd.safetensors", 4936, Sha256.parse(Docs.WEIGHTS_DIGEST)));
        assertThat(c.lineageCard()).isEqualTo(Sha256.of(Docs.bytes(Docs.lineage())));
        assertThat(c.evaluationCard()).isEqualTo(Sha256.of(Docs.bytes(Docs.evaluation())));
        assertThat(c.json()).isEqualTo(json);
    }

    @Test
    void parse_optionalFields() {
        JsonObject json = Docs.with(Docs.contract(), "tags", null);
        json = Docs.with(json, "interface.inputs[0]",
                "{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[-1,8],\"optional\":true}");
        Contract c = Contract.parse(Docs.bytes(json));
        assertThat(c.tags()).isEmpty();
        assertThat(c.inputs().get(0)).isEqualTo(new TensorSpec("mask", "bool", List.of(-1L, 8L), List.of(), true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.contract/v2\"|schema: expected 'grove.contract/v1', got 'grove.contract/v2'",
        "schema||schema: missing",
        "name||name: missing",
        "name|\"demo\"|name: not a package name (namespace/name): 'demo'",
        "name|\"Demo/langid\"|name: invalid namespace 'Demo': must match ^[a-z0-9][a-z0-9-]{0,38}$",
        "name|\"demo/_x\"|name: invalid package name '_x': must match ^[a-z0-9][a-z0-9._-]{0,63}$",
        "version|\"1.0.0+b1\"|version: build metadata is not allowed: '1.0.0+b1'",
        "version|1|version: must be a string",
        "summary|null|summary: must be a string",
        "license|\"\"|license: not an SPDX license expression: ''",
        "license|\"MIT OR\"|license: not an SPDX license expression: 'MIT OR'",
        "license|\"Apache 2.0\"|license: not an SPDX license expression: 'Apache 2.0'",
        "task|\"Text\"|task: must match ^[a-z0-9][a-z0-9._-]*$ (at most 64 characters): 'Text'",
        "tags|[\"a\",\"a\"]|tags[1]: duplicate tag 'a'",
        "tags|[\"Language\"]|tags[0]: must match ^[a-z0-9][a-z0-9._-]*$ (at most 64 characters): 'Language'",
        "architecture.opset||architecture.opset: missing",
        "architecture.opset|0|architecture.opset: must be at least 1, got 0",
        "architecture.family|\"MLP\"|architecture.family: must match ^[a-z0-9][a-z0-9._-]*$ (at most 64 characters): 'MLP'",
        "architecture.config|[]|architecture.config: must be an object",
        "architecture.layers|2|architecture.layers: unknown field",
        "artifacts[0].mediaType|\"safetensors\"|artifacts[0].mediaType: must match ^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$ (at most 255 characters): 'safetensors'",
        "interface.outputs[0].labels|[\"en\",\"\"]|interface.outputs[0].labels[1]: must have 1 to 128 characters, got 0",
        "interface.outputs[0].shape|[1,1,1,1,1,1,1,1,1]|interface.outputs[0].shape: at most 8 items are allowed, got 9",
        "tags|[1]|tags[0]: must be a string",
        "tags|\"x\"|tags: must be an array",
        "interface||interface: missing",
        "interface.inputs||interface.inputs: missing",
        "interface.inputs[0]|1|interface.inputs[0]: must be an object",
        "interface.inputs[0].dtype|\"float64\"|interface.inputs[0].dtype: unknown dtype 'float64' (expected one of string, float32, float16, int8, int32, int64, bool)",
        "interface.inputs[0].optional|\"yes\"|interface.inputs[0].optional: must be a boolean",
        "interface.inputs[0].name|\"\"|interface.inputs[0].name: must match ^[A-Za-z0-9_][A-Za-z0-9_.:-]*$ (at most 64 characters): ''",
        "interface.inputs[0].name|\"a b\"|interface.inputs[0].name: must match ^[A-Za-z0-9_][A-Za-z0-9_.:-]*$ (at most 64 characters): 'a b'",
        "interface.outputs[0].shape|[-2]|interface.outputs[0].shape[0]: must be a non-negative integer or -1, got -2",
        "interface.outputs[0].shape|[1.5]|interface.outputs[0].shape[0]: must be an integer",
        "interface.outputs[0].labels|[\"en\",2]|interface.outputs[0].labels[1]: must be a string",
        "architecture|[]|architecture: must be an object",
        "resources.parameters|\"12\"|resources.parameters: must be an integer",
        "resources.bytes|-1|resources.bytes: must not be negative, got -1",
        "artifacts|{}|artifacts: must be an array",
        "artifacts[0].digest|\"abc\"|artifacts[0].digest: not a sha256 digest: 'abc'",
        "artifacts[0].size|1e30|artifacts[0].size: out of the 64-bit integer range: 1e30",
        "artifacts[0].size|4.5|artifacts[0].size: must be an integer",
        "artifacts[0].mediaType||artifacts[0].mediaType: missing",
        "artifacts[0].path|\"../x\"|artifacts[0].path: artifact path must not contain '..' segments: '../x'",
        "artifacts[0].path|\"a/./b\"|artifacts[0].path: artifact path must not contain '.' segments: 'a/./b'",
        "artifacts[0].path|\"/etc/passwd\"|artifacts[0].path: artifact path must be relative: '/etc/passwd'",
        "artifacts[0].path|\"weights\\\\m.bin\"|artifacts[0].path: artifact path must not contain a backslash: 'weights\\m.bin'",
        "artifacts[0].path|\"weights//m\"|artifacts[0].path: artifact path must not have an empty segment: 'weights//m'",
        "artifacts[0].path|\"weights/\"|artifacts[0].path: artifact path must not have an empty segment: 'weights/'",
        "artifacts[0].path|\"\"|artifacts[0].path: artifact path must not be empty",
        "artifacts[0].path|\"a\\u0001b\"|artifacts[0].path: artifact path must not contain control characters: 'a\u0001b'",
        "cards.lineage||cards.lineage: missing",
        "cards.weights|\"x\"|cards.weights: unknown field",
        "summaryy|\"x\"|summaryy: unknown field",
        "resources.flops|1|resources.flops: unknown field",
        "interface.inputs[0].labels|[\"a\"]|interface.inputs[0].labels: unknown field",
        "interface.outputs[0].optional|true|interface.outputs[0].optional: only inputs may be optional",
        "interface.outputs[0].units|1|interface.outputs[0].units: unknown field",
        "interface.outputs|[]|interface.outputs: must not be empty",
        "interface.inputs|[]|interface.inputs: must not be empty",
        "artifacts|[]|artifacts: must not be empty",
        "artifacts[0].mode|\"0600\"|artifacts[0].mode: unknown field",
        "cards.evaluation|\"sha256:ABC\"|cards.evaluation: not a sha256 digest: 'sha256:ABC'",
    })
    void parse_refusesBadField(String path, String json, String message) {
        byte[] payload = Docs.bytes(Docs.with(Docs.contract(), path, json));
        assertThatThrownBy(() -> Contract.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void parse_limitsSummaryAndTags() {
        String ok = "\ud83c\udf33".repeat(280); // 280 code points, 560 UTF-16 chars
        assertThat(Contract.parse(Docs.bytes(Docs.with(Docs.contract(), "summary", "\"" + ok + "\""))).summary())
                .isEqualTo(ok);
        JsonObject tooLong = Docs.with(Docs.contract(), "summary", "\"" + "x".repeat(281) + "\"");
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(tooLong))).isInstanceOf(DocumentException.class)
                .hasMessage("summary: must be at most 280 characters, got 281");
        StringBuilder tags = new StringBuilder("[");
        for (int i = 0; i < 33; i++) {
            tags.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        JsonObject many = Docs.with(Docs.contract(), "tags", tags + "]");
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(many))).isInstanceOf(DocumentException.class)
                .hasMessage("tags: at most 32 items are allowed, got 33");
    }

    @Test
    void parse_refusesDuplicateArtifactPaths() {
        JsonObject json = Docs.contract();
        String artifact = json.array("artifacts").get(0).toString();
        JsonObject twice = Docs.with(json, "artifacts", "[" + artifact + "," + artifact + "]");
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(twice))).isInstanceOf(DocumentException.class)
                .hasMessage("artifacts[1].path: duplicate artifact path 'weights/model.safetensors'");
    }

    @Test
    void parse_refusesDuplicateTensorNames() {
        JsonObject json = Docs.contract();
        String input = json.object("interface").array("inputs").get(0).toString();
        JsonObject twice = Docs.with(json, "interface.inputs", "[" + input + "," + input + "]");
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(twice))).isInstanceOf(DocumentException.class)
                .hasMessage("interface.inputs[1].name: duplicate input name 'text'");
    }

    @Test
    void parse_refusesInvalidJson() {
        assertThatThrownBy(() -> Contract.parse("{\"schema\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DocumentException.class)
                .hasMessage("invalid JSON: unexpected end of input at offset 10");
        assertThatThrownBy(() -> Contract.parse("[]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DocumentException.class)
                .hasMessage("invalid JSON: expected a JSON object, found array");
    }
}
