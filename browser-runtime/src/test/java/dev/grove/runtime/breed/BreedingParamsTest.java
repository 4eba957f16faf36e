package dev.grove.runtime.breed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The lineage parameter formats: what grove breed writes is what a node reads back, and malformed ones are named. */
class BreedingParamsTest {

    @Test
    void quantizeRoundTrips() {
        assertThat(Json.write(QuantizeParams.of().toJson())).isEqualTo("{\"scheme\":\"int8-per-channel\"}");
        assertThat(QuantizeParams.parse(QuantizeParams.of().toJson())).isEqualTo(QuantizeParams.of());
        assertThat(QuantizeParams.parse(JsonObject.empty()).rerunnable()).isTrue();
        assertThat(QuantizeParams.parse(Json.parseObject("{\"scheme\":\"int4\"}")).rerunnable()).isFalse();
    }

    @Test
    void mergeRoundTrips() throws ParameterException {
        MergeParams p = MergeParams.weightedAverage(new float[] {0.25f, 0.75f});
        assertThat(Json.write(p.toJson())).isEqualTo("{\"method\":\"weighted-average\",\"weights\":[0.25,0.75]}");
        MergeParams back = MergeParams.parse(p.toJson(), 2);
        assertThat(back.method()).isEqualTo(MergeParams.WEIGHTED_AVERAGE);
        assertThat(back.weights()).containsExactly(0.25f, 0.75f);
        assertThat(MergeParams.method(Json.parseObject("{\"method\":\"slerp\"}"))).isEqualTo("slerp");
    }

    @Test
    void mergeNamesWhatIsWrong() {
        assertThatThrownBy(() -> MergeParams.parse(JsonObject.empty(), 2)).isInstanceOf(ParameterException.class)
                .hasMessage("parameters.weights must be an array of 2 numbers, one per parent");
        assertThatThrownBy(() -> MergeParams.parse(Json.parseObject("{\"weights\":[1]}"), 2))
                .hasMessage("parameters.weights has 1 numbers for 2 parents");
        assertThatThrownBy(() -> MergeParams.parse(Json.parseObject("{\"weights\":[1,\"x\"]}"), 2))
                .hasMessage("parameters.weights[1] must be a number");
    }

    @Test
    void pruneRoundTrips() throws ParameterException {
        PruneParams p = PruneParams.magnitude(0.5f);
        assertThat(Json.write(p.toJson())).isEqualTo("{\"method\":\"magnitude-per-layer\",\"sparsity\":0.5}");
        assertThat(PruneParams.parse(p.toJson())).isEqualTo(p);
        assertThatThrownBy(() -> PruneParams.parse(JsonObject.empty())).isInstanceOf(ParameterException.class)
                .hasMessage("parameters.sparsity must be a number");
        assertThatThrownBy(() -> PruneParams.parse(Json.parseObject("{\"sparsity\":\"half\"}")))
                .hasMessage("parameters.sparsity must be a number");
    }
}
