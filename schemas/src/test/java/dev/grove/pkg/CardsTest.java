package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CardsTest {

    @Test
    void lineage_protocolExample() {
        JsonObject json = Docs.lineage();
        LineageCard l = LineageCard.parse(Docs.bytes(json));
        assertThat(l.subjectName()).isEqualTo(PackageName.parse("demo/langid"));
        assertThat(l.subjectVersion()).isEqualTo(SemVer.parse("1.0.0"));
        assertThat(l.operator()).isEqualTo(Operator.QUANTIZE);
        assertThat(l.parameters().string("scheme")).isEqualTo("int8-per-channel");
        assertThat(l.parents()).containsExactly(new ParentRef(Sha256.parse(Docs.PARENT_DIGEST),
                Optional.of("https://node.example"), Optional.of("demo/langid-f32@1.0.0")));
        assertThat(l.data()).hasSize(1);
        assertThat(l.data().get(0).string("description")).isEqualTo("UDHR texts, held-out split");
        assertThat(l.json()).isEqualTo(json);
    }

    @Test
    void lineage_trainNeedsNoParentsAndOptionalFieldsDefault() {
        JsonObject json = Docs.with(Docs.lineage(), "operator", "\"train\"");
        json = Docs.with(json, "parents", null);
        json = Docs.with(json, "parameters", null);
        json = Docs.with(json, "data", null);
        LineageCard l = LineageCard.parse(Docs.bytes(json));
        assertThat(l.operator()).isEqualTo(Operator.TRAIN);
        assertThat(l.parents()).isEmpty();
        assertThat(l.data()).isEmpty();
        assertThat(l.parameters().members()).isEmpty();
    }

    @Test
    void lineage_parentWithoutOriginAndRef() {
        JsonObject json = Docs.with(Docs.lineage(), "parents[0]", "{\"digest\":\"" + Docs.PARENT_DIGEST + "\"}");
        ParentRef p = LineageCard.parse(Docs.bytes(json)).parents().get(0);
        assertThat(p.origin()).isEmpty();
        assertThat(p.ref()).isEmpty();
    }

    @Test
    void operator_wireNames() {
        assertThat(Operator.fromWire("fine-tune")).isEqualTo(Operator.FINE_TUNE);
        for (Operator o : Operator.values()) {
            assertThat(Operator.fromWire(o.wireName())).isEqualTo(o);
        }
        assertThat(Operator.ADAPTER.wireName()).isEqualTo("adapter");
        assertThatThrownBy(() -> Operator.fromWire("FINE_TUNE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown operator 'FINE_TUNE' (expected one of train, fine-tune, merge, distill, quantize, "
                        + "prune, adapter, cascade)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.contract/v1\"|schema: expected 'grove.lineage/v1', got 'grove.contract/v1'",
        "subject||subject: missing",
        "subject.version||subject.version: missing",
        "subject.name|\"demo/\"|subject.name: invalid package name '': must match ^[a-z0-9][a-z0-9._-]{0,63}$",
        "operator|\"finetune\"|operator: unknown operator 'finetune' (expected one of train, fine-tune, merge, distill, quantize, prune, adapter, cascade)",
        "parameters|[]|parameters: must be an object",
        "parents|[]|parents: operator 'quantize' needs at least one parent",
        "parents||parents: operator 'quantize' needs at least one parent",
        "parents[0].digest|\"sha256:xyz\"|parents[0].digest: not a sha256 digest: 'sha256:xyz'",
        "parents[0].origin|\"\"|parents[0].origin: must match ^https?://[^\\s/?#@]+(?:/[^\\s?#]*)?$ (at most 2048 characters): ''",
        "parents[0].origin|\"node.example\"|parents[0].origin: must match ^https?://[^\\s/?#@]+(?:/[^\\s?#]*)?$ (at most 2048 characters): 'node.example'",
        "parents[0].ref|\"demo/langid\"|parents[0].ref: must name an exact version, not latest: 'demo/langid'",
        "parents[0].ref|\"demo/langid@latest\"|parents[0].ref: must name an exact version, not latest: 'demo/langid@latest'",
        "parents[0].ref|\"demo/langid@v1\"|parents[0].ref: not a semantic version: 'v1': expected MAJOR.MINOR.PATCH",
        "data[0].name||data[0].name: missing",
        "data[0].description|2|data[0].description: must be a string",
        "data[0].digest|\"md5:00\"|data[0].digest: not a sha256 digest: 'md5:00'",
        "data|[\"udhr\"]|data[0]: must be an object",
        "operators|\"x\"|operators: unknown field",
        "subject.digest|\"x\"|subject.digest: unknown field",
        "parents[0].name|\"x\"|parents[0].name: unknown field",
    })
    void lineage_refusesBadField(String path, String json, String message) {
        byte[] payload = Docs.bytes(Docs.with(Docs.lineage(), path, json));
        assertThatThrownBy(() -> LineageCard.parse(payload)).isInstanceOf(DocumentException.class).hasMessage(message);
    }

    @Test
    void lineage_refusesDuplicateParent() {
        JsonObject json = Docs.lineage();
        String parent = json.array("parents").get(0).toString();
        JsonObject twice = Docs.with(json, "parents", "[" + parent + "," + parent + "]");
        assertThatThrownBy(() -> LineageCard.parse(Docs.bytes(twice))).isInstanceOf(DocumentException.class)
                .hasMessage("parents[1].digest: duplicate parent " + Docs.PARENT_DIGEST);
    }

    @Test
    void textLimitsCountCharacters() {
        JsonObject longName = Docs.with(Docs.evaluation(), "evaluations[0].dataset.name", "\"" + "d".repeat(129) + "\"");
        assertThatThrownBy(() -> EvaluationCard.parse(Docs.bytes(longName))).isInstanceOf(DocumentException.class)
                .hasMessage("evaluations[0].dataset.name: must be at most 128 characters, got 129");
        JsonObject longDescription = Docs.with(Docs.lineage(), "data[0].description", "\"" + "d".repeat(1001) + "\"");
        assertThatThrownBy(() -> LineageCard.parse(Docs.bytes(longDescription))).isInstanceOf(DocumentException.class)
                .hasMessage("data[0].description: must be at most 1000 characters, got 1001");
    }

    @Test
    void evaluation_protocolExample() {
        JsonObject json = Docs.evaluation();
        EvaluationCard e = EvaluationCard.parse(Docs.bytes(json));
        assertThat(e.subjectName()).isEqualTo(PackageName.parse("demo/langid"));
        assertThat(e.subjectVersion()).isEqualTo(SemVer.parse("1.0.0"));
        assertThat(e.evaluations()).hasSize(1);
        EvaluationCard.Evaluation ev = e.evaluations().get(0);
        assertThat(ev.datasetName()).isEqualTo("udhr-heldout");
        assertThat(ev.datasetDigest()).isEqualTo(Sha256.parse(Docs.DATA_DIGEST));
        assertThat(ev.metrics()).containsExactly(new EvaluationCard.Metric("accuracy", 0.93, 600,
                java.util.List.of(new EvaluationCard.Breakdown("language", "fr", 0.95, 200))));
        assertThat(e.json()).isEqualTo(json);
    }

    @Test
    void evaluation_breakdownIsOptional() {
        JsonObject json = Docs.with(Docs.evaluation(), "evaluations[0].metrics[0].breakdown", null);
        assertThat(EvaluationCard.parse(Docs.bytes(json)).evaluations().get(0).metrics().get(0).breakdown()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "schema|\"grove.evaluation/v0\"|schema: expected 'grove.evaluation/v1', got 'grove.evaluation/v0'",
        "subject.name|\"demo langid\"|subject.name: not a package name (namespace/name): 'demo langid'",
        "evaluations||evaluations: missing",
        "evaluations[0].dataset.digest|\"abc\"|evaluations[0].dataset.digest: not a sha256 digest: 'abc'",
        "evaluations[0].dataset.name|\"\"|evaluations[0].dataset.name: must not be empty",
        "evaluations[0].metrics[0].name|\"top 1\"|evaluations[0].metrics[0].name: must match ^[A-Za-z0-9][A-Za-z0-9_.@/-]*$ (at most 64 characters): 'top 1'",
        "evaluations[0].metrics[0].breakdown[0].factor|\"\"|evaluations[0].metrics[0].breakdown[0].factor: must not be empty",
        "evaluations[0].metrics[0].value|\"0.9\"|evaluations[0].metrics[0].value: must be a number",
        "evaluations[0].metrics[0].value|1e999|evaluations[0].metrics[0].value: number out of range: 1e999",
        "evaluations[0].metrics[0].samples|-1|evaluations[0].metrics[0].samples: must be at least 1, got -1",
        "evaluations[0].metrics[0].samples|0|evaluations[0].metrics[0].samples: must be at least 1, got 0",
        "evaluations[0].metrics|[]|evaluations[0].metrics: must not be empty",
        "evaluations[0].metrics[0].unit|\"%\"|evaluations[0].metrics[0].unit: unknown field",
        "evaluations[0].dataset.url|\"x\"|evaluations[0].dataset.url: unknown field",
        "evaluations[0].notes|\"x\"|evaluations[0].notes: unknown field",
        "evaluations[0].metrics[0].breakdown[0].note|\"x\"|evaluations[0].metrics[0].breakdown[0].note: unknown field",
        "extra|1|extra: unknown field",
        "evaluations[0].metrics[0].samples||evaluations[0].metrics[0].samples: missing",
        "evaluations[0].metrics[0].breakdown[0].level||evaluations[0].metrics[0].breakdown[0].level: missing",
        "evaluations[0].metrics[0].breakdown[0].samples|2.5|evaluations[0].metrics[0].breakdown[0].samples: must be an integer",
    })
    void evaluation_refusesBadField(String path, String json, String message) {
        byte[] payload = Docs.bytes(Docs.with(Docs.evaluation(), path, json));
        assertThatThrownBy(() -> EvaluationCard.parse(payload)).isInstanceOf(DocumentException.class)
                .hasMessage(message);
    }
}
