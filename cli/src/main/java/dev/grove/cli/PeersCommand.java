package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.federation.Evidence;
import dev.grove.federation.EvidenceCheck;
import dev.grove.federation.EvidenceException;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code grove peers}: the sources a registry follows logs through, with each one's state (caught up, behind, stale,
 * standby, unreachable, faulty or quarantined) and why, then each log with its sources in the order they are asked; the tree size and checkpoint it last verified, how far behind it is, the current fault, and
 * whether each peer is trusted or quarantined (and why); {@code --evidence} also prints what quarantined peers were
 * caught doing; {@code grove peers verify-evidence FILE} checks evidence offline.
 */
@Command(name = "peers", mixinStandardHelpOptions = true, subcommands = PeersCommand.VerifyEvidence.class,
        description = {"Show the nodes a registry follows (mirrors).",
                "For each peer (a source of a log): its state (caught-up, behind, stale, standby, unreachable, faulty, "
                        + "quarantined) and why, its log "
                        + "origin, status (trusted or quarantined), the size of the last checkpoint verified, the entries "
                        + "not yet copied, the seconds since the last successful check, the current fault (since when, "
                        + "attempts, next retry), the last contact and the last new checkpoint. Then each log with its "
                        + "sources, in the order they are asked: a log is read from the first source that answers "
                        + "and verifies.",
                "A peer is quarantined only with evidence anyone holding its log key can check offline: "
                        + "see 'grove peers verify-evidence'."})
public final class PeersCommand extends GroveSubcommand {

    @Mixin
    RegistryOptions registry;

    @Option(names = "--evidence", description = "Also print the evidence stored against misbehaving peers.")
    boolean evidence;

    @Option(names = "--json", description = "Print {\"peers\":[...],\"logs\":[...]} as the node's /v1/peers gives them "
            + "(with --evidence also \"evidence\":[...] from /v1/peers/evidence).")
    boolean json;

