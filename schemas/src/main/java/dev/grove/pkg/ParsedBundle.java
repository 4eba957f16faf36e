package dev.grove.pkg;

import java.util.List;
import java.util.Objects;

/**
 * A bundle with its documents parsed by the strict reader once each, so that whoever checks it (the node's publish:
 * its claimed name, the signatures, the served copy's re-check, the log entry) hands the parsed documents along instead
 * of parsing the payload bytes again. The contract is parsed when this is made (a publish needs its name before it can
 * find the keys to verify with); the cards are parsed on first use, which {@link BundleVerifier} makes only after the
 * envelopes' signatures verified, so a forged bundle is still refused for its signatures before its cards are read.
 * The documents are always those of this bundle's own envelope payloads: nothing else can be put in.
 */
public final class ParsedBundle {

    private final Bundle bundle;
    private final Contract contract;
    private final Documents cards;

    /** The cards, shared by the copies {@link #withKeys} makes (same envelopes, same payloads). */
    private static final class Documents {
        private final Bundle bundle;
        private LineageCard lineage;
        private EvaluationCard evaluation;
        private int parses;

        private Documents(Bundle bundle) {
            this.bundle = bundle;
        }

        synchronized LineageCard lineage() {
            if (lineage == null) {
                parses++;
                lineage = LineageCard.parse(bundle.lineage().payload());
            }
            return lineage;
        }

        synchronized EvaluationCard evaluation() {
            if (evaluation == null) {
                parses++;
                evaluation = EvaluationCard.parse(bundle.evaluation().payload());
            }
            return evaluation;
        }
    }

    private ParsedBundle(Bundle bundle, Contract contract, Documents cards) {
        this.bundle = bundle;
        this.contract = contract;
        this.cards = cards;
    }

    /**
     * Parses the contract of {@code bundle}.
     *
     * @throws DocumentException, {@link dev.grove.json.JsonException} or IllegalArgumentException as
     *     {@link Contract#parse} does
     */
    public static ParsedBundle parse(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        return new ParsedBundle(bundle, Contract.parse(bundle.contract().payload()), new Documents(bundle));
    }

    public Bundle bundle() {
        return bundle;
    }

    public Contract contract() {
        return contract;
    }

    /** The lineage card, parsed on the first call. */
    public LineageCard lineage() {
        return cards.lineage();
    }

    /** The evaluation card, parsed on the first call. */
    public EvaluationCard evaluation() {
        return cards.evaluation();
    }

    /** The same envelopes (and their parsed documents) carrying {@code keys} instead of this bundle's keys. */
    public ParsedBundle withKeys(List<PublicKeyEntry> keys) {
        Bundle other = new Bundle(bundle.contract(), bundle.lineage(), bundle.evaluation(), keys);
        return new ParsedBundle(other, contract, cards);
    }

    /**
     * How many documents the strict reader has parsed for this bundle and its {@link #withKeys} copies: one each at
     * most, so 3 once the cards have been read. For tests that show a check hands the parsed documents along.
     */
    public int parses() {
        synchronized (cards) {
            return 1 + cards.parses;
        }
    }
}
