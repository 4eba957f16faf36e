package dev.grove.cli.client;

import dev.grove.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryClientTest {

    private dev.grove.cli.ScriptedRegistry node;

    @BeforeEach
    void start() throws Exception {
        node = new dev.grove.cli.ScriptedRegistry();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void getJson_followsARedirectWithinTheNode() {
        node.redirect("/v1/old", "/v1/new");
        node.json("/v1/new", "{\"ok\":true}");

        JsonObject doc = RegistryClient.connect(node.url()).getJson("/v1/old");

        assertThat(doc.bool("ok")).isTrue();
    }

    @Test
    void getJson_refusesARedirectToAnotherHost() {
        node.redirect("/v1/old", "http://example.org/v1/new");

        assertThatThrownBy(() -> RegistryClient.connect(node.url()).getJson("/v1/old"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("refusing to follow a redirect")
                .hasMessageContaining("http://example.org/v1/new");
    }

    @Test
    void download_followsARedirectToAnotherOrigin_whereObjectStorageServesTheBytes(@org.junit.jupiter.api.io.TempDir
                                                                                  java.nio.file.Path dir) throws Exception {
        byte[] bytes = "the blob's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (dev.grove.cli.ScriptedRegistry bucket = new dev.grove.cli.ScriptedRegistry()) {
            bucket.bytes("/bucket/blobs/sha256/ab", bytes);
            node.redirect("/v1/blobs/sha256:ab", bucket.url() + "/bucket/blobs/sha256/ab");
            java.nio.file.Path target = dir.resolve("blob");

            Downloaded got = RegistryClient.connect(node.url()).download("/v1/blobs/sha256:ab", target,
                    1024, new TransferProgress(new PrintWriter(new StringWriter()), "download", "blob", bytes.length, false));

            assertThat(got.size()).isEqualTo(bytes.length);
            assertThat(got.digest()).isEqualTo(dev.grove.crypto.Sha256.of(bytes));
            assertThat(java.nio.file.Files.readAllBytes(target)).isEqualTo(bytes);
        }
        // documents still never leave the node
        node.redirect("/v1/doc", "http://example.org/v1/doc");
        assertThatThrownBy(() -> RegistryClient.connect(node.url()).getJson("/v1/doc"))
                .hasMessageContaining("refusing to follow a redirect");
    }

    @Test
    void problemDocuments_keepTheirTitleAndDetail() {
        node.answer("/v1/x", 409, "application/problem+json", "{\"title\":\"Conflict\",\"detail\":\"already there\"}");

        assertThatThrownBy(() -> RegistryClient.connect(node.url()).getJson("/v1/x"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.isRefusal()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("Conflict: already there");
                });
    }

    @Test
    void anErrorThatIsNotAProblemDocument_isSummarised() {
        node.answer("/v1/x", 502, "text/html", "<html>bad gateway</html>");

        assertThatThrownBy(() -> RegistryClient.connect(node.url()).getJson("/v1/x"))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.isRefusal()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("HTTP 502 from GET /v1/x: <html>bad gateway</html>");
                });
    }

    @Test
    void connect_refusesAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> RegistryClient.connect("ftp://example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an absolute http:// or https:// URL");
    }

    @Test
    void progress_onATerminal_redrawsOneLineAndEndsIt() {
        StringWriter text = new StringWriter();
        TransferProgress progress = new TransferProgress(new PrintWriter(text), "upload", "w.bin", 2048, true);

        progress.advance(1024);
        progress.advance(512);
        progress.finish();

        assertThat(text.toString()).startsWith("\rupload w.bin  1.0 kB / 2.0 kB  50%")
                .contains("\rupload w.bin  1.5 kB / 2.0 kB  75%").endsWith("\n");
        assertThat(text.toString().chars().filter(c -> c == '\r').count())
                .as("the second advance came too soon to be drawn").isEqualTo(2);
    }

    @Test
    void progress_notOnATerminal_writesOneLine() {
        StringWriter text = new StringWriter();
        TransferProgress progress = new TransferProgress(new PrintWriter(text), "download", "w.bin", 100, false);

        progress.advance(60);
        progress.advance(40);
        progress.finish();

        assertThat(text.toString()).startsWith("download w.bin  100 B / 100 B  100%").doesNotContain("\r")
                .hasLineCount(1);
    }
}