    @Override
    protected void run() {
        RegistryClient client = registry.client();
        JsonObject answer = client.getJson("/v1/peers");
        JsonArray peers = answer.optArray("peers").orElse(JsonArray.of());
        if (json) {
            JsonObject.Builder result = JsonObject.builder().put("peers", peers)
                    .put("logs", answer.optArray("logs").orElse(JsonArray.of()));
            if (evidence) {
                result.put("evidence", client.getJson("/v1/peers/evidence").optArray("evidence").orElse(JsonArray.of()));
            }
            printJson(result.build());
            return;
        }
        if (peers.isEmpty()) {
            out().println("no peers: " + registry.url() + " follows no other node");
            return;
        }
        out().printf(Locale.ROOT, "%-12s %-11s %-8s %-8s %-8s %-34s %s%n", "STATE", "STATUS", "TREE", "LAG", "CHECKED",
                "ORIGIN", "URL");
        for (JsonValue v : peers) {
            JsonObject p = (JsonObject) v;
            out().printf(Locale.ROOT, "%-12s %-11s %-8s %-8s %-8s %-34s %s%n", text(p, "state"), text(p, "status"),
                    text(p, "treeSize"), text(p, "lagEntries"), seconds(p.get("lagSeconds").orElse(null)),
                    text(p, "origin"), text(p, "url"));
            if (p.get("stateReason").orElse(null) instanceof JsonString why) {
                out().println("    " + text(p, "state") + ": " + why.value());
            } else if (p.get("reason").orElse(null) instanceof JsonString reason) {
                out().println("    reason: " + reason.value());
            }
            if (p.get("fault").orElse(null) instanceof JsonObject f) {
                out().println("    fault: " + text(f, "kind") + " since " + text(f, "since") + ", " + text(f, "attempts")
                        + " failed attempts, next retry " + text(f, "nextRetry"));
            }
            if (p.get("checkpoint").orElse(null) instanceof JsonObject cp && cp.get("root").orElse(null) instanceof JsonString root) {
                String cosigned = cp.get("cosignedAt").orElse(null) instanceof JsonString at
                        ? ", cosigned at " + at.value() + " (the latest witness time it carries)" : "";
                out().println("    checkpoint: size " + text(cp, "size") + ", root " + root.value() + cosigned);
            }
            if (p.get("witnessed").orElse(null) instanceof JsonObject w) {
                out().println("    witnessed: this node cosigned size " + text(w, "size") + " of that log at " + text(w, "at"));
            }
            String contact = text(p, "lastContact");
            String grown = p.get("lastCheckpoint").orElse(null) instanceof JsonObject last
                    ? "size " + text(last, "size") + " at " + text(last, "at") : "-";
            String served = p.get("lastServed").orElse(null) instanceof JsonObject seen
                    ? "; last served by it: size " + text(seen, "size") + " at " + text(seen, "at") : "";
            out().println("    last contact: " + contact + "; last new checkpoint: " + grown + served);
        }
        // each followed log with its sources, in the order they are asked
        JsonArray logs = answer.optArray("logs").orElse(JsonArray.of());
        if (!logs.isEmpty()) {
            out().println();
        }
        for (JsonValue v : logs) {
            JsonObject log = (JsonObject) v;
            List<String> sources = new ArrayList<>();
            for (JsonValue sv : log.optArray("sources").orElse(JsonArray.of())) {
                JsonObject src = (JsonObject) sv;
                sources.add(text(src, "url") + " (" + text(src, "state") + ")");
            }
            out().println("log " + text(log, "origin") + ": " + text(log, "state") + ", " + text(log, "stateReason"));
            out().println("    sources: " + String.join(", then ", sources));
        }
        if (evidence) {
            JsonArray all = client.getJson("/v1/peers/evidence").optArray("evidence").orElse(JsonArray.of());
            for (JsonValue v : all) {
                JsonObject e = (JsonObject) v;
                out().println();
                out().println("evidence #" + text(e, "id") + " against " + text(e, "peer") + " (" + text(e, "kind") + ", "
                        + text(e, "createdAt") + (e.has("format") ? ", " + text(e, "format") : "") + ")");
                out().println("  " + text(e, "detail"));
                for (String key : List.of("statements", "checkpoints")) {
                    for (JsonValue st : e.optArray(key).orElse(JsonArray.of())) {
                        if (st instanceof JsonString note) {
                            for (String line : note.value().split("\n")) {
                                out().println("  | " + line);
                            }
                        }
                    }
                }
                for (JsonValue en : e.optArray("entries").orElse(JsonArray.of())) {
                    if (en instanceof JsonObject entry) {
                        out().println("  entry " + text(entry, "index") + " (with its inclusion proof)");
                    }
                }
            }
            if (all.size() > 0) {
                out().println();
                out().println("check it offline: grove peers verify-evidence FILE (the answer of "
                        + registry.url() + "/v1/peers/evidence, or one record of it)");
            }
        }
    }

    private static String text(JsonObject o, String key) {
        JsonValue v = o.get(key).orElse(null);
        if (v instanceof JsonString s) {
            return s.value();
        }
        if (v instanceof JsonNumber n) {
            return n.literal();
        }
        return "-";
    }

    private static String seconds(JsonValue v) {
        return v instanceof JsonNumber n ? String.format(Locale.ROOT, "%.1fs", n.doubleValue()) : "-";
    }

