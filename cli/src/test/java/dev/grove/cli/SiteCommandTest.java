package dev.grove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grove site}: the folder it writes, and the node it points at when none is named. */
class SiteCommandTest {

    @Test
    void withoutANode_theSiteReadsFromTheDefaultRegistry(@TempDir Path dir) throws Exception {
        GroveCli.Result r = GroveCli.run("site", "--out", dir.resolve("site").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String expected = System.getenv().getOrDefault("GROVE_REGISTRY", "http://localhost:8080").replaceAll("/+$", "");
        assertThat(Files.readString(dir.resolve("site/config.json"))).contains("\"node\": \"" + expected + "\"");
        assertThat(r.out()).contains("site reading from " + expected);
    }

    @Test
    void aNodeThatIsNotAUrl_isAUsageError_andWritesNothing(@TempDir Path dir) {
        GroveCli.Result r = GroveCli.run("site", "--out", dir.resolve("site").toString(), "--registry", "ftp://x");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--node must be an http or https URL");
        assertThat(dir.resolve("site")).doesNotExist();
    }
}
