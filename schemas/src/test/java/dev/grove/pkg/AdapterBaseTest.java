package dev.grove.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import org.junit.jupiter.api.Test;

class AdapterBaseTest {
    private static final String BASE = "{\"base\":{\"name\":\"demo/langid\",\"version\":\"1.0.0\",\"digest\":\""
            + Docs.PARENT_DIGEST + "\",\"weights\":\"" + Docs.WEIGHTS_DIGEST + "\"}}";

    private static JsonObject adapterContract() {
        JsonObject c = Docs.with(Docs.contract(), "architecture", "{\"family\":\"lora\",\"opset\":1,"
                + "\"config\":{\"rank\":1,\"alpha\":4.0}}");
        return Docs.with(c, "adapter", BASE);
    }

    private static LineageCard lineage(String operator, String parentDigest) {
        JsonObject l = Docs.with(Docs.lineage(), "operator", "\"" + operator + "\"");
        l = Docs.with(l, "parents", "[{\"digest\":\"" + parentDigest + "\"}]");
        return LineageCard.parse(Docs.bytes(l));
    }

    @Test
    void parse_adapterContractNamesItsBase() {
        Contract c = Contract.parse(Docs.bytes(adapterContract()));
        AdapterBase base = c.adapter().orElseThrow();
        assertThat(base.ref().toString()).isEqualTo("demo/langid@1.0.0");
        assertThat(base.version()).isEqualTo(SemVer.of(1, 0, 0));
        assertThat(base.digest()).isEqualTo(Sha256.parse(Docs.PARENT_DIGEST));
        assertThat(base.weights()).isEqualTo(Sha256.parse(Docs.WEIGHTS_DIGEST));
        assertThat(Contract.parse(Docs.bytes(Docs.contract())).adapter()).isEmpty();
    }

    @Test
    void parse_loraWithoutAdapterBlock() {
        JsonObject c = Docs.with(adapterContract(), "adapter", null);
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(c))).isInstanceOf(DocumentException.class)
                .hasMessage("adapter: an architecture of family 'lora' needs an adapter block naming its base package "
                        + "(name, version, digest, weights)");
    }

    @Test
    void parse_adapterBlockOnAnotherFamily() {
        JsonObject c = Docs.with(Docs.contract(), "adapter", BASE);
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(c))).isInstanceOf(DocumentException.class)
                .hasMessage("adapter: only an architecture of family 'lora' has an adapter block, not 'mlp'");
    }

    @Test
    void parse_adapterBaseWithoutWeights() {
        JsonObject c = Docs.with(adapterContract(), "adapter.base.weights", null);
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(c))).isInstanceOf(DocumentException.class)
                .hasMessage("adapter.base.weights: missing");
    }

    @Test
    void parse_adapterUnknownField() {
        JsonObject c = Docs.with(adapterContract(), "adapter.rank", "1");
        assertThatThrownBy(() -> Contract.parse(Docs.bytes(c))).isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("adapter.rank: ");
    }

    @Test
    void verify_adapterLineageMustCiteTheBase() {
        Contract c = Contract.parse(Docs.bytes(adapterContract()));
        BundleVerifier.checkAdapter(c, lineage("adapter", Docs.PARENT_DIGEST));
        assertThatThrownBy(() -> BundleVerifier.checkAdapter(c, lineage("adapter", Docs.DATA_DIGEST)))
                .isInstanceOf(DocumentException.class)
                .hasMessage("lineage: an adapter package's only parent must be its base demo/langid@1.0.0 ("
                        + Docs.PARENT_DIGEST + "), as the contract's adapter.base.digest says");
        assertThatThrownBy(() -> BundleVerifier.checkAdapter(c, lineage("fine-tune", Docs.PARENT_DIGEST)))
                .isInstanceOf(DocumentException.class)
                .hasMessage("lineage: an adapter package's operator must be 'adapter', not 'fine-tune'");
        Contract plain = Contract.parse(Docs.bytes(Docs.contract()));
        assertThatThrownBy(() -> BundleVerifier.checkAdapter(plain, lineage("adapter", Docs.PARENT_DIGEST)))
                .isInstanceOf(DocumentException.class)
                .hasMessageStartingWith("lineage: operator 'adapter' is for adapter packages");
    }
}