    /** {@code grove peers verify-evidence FILE}: checks evidence offline, with nothing but a log key. */
    @Command(name = "verify-evidence", mixinStandardHelpOptions = true,
            description = {"Check evidence against a peer offline, with nothing but its log key.",
                    "FILE holds one grove.evidence/v1 record, or the whole answer of GET /v1/peers/evidence. Each record "
                            + "is checked: its checkpoints must verify with the key, and what they and its entries or "
                            + "consistency hashes carry must show that the key's holder signed statements that cannot all "
                            + "be true, or a log that breaks a Grove rule.",
                    "A check proves only that the holder of THAT key misbehaved. By default the key is the one the "
                            + "evidence names; give --log-key with the key you know for the log (pinned, or from the "
                            + "origin's own node) to tie the proof to that log.",
                    "Exit 0 when every record proves what it says; 1 naming what does not verify."})
    static final class VerifyEvidence extends GroveSubcommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "A grove.evidence/v1 record, or a /v1/peers/evidence answer.")
        Path file;

        @Option(names = "--log-key", paramLabel = "KEY",
                description = "The log's verifier key (<origin>+<id>+<key>) to check with, instead of the one the evidence names.")
        String logKey;

        @Option(names = "--json", description = "Print {\"ok\",\"records\":[{\"label\",\"ok\",\"kind\",\"origin\","
                + "\"statement\"} or {\"label\",\"ok\":false,\"error\"}]} as JSON; the exit code is the same.")
        boolean json;

        @Override
        protected void run() throws IOException {
            Optional<NoteVerifier> key = Optional.empty();
            if (logKey != null) {
                try {
                    key = Optional.of(NoteVerifier.parse(logKey.trim()));
                } catch (NoteException e) {
                    throw CommandFailure.usage("--log-key is not a verifier key: " + e.getMessage());
                }
            }
            JsonObject doc;
            try {
                doc = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
            } catch (JsonException | java.nio.charset.MalformedInputException e) {
                throw CommandFailure.refused(file + " is not a JSON object: " + e.getMessage()
                        + " (save one record of /v1/peers/evidence, or the whole answer)");
            }
            List<JsonObject> records = new ArrayList<>();
            if (doc.has("evidence")) {
                for (JsonValue v : doc.array("evidence")) {
                    if (!(v instanceof JsonObject o)) {
                        throw CommandFailure.refused(file + ": the evidence array holds something else than objects");
                    }
                    records.add(o);
                }
            } else {
                records.add(doc);
            }
            if (records.isEmpty()) {
                throw CommandFailure.refused(file + " holds no evidence");
            }
            List<String> failed = new ArrayList<>();
            List<JsonValue> results = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                JsonObject r = records.get(i);
                String label = r.has("id") ? "evidence #" + text(r, "id") : records.size() == 1 ? "evidence"
                        : "evidence " + (i + 1) + " of " + records.size();
                if (!r.has("format")) {
                    failed.add(label + " was stored before " + Evidence.FORMAT + " and carries only statements, which "
                            + "cannot be checked offline");
                    results.add(failure(label, failed.get(failed.size() - 1)));
                    continue;
                }
                try {
                    Evidence e = Evidence.parse(r);
                    EvidenceCheck.Proven p = key.isPresent() ? EvidenceCheck.check(e, key.get()) : EvidenceCheck.check(e);
                    results.add(JsonObject.builder().put("label", label).put("ok", true)
                            .put("kind", p.kind().wireName()).put("origin", p.origin()).put("statement", p.statement())
                            .put("keyGiven", key.isPresent()).build());
                    if (json) {
                        continue;
                    }
                    out().println(label + ": proven (" + p.kind().wireName() + ", log " + p.origin() + ")");
                    out().println("  " + p.statement());
                    out().println("  This proves only that the holder of that key misbehaved"
                            + (key.isPresent() ? " (the key you gave)." : "; the key is the one the evidence names: "
                            + "give --log-key with the key you know for " + p.origin() + " to tie it to that log."));
                } catch (IllegalArgumentException | EvidenceException e) {
                    failed.add(label + " does not verify: " + e.getMessage());
                    results.add(failure(label, failed.get(failed.size() - 1)));
                }
            }
            if (json) {
                printJson(JsonObject.builder().put("ok", failed.isEmpty()).put("records", JsonArray.of(results)).build());
            }
            if (!failed.isEmpty()) {
                failed.forEach(f -> err().println(f));
                throw CommandFailure.refused(failed.size() + " of " + records.size() + " evidence record"
                        + (records.size() == 1 ? "" : "s") + " do not prove what they say (" + failed.get(0) + ")");
            }
        }

        private static JsonObject failure(String label, String error) {
            return JsonObject.builder().put("label", label).put("ok", false).put("error", error).build();
        }
    }
}
