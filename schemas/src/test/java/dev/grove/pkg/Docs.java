package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Valid protocol.md example documents, and a way to change one field by its JSON path. */
public final class Docs {
    public static final String WEIGHTS_DIGEST = Sha256.of(new byte[] {1, 2, 3}).toString();
    public static final String DATA_DIGEST = Sha256.of(new byte[] {4}).toString();
    public static final String PARENT_DIGEST = Sha256.of(new byte[] {5}).toString();

    private Docs() {
    }

    public static JsonObject lineage() {
        return Json.parseObject("""
                {
                  "schema": "grove.lineage/v1",
                  "subject": {"name": "demo/langid", "version": "1.0.0"},
                  "operator": "quantize",
                  "parameters": {"scheme": "int8-per-channel"},
                  "parents": [{"digest": "%s", "origin": "https://node.example", "ref": "demo/langid-f32@1.0.0"}],
                  "data": [{"name": "udhr", "digest": "%s", "description": "UDHR texts, held-out split"}]
                }""".formatted(PARENT_DIGEST, DATA_DIGEST));
    }

    public static JsonObject evaluation() {
        return Json.parseObject("""
                {
                  "schema": "grove.evaluation/v1",
                  "subject": {"name": "demo/langid", "version": "1.0.0"},
                  "evaluations": [{
                    "dataset": {"name": "udhr-heldout", "digest": "%s"},
                    "metrics": [{"name": "accuracy", "value": 0.93, "samples": 600,
                                 "breakdown": [{"factor": "language", "level": "fr", "value": 0.95, "samples": 200}]}]
                  }]
                }""".formatted(DATA_DIGEST));
    }

    /** A contract whose cards pin the given lineage and evaluation payloads. */
    public static JsonObject contract(byte[] lineagePayload, byte[] evaluationPayload) {
        return Json.parseObject("""
                {
                  "schema": "grove.contract/v1",
                  "name": "demo/langid",
                  "version": "1.0.0",
                  "summary": "Language identification for 6 European languages",
                  "license": "Apache-2.0",
                  "task": "text-classification",
                  "tags": ["language-id"],
                  "interface": {
                    "inputs":  [{"name": "text", "dtype": "string", "shape": []}],
                    "outputs": [{"name": "probabilities", "dtype": "float32", "shape": [3], "labels": ["en", "fr", "de"]}]
                  },
                  "architecture": {"family": "mlp", "opset": 1, "config": {"hidden": [16]}},
                  "resources": {"parameters": 1234, "bytes": 4936},
                  "artifacts": [{"path": "weights/model.safetensors", "mediaType": "application/vnd.safetensors",
                                 "size": 4936, "digest": "%s"}],
                  "cards": {"lineage": "%s", "evaluation": "%s"}
                }""".formatted(WEIGHTS_DIGEST, Sha256.of(lineagePayload), Sha256.of(evaluationPayload)));
    }

    public static JsonObject contract() {
        return contract(bytes(lineage()), bytes(evaluation()));
    }

    public static byte[] bytes(JsonObject o) {
        return Json.write(o).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A copy of root with the value at a path like {@code artifacts[0].digest} replaced by the JSON text {@code json},
     * or removed when json is null. Array elements can be replaced but not removed.
     */
    public static JsonObject with(JsonObject root, String path, String json) {
        return (JsonObject) set(root, path, json == null ? null : Json.parse(json));
    }

    private static JsonValue set(JsonValue node, String path, JsonValue value) {
        int dot = path.indexOf('.');
        String head = dot < 0 ? path : path.substring(0, dot);
        String rest = dot < 0 ? null : path.substring(dot + 1);
        int bracket = head.indexOf('[');
        String key = bracket < 0 ? head : head.substring(0, bracket);
        List<Integer> indices = new ArrayList<>();
        for (int i = bracket; i >= 0; i = head.indexOf('[', i + 1)) {
            indices.add(Integer.parseInt(head.substring(i + 1, head.indexOf(']', i))));
        }
        JsonObject obj = (JsonObject) node;
        Map<String, JsonValue> members = new LinkedHashMap<>(obj.members());
        JsonValue child = members.get(key);
        JsonValue replaced = replaceIn(child, indices, 0, rest, value);
        if (replaced == null) {
            members.remove(key);
        } else {
            members.put(key, replaced);
        }
        return JsonObject.of(members);
    }

    private static JsonValue replaceIn(JsonValue child, List<Integer> indices, int k, String rest, JsonValue value) {
        if (k == indices.size()) {
            return rest == null ? value : set(child, rest, value);
        }
        JsonArray arr = (JsonArray) child;
        List<JsonValue> values = new ArrayList<>(arr.values());
        int idx = indices.get(k);
        values.set(idx, replaceIn(values.get(idx), indices, k + 1, rest, value));
        return JsonArray.of(values);
    }
}
