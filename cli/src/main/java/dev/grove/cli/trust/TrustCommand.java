package dev.grove.cli.trust;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.VerificationException;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code grove trust list|pin|forget}: the log keys this client holds registries to. */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"See and change the log keys this client has pinned.",
                "grove pull, run and verify accept a version only with a proof in its origin's log, signed by the "
                        + "log's key. That key is pinned the first time a log is used (or with --log-key), and a "
                        + "checkpoint signed by another key, or not consistent with the largest one verified before, "
                        + "is refused from then on. The pins live in the file "
                        + "'known-logs' in the Grove configuration directory ($GROVE_CONFIG_DIR, else "
                        + "$XDG_CONFIG_HOME/grove, else ~/.config/grove)."},
        subcommands = {TrustCommand.ListPins.class, TrustCommand.Pin.class, TrustCommand.Forget.class})
public final class TrustCommand extends GroveSubcommand {

    @Override
    protected void run() {
        throw CommandFailure.usage("name a subcommand: grove trust list|pin|forget (see grove trust --help)");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print each pinned log: its origin, key, and the registries seen serving it as their own.")
    static final class ListPins extends GroveSubcommand {
        @Option(names = "--json", description = "Print {\"file\",\"logs\":[{\"origin\",\"key\",\"registries\",\"checkpointSize\"}]} "
                + "as JSON (checkpointSize only once a checkpoint of the log was verified).")
        boolean json;

        @Override
        protected void run() throws IOException {
            KnownLogs known = KnownLogs.user();
            List<KnownLogs.Pin> pins = known.all();
            if (json) {
                List<JsonValue> logs = new ArrayList<>();
                for (KnownLogs.Pin p : pins) {
                    JsonObject.Builder log = JsonObject.builder().put("origin", p.origin()).put("key", p.key().toString())
                            .put("registries", JsonArray.ofStrings(p.registries().stream().sorted().toList()));
                    CheckpointMemory.user().seen(p.key()).ifPresent(cp -> log.put("checkpointSize", cp.size()));
                    logs.add(log.build());
                }
                printJson(JsonObject.builder().put("file", known.file().toString()).put("logs", JsonArray.of(logs)).build());
                return;
            }
            if (pins.isEmpty()) {
                out().println("no log is pinned yet (" + known.file() + "); grove pull pins a log on first use");
                return;
            }
            for (KnownLogs.Pin p : pins) {
                out().println(p.origin());
                out().println("  key         " + p.key());
                CheckpointMemory.user().seen(p.key()).ifPresent(cp -> out().println("  checkpoint  size " + cp.size()
                        + ", the largest verified; every later one must be consistent with it"));
                for (String r : p.registries().stream().sorted().toList()) {
                    out().println("  registry    " + r);
                }
            }
            out().println("(" + pins.size() + " pinned in " + known.file() + ")");
        }
    }

    @Command(name = "pin", mixinStandardHelpOptions = true,
            description = {"Pin the key of log ORIGIN (e.g. registry.example/grove-log).",
                    "With --key, that key (its name must be ORIGIN); without, the key the origin's own node announces "
                            + "at /.well-known/grove/node (https://HOST, http on this machine), printed so that you "
                            + "can compare it with one you got another way. A log pinned to another key is refused: "
                            + "forget it first."})
    static final class Pin extends GroveSubcommand {
        @Parameters(index = "0", paramLabel = "ORIGIN", description = "The log's origin, e.g. registry.example/grove-log.")
        String origin;

        @Option(names = "--key", paramLabel = "KEY", description = "The log's verifier key (<origin>+<id>+<base64>).")
        String key;

        @Option(names = "--json", description = "Print {\"origin\",\"key\",\"source\",\"changed\",\"file\"} as JSON "
                + "(changed is false when the log was already pinned to that key).")
        boolean json;

        @Override
        protected void run() throws IOException {
            KnownLogs known = KnownLogs.user();
            NoteVerifier verifier;
            String from;
            if (key != null) {
                try {
                    verifier = NoteVerifier.parse(key.trim());
                } catch (NoteException e) {
                    throw CommandFailure.usage("--key: " + e.getMessage());
                }
                if (!verifier.name().equals(origin)) {
                    throw CommandFailure.usage("--key is the key of log " + verifier.name() + ", not " + origin);
                }
                from = "given with --key";
            } else {
                verifier = LogKeys.announcedByOrigin(origin).orElseThrow(() -> CommandFailure.refused("the node of log "
                        + origin + " (" + LogKeys.nodeOf(origin) + ") announces no key for it; pass --key KEY"));
                from = "announced by " + LogKeys.nodeOf(origin);
            }
            Optional<NoteVerifier> pinned = known.key(origin);
            if (pinned.isPresent() && pinned.get().equals(verifier)) {
                if (json) {
                    printJson(pinned(verifier, from, false, known));
                    return;
                }
                out().println("log " + origin + " is already pinned to " + verifier);
                return;
            }
            if (pinned.isPresent()) {
                throw new VerificationException("log " + origin + " is pinned to " + pinned.get() + ", not " + verifier
                        + "; " + known.forgetHint(origin));
            }
            known.pin(verifier, "");
            if (json) {
                printJson(pinned(verifier, from, true, known));
                return;
            }
            out().println("pinned log " + origin + " to " + verifier + " (" + from + ") in " + known.file());
        }
    }

    private static JsonObject pinned(NoteVerifier verifier, String source, boolean changed, KnownLogs known) {
        return JsonObject.builder().put("origin", verifier.name()).put("key", verifier.toString()).put("source", source)
                .put("changed", changed).put("file", known.file().toString()).build();
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = {"Remove the pin of log ORIGIN.",
                    "Only after that log was really reset (a new key): the next pull pins whatever key its node "
                            + "announces then."})
    static final class Forget extends GroveSubcommand {
        @Parameters(index = "0", paramLabel = "ORIGIN", description = "The log's origin, as grove trust list shows it.")
        String origin;

        @Option(names = "--json", description = "Print {\"origin\",\"forgotten\":true,\"file\"} as JSON.")
        boolean json;

        @Override
        protected void run() throws IOException {
            KnownLogs known = KnownLogs.user();
            if (!known.forget(origin)) {
                throw CommandFailure.refused("no pin for log " + origin + " in " + known.file()
                        + " (grove trust list shows the pins)");
            }
            CheckpointMemory.user().forget(origin);
            if (json) {
                printJson(JsonObject.builder().put("origin", origin).put("forgotten", true)
                        .put("file", known.file().toString()).build());
                return;
            }
            out().println("forgot the key of log " + origin + "; the next pull from it pins the key its node announces");
        }
    }
}
