package dev.grove.runtime.web;

import dev.grove.runtime.model.Model;
import java.util.Collections;
import java.util.List;

/**
 * A package that passed every check of {@link PackageLoader}, with its model ready to run.
 *
 * @param ref {@code namespace/name@version} as the contract states it
 * @param digest the package digest ({@code sha256:...})
 * @param labels the labels of the contract's first output, one per class
 */
public record LoadedPackage(String ref, String digest, Model model, List<String> labels, Report report) {
    public LoadedPackage {
        labels = Collections.unmodifiableList(labels);
    }
}
