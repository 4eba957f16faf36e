package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.grove.node.witness.WitnessRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/openapi.yaml} against the node's code: every route the node mounts is documented with its method, every
 * documented path is served, and every {@code $ref} in the file resolves.
 */
class OpenApiTest {
    static final Path SPEC = Path.of("..", "docs", "openapi.yaml");
    static final Path SOURCES = Path.of("src", "main", "java");
    /** {@code router.get("/v1/search")} and the like, as the route modules mount them. */
    static final Pattern ROUTE = Pattern.compile("router\\.(get|post|put|head|delete)\\(\"([^\"]+)\"\\)");
    static final Set<String> METHODS = Set.of("get", "post", "put", "head", "delete", "patch");

    static JsonNode spec;
    /** "METHOD path" as the code mounts it, {@code :name} written {@code {name}}; a trailing {@code *} kept. */
    static Set<String> mounted = new TreeSet<>();

    @BeforeAll
    static void read() throws IOException {
        spec = new YAMLMapper().readTree(SPEC.toFile());
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith("Routes.java")).toList()) {
                Matcher m = ROUTE.matcher(Files.readString(file));
                while (m.find()) {
                    mounted.add(m.group(1) + " " + m.group(2).replaceAll(":([A-Za-z]+)", "{$1}"));
                }
            }
        }
        mounted.add("post " + WitnessRoutes.ADD_CHECKPOINT);
        mounted.add("get " + WitnessRoutes.KEY_PATH);
    }

    static Set<String> documented() {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    out.add(method + " " + path.getKey());
                }
            });
        }
        return out;
    }

    /** A mounted route covers a documented one when they are equal, or the route ends in {@code *} and prefixes it. */
    static boolean covers(String route, String doc) {
        return route.equals(doc) || route.endsWith("*") && doc.startsWith(route.substring(0, route.length() - 1));
    }

    @Test
    void theSpecIsOpenApi3WithOperationsThatAnswer() {
        assertThat(spec.get("openapi").asText()).startsWith("3.");
        assertThat(spec.at("/info/title").asText()).isNotBlank();
        for (String op : documented()) {
            String[] parts = op.split(" ", 2);
            JsonNode operation = spec.get("paths").get(parts[1]).get(parts[0]);
            assertThat(operation.get("responses")).as(op + " has responses").isNotNull();
            assertThat(operation.get("responses").size()).as(op + " has responses").isPositive();
        }
    }

    @Test
    void everyMountedRouteIsDocumented() {
        assertThat(mounted).as("routes found in the sources").hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (String route : mounted) {
            if (documented().stream().noneMatch(doc -> covers(route, doc))) {
                missing.add(route);
            }
        }
        assertThat(missing).as("mounted routes that docs/openapi.yaml does not describe").isEmpty();
    }

    @Test
    void everyDocumentedOperationIsMounted() {
        List<String> unserved = new ArrayList<>();
        for (String doc : documented()) {
            // the node answers HEAD wherever it answers GET
            String asGet = doc.startsWith("head ") ? "get " + doc.substring(5) : doc;
            if (mounted.stream().noneMatch(route -> covers(route, doc) || covers(route, asGet))) {
                unserved.add(doc);
            }
        }
        assertThat(unserved).as("operations in docs/openapi.yaml that no route serves").isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectRefs(spec, broken);
        assertThat(broken).as("$ref values that point nowhere").isEmpty();
    }

    private static void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (!target.startsWith("#/") || spec.at(target.substring(1)).isMissingNode()) {
                    broken.add(target);
                }
            }
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        }
    }
}
