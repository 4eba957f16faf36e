package dev.grove.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.json.JsonObject;
import dev.grove.pkg.Contract;
import dev.grove.pkg.Docs;
import dev.grove.semver.SemVer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterfaceCompatibilityTest {
    private static final String TEXT = "{\"name\":\"text\",\"dtype\":\"string\",\"shape\":[]}";
    private static final String PROBS = "{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[3],"
            + "\"labels\":[\"en\",\"fr\",\"de\"]}";

    private static Contract contract(String inputs, String outputs) {
        JsonObject json = Docs.with(Docs.contract(), "interface.inputs", inputs);
        json = Docs.with(json, "interface.outputs", outputs);
        return Contract.parse(Docs.bytes(json));
    }

    private static final Contract PREVIOUS = contract("[" + TEXT + "]", "[" + PROBS + "]");

    private static Optional<String> against(String inputs, String outputs) {
        return InterfaceCompatibility.firstBreak(PREVIOUS, contract(inputs, outputs));
    }

    @Test
    void sameInterfaceIsCompatible() {
        assertThat(InterfaceCompatibility.firstBreak(PREVIOUS, PREVIOUS)).isEmpty();
    }

    @Test
    void compatibleChanges() {
        // a new optional input, a new output, reordering, and labels appended with the label dimension growing
        String mask = "{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[-1],\"optional\":true}";
        String grown = "{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[5],"
                + "\"labels\":[\"en\",\"fr\",\"de\",\"es\",\"it\"]}";
        String extra = "{\"name\":\"embedding\",\"dtype\":\"float32\",\"shape\":[16]}";
        assertThat(against("[" + mask + "," + TEXT + "]", "[" + extra + "," + grown + "]")).isEmpty();
        // an input that was required may become optional
        assertThat(against("[{\"name\":\"text\",\"dtype\":\"string\",\"shape\":[],\"optional\":true}]",
                "[" + PROBS + "]")).isEmpty();
    }

    @Test
    void labelDimensionGrowsInBatchedShape() {
        Contract prev = contract("[" + TEXT + "]", "[{\"name\":\"p\",\"dtype\":\"float32\",\"shape\":[-1,2],"
                + "\"labels\":[\"a\",\"b\"]}]");
        Contract next = contract("[" + TEXT + "]", "[{\"name\":\"p\",\"dtype\":\"float32\",\"shape\":[-1,3],"
                + "\"labels\":[\"a\",\"b\",\"c\"]}]");
        assertThat(InterfaceCompatibility.firstBreak(prev, next)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // input removed
        "[{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[],\"optional\":true}]|" + PROBS_ONLY
            + "|interface.inputs[text]: removed",
        // input dtype changed
        "[{\"name\":\"text\",\"dtype\":\"int32\",\"shape\":[]}]|" + PROBS_ONLY
            + "|interface.inputs[text].dtype: was \"string\", now \"int32\"",
        // input shape changed
        "[{\"name\":\"text\",\"dtype\":\"string\",\"shape\":[1]}]|" + PROBS_ONLY
            + "|interface.inputs[text].shape: was [], now [1]",
        // new required input
        "[" + TEXT_JSON + ",{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[]}]|" + PROBS_ONLY
            + "|interface.inputs[mask]: new input must be optional",
        // output removed
        "[" + TEXT_JSON + "]|[{\"name\":\"logits\",\"dtype\":\"float32\",\"shape\":[3]}]"
            + "|interface.outputs[probabilities]: removed",
        // output dtype changed
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"int8\",\"shape\":[3],\"labels\":[\"en\",\"fr\",\"de\"]}]"
            + "|interface.outputs[probabilities].dtype: was \"float32\", now \"int8\"",
        // label changed
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[3],\"labels\":[\"en\",\"de\",\"fr\"]}]"
            + "|interface.outputs[probabilities].labels[1]: was \"fr\", now \"de\"",
        // label removed
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[2],\"labels\":[\"en\",\"fr\"]}]"
            + "|interface.outputs[probabilities].labels[2]: was \"de\", now removed",
        // labels inserted at the front (not appended)
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[4],\"labels\":[\"es\",\"en\",\"fr\",\"de\"]}]"
            + "|interface.outputs[probabilities].labels[0]: was \"en\", now \"es\"",
        // labels appended but shape not grown with them
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[5],\"labels\":[\"en\",\"fr\",\"de\",\"es\"]}]"
            + "|interface.outputs[probabilities].shape[0]: was 3, now 5",
        // shape changed without labels changing
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[4],\"labels\":[\"en\",\"fr\",\"de\"]}]"
            + "|interface.outputs[probabilities].shape[0]: was 3, now 4",
        // output rank changed
        "[" + TEXT_JSON + "]|[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[1,3],\"labels\":[\"en\",\"fr\",\"de\"]}]"
            + "|interface.outputs[probabilities].shape: was [3], now [1,3]",
    })
    void breaks(String inputs, String outputs, String message) {
        assertThat(against(inputs, outputs)).contains(message);
    }

    private static final String TEXT_JSON = "{\"name\":\"text\",\"dtype\":\"string\",\"shape\":[]}";
    private static final String PROBS_ONLY = "[{\"name\":\"probabilities\",\"dtype\":\"float32\",\"shape\":[3],"
            + "\"labels\":[\"en\",\"fr\",\"de\"]}]";

    @Test
    void optionalInputMadeRequiredBreaks() {
        Contract prev = contract("[{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[],\"optional\":true}]",
                "[" + PROBS + "]");
        Contract next = contract("[{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[]}]", "[" + PROBS + "]");
        assertThat(InterfaceCompatibility.firstBreak(prev, next)).contains("interface.inputs[mask].optional: was true, now false");
    }

    @Test
    void firstBreakIsReportedInOrder() {
        // both an input and an output break: inputs are checked first
        assertThat(against("[{\"name\":\"mask\",\"dtype\":\"bool\",\"shape\":[],\"optional\":true}]",
                "[{\"name\":\"logits\",\"dtype\":\"float32\",\"shape\":[3]}]"))
                .contains("interface.inputs[text]: removed");
    }

    @Test
    void labelDimensionMayOnlyGrowWithLabels() {
        // shape dimension equal to the old label count cannot grow when labels did not grow
        Contract prev = contract("[" + TEXT + "]", "[{\"name\":\"p\",\"dtype\":\"float32\",\"shape\":[2],"
                + "\"labels\":[\"a\",\"b\"]}]");
        Contract next = contract("[" + TEXT + "]", "[{\"name\":\"p\",\"dtype\":\"float32\",\"shape\":[3],"
                + "\"labels\":[\"a\",\"b\"]}]");
        assertThat(InterfaceCompatibility.firstBreak(prev, next)).contains("interface.outputs[p].shape[0]: was 2, now 3");
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.0, 1.1.0, true",
        "1.2.0, 1.2.1, true",
        "1.9.0, 2.0.0, false",
        "0.1.0, 0.2.0, false",
        "0.1.0, 0.1.1, false",
        "1.0.0, 1.1.0-rc.1, false",
        "1.1.0-rc.1, 1.1.0, false",
    })
    void mustBeCompatible(String previous, String next, boolean expected) {
        assertThat(InterfaceCompatibility.mustBeCompatible(SemVer.parse(previous), SemVer.parse(next)))
                .isEqualTo(expected);
    }
}
