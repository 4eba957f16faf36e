package dev.grove.node;

import dev.grove.node.http.HttpLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder, its copies and its checks: every setting has one default, and a copy changes only what it names. */
class NodeConfigTest {

    @Test
    void theBuilderStartsFromTheDefaults() {
        NodeConfig defaults = NodeConfig.defaults();
        assertThat(NodeConfig.builder().build()).isEqualTo(defaults);
        assertThat(defaults.port()).isEqualTo(NodeConfig.DEFAULT_PORT);
        assertThat(defaults.host()).isEqualTo("0.0.0.0");
        assertThat(defaults.dataDir()).isEqualTo(Path.of("data"));
        assertThat(defaults.pgUrl()).isEmpty();
        assertThat(defaults.publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(defaults.peers()).isEmpty();
        assertThat(defaults.followInterval()).isEqualTo(NodeConfig.DEFAULT_FOLLOW_INTERVAL);
        assertThat(defaults.limits()).isEqualTo(HttpLimits.defaults());
    }

    @Test
    void aCopyChangesOnlyWhatItNames() {
        NodeConfig config = NodeConfig.builder().port(0).host("127.0.0.1").dataDir(Path.of("d")).pgUrl("postgresql://x/y")
                .publicUrl("https://grove.example/").instances(3).peers(List.of("http://peer"))
                .followInterval(Duration.ofMillis(100)).build();
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.withPort(9090)).isEqualTo(config.toBuilder().port(9090).build());
        NodeConfig moved = config.withPort(9090);
        assertThat(moved.port()).isEqualTo(9090);
        assertThat(moved.withPort(0)).isEqualTo(config);
        assertThat(config.publicUrl()).isEqualTo("https://grove.example");
        assertThat(config.pgUrl()).contains("postgresql://x/y");
        assertThat(config.instances()).isEqualTo(3);
        assertThat(config.peers()).containsExactly("http://peer");
    }

    @Test
    void buildChecksEachSetting() {
        assertThatThrownBy(() -> NodeConfig.builder().port(70000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0..65535, was 70000");
        assertThatThrownBy(() -> NodeConfig.builder().instances(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("instances must be at least 1, was 0");
        assertThatThrownBy(() -> NodeConfig.defaults().withFollowInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("followInterval must be positive, was PT0S");
    }
}
