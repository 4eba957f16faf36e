package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.cli.trust.PackageTarget;
import dev.grove.cli.trust.VersionCheck;
import dev.grove.verify.TrustPolicy;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.pkg.PackageRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code grove info}: what a node knows about a package. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a package's versions, and for one version its contract, signers, artifacts and lineage.",
                "Informational: nothing is verified here (grove pull verifies)."})
public final class InfoCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "[ORIGIN/]NAMESPACE/NAME[@VERSION]",
            description = {"The package; without a version the latest release is shown.",
                    "With an origin, a package the node mirrors from that log; without one, the node's own package, "
                            + "else the one origin it mirrors it from."})
    String ref;

    @Option(names = "--json", description = "Print the node's documents (package, version, lineage) as one JSON object.")
    boolean json;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "8",
            description = "How many generations of lineage to show each way (default: ${DEFAULT-VALUE}).")
    int depth;

    @Mixin
    RegistryOptions registry;

    @Override
    protected void run() throws java.io.IOException {
        RegistryClient client = registry.client();
        PackageTarget target = PackageTarget.locate(client, ref);
        PackageRef wanted = target.ref();
        JsonObject versions = client.getJson(target.base() + "/packages/" + wanted.name().namespace() + "/"
                + wanted.name().name());
        // what is shown of a version is what the one verifier accepted: its log proof (in its origin's log) included
        VersionCheck.Proven proven = VersionCheck.prove(client, target, Optional.empty(), TrustPolicy::forLog, err());
        proven.keep();
        VersionCheck.Checked checked = proven.checked();
        JsonObject version = verifiedPayloads(checked.document());
        String digest = checked.version().pkg().digest().toString();
        JsonObject lineage = client.getJson("/v1/lineage/" + digest + "?depth=" + depth);
        if (json) {
            JsonObject all = JsonObject.builder()
                    .put("package", versions).put("version", version).put("lineage", lineage).build();
            out().print(new String(PrettyJson.bytes(all), StandardCharsets.UTF_8));
            return;
        }
        printVersions(versions);
        out().println();
        printVersion(version);
        row("verified", checked.version().checks().stream().filter(c -> c.name().equals("log")).findFirst()
                .map(c -> "signatures, cards and digest; " + c.detail()).orElse(""));
        out().println();
        printLineage(lineage, digest);
    }

    private void printVersions(JsonObject doc) {
        String latest = text(doc, "latest");
        out().println(text(doc, "name") + "  (on " + text(doc, "origin") + ")");
        out().println("versions");
        for (JsonValue v : doc.optArray("versions").orElse(JsonArray.of())) {
            if (v instanceof JsonObject o) {
                String version = text(o, "version");
                List<String> notes = new ArrayList<>();
                notes.add(text(o, "status"));
                if (flag(o, "yanked")) {
                    notes.add("yanked");
                }
                if (version.equals(latest)) {
                    notes.add("latest");
                }
                out().printf("  %-14s %-40s %s%n", version, String.join(", ", notes), text(o, "publishedAt"));
            }
        }
    }

    private void printVersion(JsonObject doc) {
        JsonObject contract = doc.optObject("contract").orElse(JsonObject.empty());
        out().println(text(doc, "ref"));
        row("summary", text(contract, "summary"));
        row("license", text(contract, "license"));
        row("task", text(contract, "task"));
        row("digest", text(doc, "digest"));
        row("status", text(doc, "status") + (flag(doc, "yanked") ? ", yanked: " + text(doc, "yankReason") : ""));
        printRelease(doc.optObject("release").orElse(JsonObject.empty()));
        row("published", text(doc, "publishedAt"));
        JsonObject reproduction = doc.optObject("lineageReproduction").orElse(JsonObject.empty());
        JsonValue reproduced = reproduction.get("reproduced").orElse(null);
        if (reproduced instanceof JsonBoolean b) {
            row("lineage", (b.equals(JsonBoolean.TRUE) ? "reproduced by the node: " : "NOT reproduced by the node: ")
                    + text(reproduction, "reason"));
        }
        List<String> signers = new ArrayList<>();
        JsonObject bundle = doc.optObject("bundle").orElse(JsonObject.empty());
        for (JsonValue k : bundle.optArray("keys").orElse(JsonArray.of())) {
            if (k instanceof JsonObject key) {
                signers.add(text(key, "keyid"));
            }
        }
        row("signers", signers.isEmpty() ? "(none listed)" : String.join(", ", signers));
        JsonObject resources = contract.optObject("resources").orElse(JsonObject.empty());
        row("resources", text(resources, "parameters") + " parameters, " + text(resources, "bytes") + " bytes");
        out().println("  artifacts");
        for (JsonValue a : doc.optArray("artifacts").orElse(JsonArray.of())) {
            if (a instanceof JsonObject artifact) {
                long size = artifact.get("size").filter(s -> s instanceof JsonNumber)
                        .map(s -> ((JsonNumber) s).longValue()).orElse(0L);
                out().printf("    %-32s %10s  %s%n", text(artifact, "path"), TransferProgress.bytes(size),
                        text(artifact, "digest"));
            }
        }
    }

    /** Each release condition with the node's reason, so a team sees what its experiment still lacks. */
    private void printRelease(JsonObject release) {
        if (!flag(release, "evaluated")) {
            row("release", "not evaluated yet");
            return;
        }
        List<String> missing = new ArrayList<>();
        for (JsonValue m : release.optArray("missing").orElse(JsonArray.of())) {
            if (m instanceof JsonString name) {
                missing.add(name.value());
            }
        }
        row("release", missing.isEmpty() ? "every condition holds" : "missing: " + String.join(", ", missing));
        release.get("demoReports").ifPresent(n -> row("demo", text(release, "demoReports") + " of its reports were sent by grove serve --demo, not by visitors"));
        for (JsonValue v : release.optArray("conditions").orElse(JsonArray.of())) {
            if (v instanceof JsonObject c) {
                String name = text(c, "name");
                String reason = text(c, "reason");
                if (reason.startsWith(name + ": ")) {
                    reason = reason.substring(name.length() + 2); // the node's reason repeats the condition's name
                }
                out().printf("    %-4s %-11s %s%n", flag(c, "met") ? "ok" : "no", name, reason);
            }
        }
    }

    /** The document with its readable copies of the signed documents replaced by the payloads that verified. */
    private static JsonObject verifiedPayloads(dev.grove.verify.VersionDocument doc) {
        JsonObject.Builder b = JsonObject.builder();
        doc.json().members().forEach((k, v) -> b.put(k, switch (k) {
            case "contract" -> dev.grove.json.Json.parseObject(doc.bundle().contract().payload());
            case "lineage" -> dev.grove.json.Json.parseObject(doc.bundle().lineage().payload());
            case "evaluation" -> dev.grove.json.Json.parseObject(doc.bundle().evaluation().payload());
            default -> v;
        }));
        return b.build();
    }

    private void row(String label, String value) {
        out().printf("  %-10s %s%n", label, value);
    }

    /** Ancestors (parents, their parents, ...) and descendants of the root as indented trees. */
    private void printLineage(JsonObject doc, String root) {
        Map<String, JsonObject> nodes = new LinkedHashMap<>();
        for (JsonValue v : doc.optArray("nodes").orElse(JsonArray.of())) {
            if (v instanceof JsonObject n) {
                nodes.put(text(n, "digest"), n);
            }
        }
        List<JsonObject> edges = new ArrayList<>();
        for (JsonValue v : doc.optArray("edges").orElse(JsonArray.of())) {
            if (v instanceof JsonObject e) {
                edges.add(e);
            }
        }
        JsonObject self = nodes.getOrDefault(root, JsonObject.empty());
        out().println("lineage of " + label(nodes, root) + "  (" + text(self, "operator") + ")");
        out().println("  ancestors");
        if (!tree(nodes, edges, root, true, 2, new HashSet<>())) {
            out().println("    (none: trained from scratch or parents not cited)");
        }
        out().println("  descendants");
        if (!tree(nodes, edges, root, false, 2, new HashSet<>())) {
            out().println("    (none on this node)");
        }
    }

    private boolean tree(Map<String, JsonObject> nodes, List<JsonObject> edges, String from, boolean up, int indent,
                         Set<String> path) {
        boolean any = false;
        path.add(from);
        for (JsonObject edge : edges) {
            String here = text(edge, up ? "child" : "parent");
            String next = text(edge, up ? "parent" : "child");
            if (!here.equals(from)) {
                continue;
            }
            any = true;
            String operator = text(edge, "operator");
            String relation = up ? "<- " + operator + " of " : "-> " + operator + " into ";
            out().println("  ".repeat(indent) + relation + label(nodes, next));
            if (!path.contains(next)) {
                tree(nodes, edges, next, up, indent + 1, path);
            }
        }
        path.remove(from);
        return any;
    }

    private static String label(Map<String, JsonObject> nodes, String digest) {
        JsonObject node = nodes.get(digest);
        String shortDigest = digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
        if (node == null) {
            return shortDigest;
        }
        String ref = text(node, "ref");
        StringBuilder label = new StringBuilder(ref.isEmpty() ? "(unknown)" : ref).append(' ').append(shortDigest);
        if (!flag(node, "known")) {
            label.append(" (not on this node").append(text(node, "origin").isEmpty() ? "" : "; cited at "
                    + text(node, "origin")).append(')');
        }
        if (flag(node, "yanked")) {
            label.append(" [yanked]");
        }
        JsonValue reproduced = node.get("reproduced").orElse(null);
        if (reproduced instanceof JsonBoolean b) {
            label.append(b.equals(JsonBoolean.TRUE) ? " [reproduced]" : " [not reproduced]");
        }
        return label.toString();
    }

    private static boolean flag(JsonObject o, String key) {
        return o.get(key).orElse(JsonBoolean.FALSE).equals(JsonBoolean.TRUE);
    }

    private static String text(JsonObject o, String key) {
        return SearchCommand.text(o, key);
    }
}
