package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.KeyId;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code --trusted-key KEYID ...}: accept only signatures by these keys. */
public final class TrustedKeysOption {

    @Option(names = "--trusted-key", paramLabel = "KEYID", arity = "1..*",
            description = "Key id (64 hex digits) to trust; repeatable. Without it, the keys the bundle carries are used "
                    + "to check the signatures, and only the integrity of the package is shown.")
    List<String> keyIds = new ArrayList<>();

    /** The parsed key ids, empty when none were given; a malformed id is a usage error. */
    public Set<KeyId> keyIds() {
        Set<KeyId> ids = new LinkedHashSet<>();
        for (String text : keyIds) {
            try {
                ids.add(KeyId.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                throw CommandFailure.usage("--trusted-key: " + e.getMessage());
            }
        }
        return ids;
    }
}
