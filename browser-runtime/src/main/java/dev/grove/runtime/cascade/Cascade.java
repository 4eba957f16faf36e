package dev.grove.runtime.cascade;

import dev.grove.pkg.CascadeConfig;
import dev.grove.runtime.model.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A cascade with every member loaded: routes an input to the first member whose confidence clears its threshold. */
public final class Cascade {
    private final CascadeConfig config;
    private final List<Model> members;

    /** @param members the loaded members, in the order of {@code config.members()} */
    public Cascade(CascadeConfig config, List<Model> members) {
        if (members.size() != config.members().size()) {
            throw new IllegalArgumentException("the cascade names " + config.members().size() + " members, "
                    + members.size() + " were given");
        }
        int classes = members.get(0).architecture().classes();
        for (int i = 1; i < members.size(); i++) {
            if (members.get(i).architecture().classes() != classes) {
                throw new IllegalArgumentException("member " + config.members().get(i).ref() + " has "
                        + members.get(i).architecture().classes() + " classes, member " + config.members().get(0).ref()
                        + " has " + classes);
            }
        }
        this.config = config;
        this.members = Collections.unmodifiableList(new ArrayList<>(members));
    }

    public CascadeConfig config() {
        return config;
    }

    /**
     * Which member answered and its probabilities; members before it were consulted and escalated.
     *
     * @param member index into {@link CascadeConfig#members()}
     */
    public record Answer(int member, float[] probabilities) {
        public Answer {
            probabilities = probabilities.clone();
        }

        @Override
        public float[] probabilities() {
            return probabilities.clone();
        }
    }

    /** Runs members in order until one answers (the last always does). */
    public Answer route(String text) {
        for (int i = 0; ; i++) {
            float[] p = members.get(i).predict(text);
            if (config.answers(i, p)) {
                return new Answer(i, p);
            }
        }
    }
}
