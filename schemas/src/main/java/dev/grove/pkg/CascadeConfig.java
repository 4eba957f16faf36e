package dev.grove.pkg;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code architecture.config} of a contract whose {@code architecture.family} is {@value #FAMILY}: the members in the
 * order they are consulted, smallest first, and the routing rule. Member {@code i < n-1} answers when
 * {@link CascadeRule#score} of its probabilities is at least {@code thresholds.get(i)}, else the input goes on to member
 * {@code i+1}; the last member always answers. A cascade carries no weights of its own.
 *
 * <pre>
 * "architecture": {"family": "cascade", "opset": 1, "config": {
 *   "rule": "top-probability",
 *   "members": [
 *     {"name": "garden/langid-int8", "version": "1.0.0", "digest": "sha256:...", "threshold": 0.9},
 *     {"name": "garden/langid", "version": "1.0.0", "digest": "sha256:..."}]}}
 * </pre>
 *
 * Thresholds are read as {@code float} (the type the runtimes compare in) from their decimal literal.
 */
public record CascadeConfig(CascadeRule rule, List<CascadeMember> members, List<Float> thresholds) {
    public static final String FAMILY = "cascade";
    public static final int MIN_MEMBERS = 2;
    public static final int MAX_MEMBERS = 8;

    // the mean cost a cascade's evaluation card states on its held-out set (docs/protocol.md, "Cascades"); a node
    // checks them against the members' contracts and the release rule's efficiency counts them
    /** Mean over inputs of the weights bytes of every member consulted (each fetched once per input, cold). */
    public static final String MEAN_BYTES_LOADED = "mean-bytes-loaded";
    /** Mean over inputs of the parameters of every member consulted. */
    public static final String MEAN_PARAMETERS_RUN = "mean-parameters-run";
    /** Mean over inputs of the multiply-adds of every member consulted. */
    public static final String MEAN_MULTIPLY_ADDS = "mean-multiply-adds";
    /** Mean measured wall time of one routed inference, in milliseconds (absent from reproducible builds). */
    public static final String MEAN_LATENCY_MS = "mean-latency-ms";
    /** Followed by a member's {@code name@version}: the share of inputs that member answered. */
    public static final String ANSWERED_BY = "answered-by/";

    public CascadeConfig {
        members = Collections.unmodifiableList(new ArrayList<>(members));
        thresholds = Collections.unmodifiableList(new ArrayList<>(thresholds));
        if (members.size() < MIN_MEMBERS || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a cascade has " + MIN_MEMBERS + " to " + MAX_MEMBERS + " members, got "
                    + members.size());
        }
        if (thresholds.size() != members.size() - 1) {
            throw new IllegalArgumentException("a cascade of " + members.size() + " members has "
                    + (members.size() - 1) + " thresholds, got " + thresholds.size());
        }
    }

    /** Whether a contract's {@code architecture} block names this family. */
    public static boolean isCascade(JsonObject architecture) {
        return architecture.optString("family").filter(FAMILY::equals).isPresent();
    }

    /** Reads the cascade of a contract's {@code architecture} block. @throws DocumentException naming the field */
    public static CascadeConfig fromArchitecture(JsonObject architecture) {
        Node arch = new Node(architecture, "architecture");
        if (!isCascade(architecture)) {
            throw arch.fail("family", "must be '" + FAMILY + "'");
        }
        if (arch.integer("opset") != 1) {
            throw arch.fail("opset", "a cascade is op-set 1, got " + arch.integer("opset"));
        }
        Node config = arch.object("config").only("rule", "members");
        CascadeRule rule = config.value("rule", CascadeRule::fromWire);
        List<Node> nodes = config.objects("members");
        if (nodes.size() < MIN_MEMBERS || nodes.size() > MAX_MEMBERS) {
            throw config.fail("members", "a cascade has " + MIN_MEMBERS + " to " + MAX_MEMBERS + " members, got "
                    + nodes.size());
        }
        List<CascadeMember> members = new ArrayList<>();
        List<Float> thresholds = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node m = nodes.get(i).only("name", "version", "digest", "threshold");
            CascadeMember member = new CascadeMember(m.packageName("name"), m.semver("version"), m.digest("digest"));
            if (!digests.add(member.digest().toString())) {
                throw m.fail("digest", "member " + member.digest() + " is listed twice");
            }
            boolean last = i == nodes.size() - 1;
            if (last) {
                if (m.json().has("threshold")) {
                    throw m.fail("threshold", "the last member always answers, so it has no threshold");
                }
            } else {
                if (!m.json().has("threshold")) {
                    throw m.fail("threshold", "every member but the last needs a threshold (0 to 1)");
                }
                double t = m.finiteNumber("threshold");
                if (!(t >= 0 && t <= 1)) {
                    throw m.fail("threshold", "must be between 0 and 1, got " + t);
                }
                thresholds.add(Float.parseFloat(((JsonNumber) m.json().get("threshold").orElseThrow()).literal()));
            }
            members.add(member);
        }
        return new CascadeConfig(rule, members, thresholds);
    }

    /** The {@code architecture} block that {@link #fromArchitecture} reads back to this value. */
    public JsonObject toArchitecture() {
        List<JsonValue> list = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            CascadeMember m = members.get(i);
            JsonObject.Builder b = JsonObject.builder().put("name", m.name().toString())
                    .put("version", m.version().toString()).put("digest", m.digest().toString());
            if (i < thresholds.size()) {
                // the exact decimal of the float, which every runtime parses back to the same float
                b.put("threshold", new JsonNumber(new java.math.BigDecimal(thresholds.get(i)).toPlainString()));
            }
            list.add(b.build());
        }
        return JsonObject.builder().put("family", FAMILY).put("opset", 1)
                .put("config", JsonObject.builder().put("rule", rule.wireName()).put("members", JsonArray.of(list))
                        .build())
                .build();
    }

    /** Whether member {@code index} answers with these probabilities (the last member always does). */
    public boolean answers(int index, float[] probabilities) {
        if (index >= thresholds.size()) {
            return true;
        }
        return rule.score(probabilities) >= thresholds.get(index);
    }
}
