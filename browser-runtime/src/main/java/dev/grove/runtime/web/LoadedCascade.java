package dev.grove.runtime.web;

import dev.grove.pkg.CascadeConfig;
import java.util.Collections;
import java.util.List;

/**
 * A cascade whose documents passed every check of {@link PackageLoader}: its members are named by digest, and each is
 * loaded through a loader of its own when routing first reaches it.
 *
 * @param labels the labels of the contract's first output, which every member must have too
 */
public record LoadedCascade(String ref, String digest, CascadeConfig config, List<String> labels, Report report) {
    public LoadedCascade {
        labels = Collections.unmodifiableList(labels);
    }
}
