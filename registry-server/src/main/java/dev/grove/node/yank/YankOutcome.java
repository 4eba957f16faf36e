package dev.grove.node.yank;

import dev.grove.pkg.PackageName;

/**
 * What a yank did.
 *
 * @param changed false when the version was already yanked (repeating a yank is harmless)
 */
public record YankOutcome(PackageName name, String version, boolean changed) {

    public String ref() {
        return name + "@" + version;
    }
}
