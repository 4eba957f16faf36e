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
 * {@code grove peers}: the nodes a registry follows, with the tree size and checkpoint it last verified, how far behind it
 * is, and whether each peer is trusted or quarantined (and why); {@code --evidence} also prints what quarantined peers
 * were caught doing.
 */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = {"Show the nodes a registry follows (mirrors).",
                "For each peer: its log origin, status (trusted or quarantined, with the reason), the size of the last "
                        + "checkpoint verified, the entries not yet copied, and the seconds since the last successful check."})
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
        out().printf(Locale.ROOT, "%-11s %-8s %-8s %-8s %-34s %s%n", "STATUS", "TREE", "LAG", "CHECKED", "ORIGIN", "URL");
        for (JsonValue v : peers) {
            JsonObject p = (JsonObject) v;
            out().printf(Locale.ROOT, "%-11s %-8s %-8s %-8s %-34s %s%n", text(p, "status"), text(p, "treeSize"),
                    text(p, "lagEntries"), seconds(p.get("lagSeconds").orElse(null)), text(p, "origin"), text(p, "url"));
            if (p.get("reason").orElse(null) instanceof JsonString reason) {
                out().println("    reason: " + reason.value());
            }
            if (p.get("checkpoint").orElse(null) instanceof JsonObject cp && cp.get("root").orElse(null) instanceof JsonString root) {
                out().println("    checkpoint: size " + text(cp, "size") + ", root " + root.value());
            }
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
