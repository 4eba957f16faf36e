package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code grove peers}: the nodes a registry follows, with each one's state (caught up, behind, stale, unreachable, faulty
 * or quarantined) and why, the tree size and checkpoint it last verified, how far behind it is, the current fault, and
 * whether each peer is trusted or quarantined (and why); {@code --evidence} also prints what quarantined peers were
 * caught doing.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = {"Show the nodes a registry follows (mirrors).",
                "For each peer: its state (caught-up, behind, stale, unreachable, faulty, quarantined) and why, its log "
                        + "origin, status (trusted or quarantined), the size of the last checkpoint verified, the entries "
                        + "not yet copied, the seconds since the last successful check, the current fault (since when, "
                        + "attempts, next retry), the last contact and the last new checkpoint."})
public final class PeersCommand extends GroveSubcommand {

    @Mixin
    RegistryOptions registry;

    @Option(names = "--evidence", description = "Also print the evidence stored against misbehaving peers.")
    boolean evidence;

    @Override
    protected void run() {
        RegistryClient client = registry.client();
        JsonArray peers = client.getJson("/v1/peers").optArray("peers").orElse(JsonArray.of());
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
            out().println("    last contact: " + contact + "; last new checkpoint: " + grown);
        }
        if (evidence) {
            JsonArray all = client.getJson("/v1/peers/evidence").optArray("evidence").orElse(JsonArray.of());
            for (JsonValue v : all) {
                JsonObject e = (JsonObject) v;
                out().println();
                out().println("evidence #" + text(e, "id") + " against " + text(e, "peer") + " (" + text(e, "kind") + ", "
                        + text(e, "createdAt") + ")");
                out().println("  " + text(e, "detail"));
                for (JsonValue s : e.optArray("statements").orElse(JsonArray.of())) {
                    if (s instanceof JsonString st) {
                        for (String line : st.value().split("\n")) {
                            out().println("  | " + line);
                        }
                    }
                }
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
}
