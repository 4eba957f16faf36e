package dev.grove.node.lineage;

import dev.grove.node.problem.LineageNotReproduced;
import dev.grove.pkg.CascadeConfig;
import dev.grove.pkg.CascadeMember;
import dev.grove.pkg.Contract;
import dev.grove.pkg.EvaluationCard;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.runtime.web.ArchitectureJson;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The publish check of a cascade (contract family {@code cascade}), given the contracts of its members as this node
 * holds them: the lineage card cites the members as parents in order; each member is the package its digest names,
 * under the name and version the cascade states, with the cascade's interface (inputs, outputs, labels) and weights
 * this node's runtime runs (a cascade of cascades is refused); and the mean cost on the card's first (held-out)
 * evaluation agrees with the members' contracts and the share of inputs each member answered. Routing is
 * deterministic, but the held-out data is not on the node, so the card's accuracy is not re-measured here.
 */
final class CascadeCheck {
    /** Rounding the card's figures allows: shares have 4 decimals, so a mean may be off by that times the sizes. */
    private static final double SHARE_ROUNDING = 0.0001;

    private CascadeCheck() {
    }

    /** @param members each member's contract, in the cascade's order; @throws LineageNotReproduced naming what differs */
    static LineageReproduction.Outcome check(VerifiedPackage pkg, List<Contract> members) {
        CascadeConfig config = CascadeConfig.fromArchitecture(pkg.contract().architecture());
        Contract self = pkg.contract();
        long totalBytes = 0;
        long totalParameters = 0;
        for (int i = 0; i < members.size(); i++) {
            CascadeMember named = config.members().get(i);
            Contract m = members.get(i);
            String which = "cascade member " + (i + 1) + " (" + named.ref() + ", " + named.digest() + ")";
            if (!m.name().equals(named.name()) || !m.version().equals(named.version())) {
                throw new LineageNotReproduced(which + ": the package with that digest is " + m.ref() + "; name each "
                        + "member as its contract does");
            }
            if (CascadeConfig.isCascade(m.architecture())) {
                throw new LineageNotReproduced(which + " is itself a cascade; list its members instead");
            }
            try {
                ArchitectureJson.fromJson(m.architecture());
            } catch (RuntimeException | dev.grove.runtime.model.ModelException e) {
                throw new LineageNotReproduced(which + " has an architecture this node's runtime cannot run: "
                        + e.getMessage(), e);
            }
            if (!m.inputs().equals(self.inputs())) {
                throw new LineageNotReproduced(which + " has inputs " + m.inputs() + ", the cascade " + self.inputs()
                        + "; every member takes the cascade's inputs");
            }
            if (!m.outputs().equals(self.outputs())) {
                throw new LineageNotReproduced(which + " has outputs " + m.outputs() + ", the cascade "
                        + self.outputs() + "; every member gives the cascade's outputs and labels, in order");
            }
            totalBytes += m.bytes();
            totalParameters += m.parameters();
        }
        if (pkg.evaluation().evaluations().isEmpty()) {
            throw new LineageNotReproduced("evaluation card: a cascade states its held-out accuracy and mean cost ("
                    + CascadeConfig.MEAN_BYTES_LOADED + ", " + CascadeConfig.MEAN_PARAMETERS_RUN + ", "
                    + CascadeConfig.ANSWERED_BY + "<member> for each member) on its first evaluation");
        }
        EvaluationCard.Evaluation held = pkg.evaluation().evaluations().get(0);
        Map<String, Double> metrics = new HashMap<>();
        for (EvaluationCard.Metric metric : held.metrics()) {
            metrics.put(metric.name(), metric.value());
        }
        double[] share = new double[members.size()];
        double sum = 0;
        for (int i = 0; i < members.size(); i++) {
            String name = CascadeConfig.ANSWERED_BY + config.members().get(i).ref();
            share[i] = require(metrics, name, held);
            sum += share[i];
        }
        if (Math.abs(sum - 1) > SHARE_ROUNDING * members.size()) {
            throw new LineageNotReproduced("evaluation card: the shares answered by the members add up to "
                    + f(sum) + ", not 1");
        }
        double bytes = 0;
        double parameters = 0;
        long bytesUpTo = 0;
        long parametersUpTo = 0;
        for (int i = 0; i < members.size(); i++) {
            bytesUpTo += members.get(i).bytes();
            parametersUpTo += members.get(i).parameters();
            bytes += share[i] * bytesUpTo;
            parameters += share[i] * parametersUpTo;
        }
        agree(metrics, CascadeConfig.MEAN_BYTES_LOADED, bytes, totalBytes, held);
        agree(metrics, CascadeConfig.MEAN_PARAMETERS_RUN, parameters, totalParameters, held);
        return new LineageReproduction.Outcome(true, "every member is on this node under the digest the cascade "
                + "names, with its interface and labels; the card's " + CascadeConfig.MEAN_BYTES_LOADED + " and "
                + CascadeConfig.MEAN_PARAMETERS_RUN + " follow from the members' contracts and the shares answered "
                + "(the accuracy needs the held-out data, which this node does not hold)");
    }

    private static double require(Map<String, Double> metrics, String name, EvaluationCard.Evaluation held) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new LineageNotReproduced("evaluation card: a cascade states " + name + " on its first evaluation ("
                    + held.datasetName() + "); grove breed cascade writes it");
        }
        return v;
    }

    private static void agree(Map<String, Double> metrics, String name, double expected, long scale,
                              EvaluationCard.Evaluation held) {
        double stated = require(metrics, name, held);
        if (Math.abs(stated - expected) > SHARE_ROUNDING * scale + 1) {
            throw new LineageNotReproduced("evaluation card: " + name + " is " + f(stated) + ", but the members' "
                    + "contracts and the shares answered give " + f(expected));
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
