package dev.grove.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogHandlerTest {

    @Test
    void routePutsPathParametersBackAsTheirNames() {
        assertThat(AccessLogHandler.route("/v1/blobs/sha256:ab", Map.of("digest", "sha256:ab")))
                .isEqualTo("/v1/blobs/:digest");
        assertThat(AccessLogHandler.route("/v1/packages/demo/langid/versions/1.0.0",
                Map.of("namespace", "demo", "name", "langid", "version", "1.0.0")))
                .isEqualTo("/v1/packages/:namespace/:name/versions/:version");
        assertThat(AccessLogHandler.route("/healthz", Map.of())).isEqualTo("/healthz");
    }
}
