package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.trust.PackageTarget;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code grove search}: find packages on a node. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search a registry node's packages.",
                "Full-text search over names, tags and summaries, optionally filtered; shows the newest release of each "
                        + "package that is not yanked, as a table, with the log it was published in (ORIGIN): on a "
                        + "mirror, ORIGIN/NAME[@VERSION] names that package for grove pull, info, run and verify.",
                "When nothing matches, a node with fuzzy search answers with the names most like the query (a "
                        + "misspelling such as langdi finds langid): they are listed after \"did you mean:\"."})
public final class SearchCommand extends GroveSubcommand {
    private static final int SUMMARY_WIDTH = 60;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "Words to search for (default: all).")
    String query;

    @Option(names = "--task", paramLabel = "TASK", description = "Only packages for this task, e.g. text-classification.")
    String task;

    @Option(names = "--license", paramLabel = "SPDX", description = "Only packages under this license, e.g. Apache-2.0.")
    String license;

    @Option(names = "--max-parameters", paramLabel = "N", description = "Only packages with at most N parameters.")
    Long maxParameters;

    @Option(names = "--max-bytes", paramLabel = "N", description = "Only packages whose artifacts total at most N bytes.")
    Long maxBytes;

    @Option(names = "--origin", paramLabel = "ORIGIN",
            description = "Only packages of this origin (a log origin such as a.example/grove-log, as the ORIGIN column "
                    + "shows it).")
    String origin;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print {\"results\":[...]} with each result as the node's /v1/search gives it"
            + " (name, version, digest, origin, summary, task, license, tags, parameters, bytes, status, publishedAt,"
            + " match: text, or fuzzy with its similarity for a name only like the query), its origin named as in the"
            + " ORIGIN column.")
    boolean json;

    @Mixin
    RegistryOptions registry;

    @Override
    protected void run() {
        RegistryClient client = registry.client();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("q", query);
        params.put("task", task);
        params.put("license", license);
        params.put("maxParameters", maxParameters == null ? null : maxParameters.toString());
        params.put("maxBytes", maxBytes == null ? null : maxBytes.toString());
        params.put("limit", Integer.toString(limit));
        PackageTarget.Identity self = PackageTarget.Identity.of(client);
        if (origin != null && self.isHere(origin)) {
            params.put("origin", self.publicUrl().orElse(origin));
        } else {
            params.put("origin", origin);
        }
        JsonArray results = client.getJson("/v1/search", params).optArray("results").orElse(JsonArray.of());
        if (json) {
            // each origin as the table and a reference name it (a log origin, this node's own included)
            List<JsonValue> named = new ArrayList<>();
            for (JsonValue v : results) {
                if (v instanceof JsonObject r) {
                    Map<String, JsonValue> members = new LinkedHashMap<>(r.members());
                    members.put("origin", JsonString.of(self.name(text(r, "origin"))));
                    named.add(JsonObject.of(members));
                }
            }
            out().println(Json.write(JsonObject.builder().put("results", JsonArray.of(named)).build()));
            return;
        }
        if (results.isEmpty()) {
            out().println("no packages found");
            return;
        }
        List<String> similar = new ArrayList<>();
        for (JsonValue v : results) {
            if (v instanceof JsonObject r && text(r, "match").equals("fuzzy")) {
                similar.add(text(r, "name"));
            }
        }
        if (!similar.isEmpty()) {
            // the node found nothing by words or part of a name and answered with the names most like the query
            out().println("no package matches '" + query + "'; did you mean: " + String.join(", ", similar) + "?");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "VERSION", "ORIGIN", "TASK", "LICENSE", "PARAMS", "SIZE", "SUMMARY"});
        for (JsonValue v : results) {
            if (!(v instanceof JsonObject r)) {
                continue;
            }
            // the origin as a reference names it: ORIGIN/NAME@VERSION pulls exactly this package
            rows.add(new String[] {text(r, "name"), text(r, "version"), self.name(text(r, "origin")), text(r, "task"),
                    text(r, "license"),
                    text(r, "parameters"), r.get("bytes").filter(b -> b instanceof JsonNumber)
                    .map(b -> TransferProgress.bytes(((JsonNumber) b).longValue())).orElse(""),
                    abbreviate(text(r, "summary"))});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out().println(line.toString().stripTrailing());
        }
    }

    static String text(JsonObject o, String key) {
        return o.get(key).map(v -> v instanceof JsonString s ? s.value()
                : v instanceof JsonNumber n ? n.literal() : "").orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() <= SUMMARY_WIDTH ? s : s.substring(0, SUMMARY_WIDTH - 3) + "...";
    }
}
