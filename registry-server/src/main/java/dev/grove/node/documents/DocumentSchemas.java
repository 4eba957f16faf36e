package dev.grove.node.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.grove.node.problem.InvalidDocument;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates documents against the JSON Schemas shipped in grove-schemas before any semantic check, so that a malformed
 * document is refused with the validator's precise location rather than with whatever the first parser trips on.
 */
public final class DocumentSchemas {

    /** The schema for each kind of document, by the name of its file under {@code schemas/}. */
    public enum Kind {
        CONTRACT("contract"), LINEAGE("lineage"), EVALUATION("evaluation"), ENVELOPE("envelope"), BUNDLE("bundle"),
        KEYSET("keyset"), YANK("yank");

        private final String file;

        Kind(String file) {
            this.file = file;
        }
    }

    private static final String BASE = "https://grove.dev/schemas/";
    private static final int MAX_REPORTED_ERRORS = 5;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Kind, JsonSchema> schemas;

    private DocumentSchemas(Map<Kind, JsonSchema> schemas) {
        this.schemas = schemas;
    }

    /** Loads and compiles every schema once; the result is immutable and safe to share between event loops. */
    public static DocumentSchemas load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE, "classpath:schemas/")));
        // JSON Pointer locations ("/artifacts/0/path") and English messages whatever the server's locale.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        Map<Kind, JsonSchema> schemas = new java.util.EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(BASE + kind.file + ".schema.json"), config);
            schema.initializeValidators();
            schemas.put(kind, schema);
        }
        return new DocumentSchemas(schemas);
    }

    /**
     * Checks one document.
     *
     * @param what names the document in the error, e.g. "contract"
     * @throws InvalidDocument naming the first few violations with their JSON Pointer locations
     */
    public void check(Kind kind, String what, byte[] json) {
        JsonNode node;
        try {
            // the one Jackson read of the document: the validator checks Jackson trees only (it has no reader over
            // dev.grove.json values), so the bytes are read into one here, once per document and for nothing else; the
            // node's own reading of the document is the strict reader's (dev.grove.pkg), once, after this check
            node = mapper.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidDocument(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidDocument(what + " could not be read: " + e.getMessage(), e);
        }
        if (node == null) {
            throw new InvalidDocument(what + " is empty");
        }
        List<ValidationMessage> errors = schemas.get(kind).validate(node).stream()
                .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
                .toList();
        if (!errors.isEmpty()) {
            String detail = errors.stream().limit(MAX_REPORTED_ERRORS)
                    .map(ValidationMessage::getMessage)
                    .collect(Collectors.joining("; "));
            throw new InvalidDocument(what + " does not match " + kind.file + ".schema.json: " + detail);
        }
    }
}
