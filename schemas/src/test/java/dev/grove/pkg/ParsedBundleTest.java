package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.dsse.Envelope;
import dev.grove.dsse.SignatureException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bundle's documents are parsed once, however many times it is verified, and only after its signatures verify. */
class ParsedBundleTest {

    @Test
    void verifyingAgainAndAServedCopyParseNothingAgain() {
        ParsedBundle parsed = ParsedBundle.parse(BundleTest.good());
        assertThat(parsed.parses()).isEqualTo(1);   // the contract

        VerifiedPackage first = BundleVerifier.verify(parsed, BundleTest.TRUST_ALICE);
        ParsedBundle served = parsed.withKeys(List.of(PublicKeyEntry.of(BundleTest.ALICE.publicKey())));
        VerifiedPackage second = BundleVerifier.verify(served, served.bundle().keyMap());

        assertThat(parsed.parses()).isEqualTo(3);
        assertThat(served.parses()).isEqualTo(3);
        assertThat(first.contract()).isSameAs(parsed.contract()).isSameAs(second.contract());
        assertThat(first.lineage()).isSameAs(parsed.lineage()).isSameAs(second.lineage());
        assertThat(first.evaluation()).isSameAs(parsed.evaluation()).isSameAs(second.evaluation());
        assertThat(second.digest()).isEqualTo(BundleVerifier.verify(BundleTest.good(), BundleTest.TRUST_ALICE).digest());
    }

    @Test
    void theCardsAreNotReadBeforeTheSignaturesVerify() {
        Bundle good = BundleTest.good();
        Envelope unsigned = Envelope.of(PayloadTypes.LINEAGE, "not json".getBytes(), good.lineage().signatures());
        ParsedBundle parsed = ParsedBundle.parse(new Bundle(good.contract(), unsigned, good.evaluation(), good.keys()));

        assertThatThrownBy(() -> BundleVerifier.verify(parsed, BundleTest.TRUST_ALICE))
                .isInstanceOf(SignatureException.class).hasMessageStartingWith("lineage: ");
        assertThat(parsed.parses()).isEqualTo(1);
    }
}
