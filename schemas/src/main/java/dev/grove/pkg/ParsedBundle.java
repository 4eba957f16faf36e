package dev.grove.pkg;

import java.util.List;
import java.util.Objects;

/**
 * A bundle with its documents parsed by the strict reader once each, so that whoever checks it (the node's publish:
 * its claimed name, the signatures, the served copy's re-check, the log entry; a client's or a mirror's verification
 * and the log entry it rebuilds) hands the parsed documents along instead of parsing the payload bytes again. Made by
 * {@link #parse}, the contract is parsed at once (a publish needs its name before it can find the keys to verify with);
 * made by {@link #of}, nothing is parsed before it is asked for. Either way the cards are parsed on first use, which
 * {@link BundleVerifier} makes only after the envelopes' signatures verified, so a forged bundle is still refused for
 * its signatures before its cards are read (and, made by {@link #of}, its contract). The documents are always those
 * of this bundle's own envelope payloads: nothing else can be put in.
 */
public final class ParsedBundle {

    private final Bundle bundle;
    private final Documents documents;

    /** The documents, shared by the copies {@link #withKeys} makes (same envelopes, same payloads). */
    private static final class Documents {
        private final Bundle bundle;
        private Contract contract;
        private LineageCard lineage;
        private EvaluationCard evaluation;
        private int parses;

        private Documents(Bundle bundle) {
            this.bundle = bundle;
        }

        synchronized Contract contract() {
            if (contract == null) {
                parses++;
                contract = Contract.parse(bundle.contract().payload());
            }
            return contract;
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

    private ParsedBundle(Bundle bundle, Documents documents) {
        this.bundle = bundle;
        this.documents = documents;
    }

    /**
     * Parses the contract of {@code bundle}.
     *
     * @throws DocumentException, {@link dev.grove.json.JsonException} or IllegalArgumentException as
     *     {@link Contract#parse} does
     */
    public static ParsedBundle parse(Bundle bundle) {
        ParsedBundle parsed = of(bundle);
        parsed.contract();
        return parsed;
    }

    /** {@code bundle}, none of its documents parsed yet: each is parsed when first asked for. */
    public static ParsedBundle of(Bundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        return new ParsedBundle(bundle, new Documents(bundle));
    }

    public Bundle bundle() {
        return bundle;
    }

    /**
     * The contract, parsed on the first call (or by {@link #parse}).
     *
     * @throws DocumentException, {@link dev.grove.json.JsonException} or IllegalArgumentException as
     *     {@link Contract#parse} does
     */
    public Contract contract() {
        return documents.contract();
    }

    /** The lineage card, parsed on the first call. */
    public LineageCard lineage() {
        return documents.lineage();
    }

    /** The evaluation card, parsed on the first call. */
    public EvaluationCard evaluation() {
        return documents.evaluation();
    }

    /** The same envelopes (and their parsed documents) carrying {@code keys} instead of this bundle's keys. */
    public ParsedBundle withKeys(List<PublicKeyEntry> keys) {
        Bundle other = new Bundle(bundle.contract(), bundle.lineage(), bundle.evaluation(), keys);
        return new ParsedBundle(other, documents);
    }

    /**
     * How many documents the strict reader has parsed for this bundle and its {@link #withKeys} copies: one each at
     * most, so 3 once the contract and the cards have been read. For tests that show a check hands the parsed
     * documents along.
     */
    public int parses() {
        synchronized (documents) {
            return documents.parses;
        }
    }
}
