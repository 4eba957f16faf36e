package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.verify.NamespaceKeys;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code grove keyset}: show or change the keys allowed to publish into a namespace. */
@Command(name = "keyset", mixinStandardHelpOptions = true,
        description = "Show or change the keyset of a namespace (the keys allowed to publish into it).",
        subcommands = {KeysetCommand.Show.class, KeysetCommand.Rotate.class})
public final class KeysetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: show or rotate");
    }

    static String namespace(String text) {
        try {
            return PackageName.checkNamespace(text);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }

    /** The current keys of a namespace, read from the node's document. */
    static Map<KeyId, Ed25519PublicKey> currentKeys(JsonObject doc) {
        Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
        try {
            JsonArray array = doc.array("keys");
            for (int i = 0; i < array.size(); i++) {
                JsonObject entry = array.object(i);
                Ed25519PublicKey key = Ed25519PublicKey.fromBase64(entry.string("publicKey"));
                if (!key.keyId().hex().equals(entry.string("keyid"))) {
                    throw CommandFailure.refused("the node lists key " + entry.string("keyid")
                            + " with a public key whose id is " + key.keyId());
                }
                keys.put(key.keyId(), key);
            }
        } catch (JsonException | IllegalArgumentException e) {
            throw CommandFailure.refused("the node's keyset document is malformed: " + e.getMessage(), e);
        }
        return keys;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a namespace's current keyset and its history.")
    static final class Show extends GroveSubcommand {

        @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The namespace, e.g. demo.")
        String namespace;

        @Mixin
        RegistryOptions registry;

        @Option(names = "--json", description = "Print the node's namespace document (namespace, sequence, keys, history) "
                + "as JSON, after checking it as the table is checked.")
        boolean json;

        @Override
        protected void run() {
            String ns = namespace(namespace);
            JsonObject doc = registry.client().getJson("/v1/namespaces/" + ns);
            NamespaceKeys.of(ns, doc);
            if (json) {
                printJson(doc);
                return;
            }
            out().println("namespace " + ns + ", keyset sequence " + SearchCommand.text(doc, "sequence"));
            for (KeyId id : currentKeys(doc).keySet()) {
                out().println("  " + id.hex());
            }
            out().println("history");
            for (JsonValue v : doc.optArray("history").orElse(JsonArray.of())) {
                if (v instanceof JsonObject change) {
                    List<String> ids = new ArrayList<>();
                    for (JsonValue k : change.optArray("keys").orElse(JsonArray.of())) {
                        if (k instanceof JsonObject key) {
                            ids.add(SearchCommand.text(key, "keyid"));
                        }
                    }
                    out().println("  " + SearchCommand.text(change, "sequence") + "  " + SearchCommand.text(change,
                            "changedAt") + "  " + String.join(", ", ids));
                }
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Change a namespace's keyset: add and remove keys, signed by a key of the current keyset.",
                    "To move to a new key, add it and remove the old one in one change (grove keyset rotate demo --key "
                            + "old.key --add new.key --remove OLD_KEYID).",
                    "Packages signed by a removed key stay valid: grove pull reports their signer as being in an "
                            + "earlier keyset."})
    static final class Rotate extends GroveSubcommand {

        @Parameters(index = "0", paramLabel = "NAMESPACE", description = "The namespace, e.g. demo.")
        String namespace;

        @Mixin
        KeyFileOption key;

        @Option(names = "--add", paramLabel = "FILE", description = "Key file (from grove keygen) whose public key joins "
                + "the keyset; repeatable.")
        List<Path> add = new ArrayList<>();

        @Option(names = "--add-public-key", paramLabel = "BASE64", description = "Public key (base64) that joins the "
                + "keyset; repeatable.")
        List<String> addPublic = new ArrayList<>();

        @Option(names = "--remove", paramLabel = "KEYID", description = "Key id that leaves the keyset; repeatable.")
        List<String> remove = new ArrayList<>();

        @Mixin
        RegistryOptions registry;

        @Option(names = "--json", description = "Print {\"namespace\",\"sequence\",\"keys\":[KEYID...]} of the new keyset as "
                + "JSON.")
        boolean json;

        @Override
        protected void run() throws IOException {
            String ns = namespace(namespace);
            Ed25519PrivateKey signer = key.read();
            List<Ed25519PublicKey> joining = new ArrayList<>();
            for (Path file : add) {
                KeyFileOption other = new KeyFileOption();
                other.file = file;
                joining.add(other.read().publicKey());
            }
            for (String base64 : addPublic) {
                try {
                    joining.add(Ed25519PublicKey.fromBase64(base64));
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage("--add-public-key: " + e.getMessage());
                }
            }
            List<KeyId> leaving = new ArrayList<>();
            for (String id : remove) {
                try {
                    leaving.add(KeyId.parse(id));
                } catch (IllegalArgumentException e) {
                    throw CommandFailure.usage("--remove: " + e.getMessage());
                }
            }
            if (joining.isEmpty() && leaving.isEmpty()) {
                throw CommandFailure.usage("nothing to change: give --add, --add-public-key or --remove");
            }
            RegistryClient client = registry.client();
            JsonObject doc = client.getJson("/v1/namespaces/" + ns);
            long sequence;
            try {
                sequence = doc.integer("sequence");
            } catch (JsonException e) {
                throw CommandFailure.refused("the node's keyset document is malformed: " + e.getMessage(), e);
            }
            Map<KeyId, Ed25519PublicKey> keys = currentKeys(doc);
            // the change names the keyset it replaces, so that it applies nowhere else (another node's keyset of ns)
            Sha256 previous = KeysetChange.keysetDigest(ns, sequence, keys.keySet());
            if (!keys.containsKey(signer.keyId())) {
                throw CommandFailure.refused("key " + signer.keyId() + " is not in the current keyset of namespace '" + ns
                        + "' (" + String.join(", ", keys.keySet().stream().map(KeyId::hex).toList())
                        + "); sign the change with one of those keys");
            }
            for (KeyId id : leaving) {
                if (keys.remove(id) == null) {
                    throw CommandFailure.usage("--remove " + id + ": not in the current keyset of namespace '" + ns + "'");
                }
            }
            for (Ed25519PublicKey k : joining) {
                keys.put(k.keyId(), k);
            }
            if (keys.isEmpty()) {
                throw CommandFailure.usage("the change would leave namespace '" + ns + "' with no key");
            }
            List<PublicKeyEntry> entries = keys.values().stream().map(PublicKeyEntry::of).toList();
            KeysetChange change = new KeysetChange(ns, sequence + 1, previous, entries);
            Envelope envelope = EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(change.toJson()), signer);
            client.postJson("/v1/namespaces/" + ns + "/keyset", envelope.toJsonString().getBytes(StandardCharsets.UTF_8));
            if (json) {
                printJson(JsonObject.builder().put("namespace", ns).put("sequence", change.sequence())
                        .put("keys", JsonArray.ofStrings(entries.stream().map(e -> e.keyid().hex()).toList())).build());
                return;
            }
            out().println("namespace " + ns + " keyset is now sequence " + change.sequence() + ":");
            for (PublicKeyEntry entry : entries) {
                out().println("  " + entry.keyid().hex());
            }
        }
    }
}
