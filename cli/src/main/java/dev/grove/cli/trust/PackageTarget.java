package dev.grove.cli.trust;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.RegistryException;
import dev.grove.cli.command.CommandFailure;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.pkg.PackageRef;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which package a command's reference means on a registry, and which log it must be proven in. {@code
 * ORIGIN/NAMESPACE/NAME[@VERSION]} is origin {@code ORIGIN}'s package (this registry's own when ORIGIN is its log); a
 * plain {@code NAMESPACE/NAME[@VERSION]} is what the registry says the name means: its own package when it has one, else
 * the one origin it mirrors it from (a registry that mirrors it from several refuses the name, listing them). Either
 * way the key is the origin's, never the mirror's ({@link LogKeys#origin}): the registry only says where to look.
 *
 * @param origin the log of a mirrored package; empty for the registry's own
 * @param ref    the package and version asked for
 * @param base   the API prefix its documents are under: {@code /v1}, or {@code /v1/origins/<origin>}
 */
public record PackageTarget(Optional<String> origin, PackageRef ref, String base) {

    /** The reference as the user would qualify it. */
    public String label() {
        return origin.map(o -> o + "/").orElse("") + ref;
    }

    /** The key the version must be proven with: the registry's own log's, or the origin's. */
    public LogKeys.Resolved logKey(LogKeys keys, RegistryClient client, Optional<String> explicit) throws IOException {
        return origin.isPresent() ? keys.origin(origin.get(), explicit) : keys.ownLog(client, explicit);
    }

    /**
     * The origin of a global reference {@code ORIGIN/NAMESPACE/NAME[@VERSION]} (everything before the last two path
     * segments), or empty for a plain {@code NAMESPACE/NAME[@VERSION]}.
     */
    public static Optional<String> originOf(String ref) {
        int at = ref.indexOf('@');
        String path = at < 0 ? ref : ref.substring(0, at);
        int last = path.lastIndexOf('/');
        int second = last <= 0 ? -1 : path.lastIndexOf('/', last - 1);
        return second <= 0 ? Optional.empty() : Optional.of(path.substring(0, second));
    }

    /**
     * Resolves {@code text} on the registry.
     *
     * @throws CommandFailure a usage error for a malformed reference, a refusal for a plain name several origins have
     */
    public static PackageTarget locate(RegistryClient client, String text) {
        Optional<String> origin = originOf(text);
        PackageRef ref;
        try {
            ref = PackageRef.parse(origin.map(o -> text.substring(o.length() + 1)).orElse(text));
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        Identity self = Identity.of(client);
        if (origin.isPresent()) {
            return self.isHere(origin.get()) ? own(ref) : mirrored(origin.get(), ref);
        }
        JsonObject versions;
        try {
            versions = client.getJson("/v1/packages/" + ref.name().namespace() + "/" + ref.name().name());
        } catch (RegistryException e) {
            if (e.status() == 409) {
                throw CommandFailure.refused(client.base() + ": " + e.detail());
            }
            return own(ref); // not there: the version's own request says so
        }
        Optional<String> holder = versions.get("origin").filter(v -> v instanceof JsonString)
                .map(v -> ((JsonString) v).value());
        return holder.isEmpty() || self.isHere(holder.get()) ? own(ref) : mirrored(holder.get(), ref);
    }

    private static PackageTarget own(PackageRef ref) {
        return new PackageTarget(Optional.empty(), ref, "/v1");
    }

    private static PackageTarget mirrored(String origin, PackageRef ref) {
        return new PackageTarget(Optional.of(origin), ref, "/v1/origins/" + URLEncoder.encode(origin,
                StandardCharsets.UTF_8));
    }

    /** What the registry says it is: its public URL and its log origin (either names its own packages). */
    public record Identity(Optional<String> publicUrl, Optional<String> logOrigin) {

        public static Identity of(RegistryClient client) {
            try {
                JsonObject node = client.getJson("/.well-known/grove/node");
                return new Identity(node.optString("publicUrl"), node.optString("logOrigin"));
            } catch (RegistryException e) {
                if (e.isRefusal()) {
                    return new Identity(Optional.empty(), Optional.empty());
                }
                throw e;
            }
        }

        public boolean isHere(String origin) {
            String o = strip(origin);
            return publicUrl.map(Identity::strip).filter(o::equals).isPresent()
                    || logOrigin.filter(origin::equals).isPresent();
        }

        /** How the registry's own packages are named as an origin: its log origin, else its URL. */
        public String name(String origin) {
            return isHere(origin) ? logOrigin.orElse(origin) : origin;
        }

        private static String strip(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }
}
