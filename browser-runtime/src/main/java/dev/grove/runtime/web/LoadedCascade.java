package dev.grove.runtime.web;

import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.CascadeMember;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

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

    /**
     * Why a loaded package cannot be member {@code index} of this cascade (another digest than the one the cascade
     * names, or other labels), or empty when it can.
     */
    public Optional<String> memberProblem(int index, String digest, List<String> memberLabels) {
        if (index < 0 || index >= config.members().size()) {
            return Optional.of("the cascade has no member " + (index + 1));
        }
        CascadeMember named = config.members().get(index);
        if (!digest.equals(named.digest().toString())) {
            return Optional.of("member " + (index + 1) + " " + named.ref() + " loaded with digest " + digest
                    + ", but the cascade names " + named.digest());
        }
        if (!memberLabels.equals(labels)) {
            return Optional.of("member " + (index + 1) + " " + named.ref() + " has labels " + memberLabels
                    + ", the cascade " + labels);
        }
        return Optional.empty();
    }
}
