package dev.grove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.node.NodeConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GroveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void serveHelpListsItsOptions() {
        Result help = run("serve", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: grove serve", "--port", "--host", "--data", "--pg-url", "--site",
                "--public-url");
    }

    @Test
    void groveWithoutASubcommandIsAUsageError() {
        Result none = run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("Missing subcommand", "serve");
    }

    @Test
    void versionIsPrinted() {
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("grove ");
    }

    @Test
    void optionsBecomeTheNodeConfig() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--port", "9090", "--data", "/tmp/g", "--pg-url", "postgresql://u:p@db:5432/grove",
                "--site", "site", "--public-url", "https://grove.example/", "--instances", "3", "--release-interval", "5",
                "--min-reports", "50");
        NodeConfig config = serve.config();
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/g"));
        assertThat(config.pgUrl()).contains("postgresql://u:p@db:5432/grove");
        assertThat(config.siteDir()).contains(Path.of("site"));
        assertThat(config.publicUrl()).isEqualTo("https://grove.example");
        assertThat(config.instances()).isEqualTo(3);
        assertThat(config.maxJsonBytes()).isEqualTo(NodeConfig.DEFAULT_MAX_JSON_BYTES);
        assertThat(config.release().interval()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(config.reports().minimumReports()).isEqualTo(50);
        assertThat(config.release().retentionBound()).isEqualTo(0.02);
    }

    @Test
    void theDefaultsAreNodeConfigs() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        NodeConfig config = serve.config();
        NodeConfig defaults = NodeConfig.defaults();
        assertThat(config.followInterval()).isEqualTo(defaults.followInterval());
        assertThat(config.release()).isEqualTo(defaults.release());
        assertThat(config.reports()).isEqualTo(defaults.reports());
        // what --help shows as ${DEFAULT-VALUE}
        CommandLine.Model.CommandSpec spec = new CommandLine(new ServeCommand()).getCommandSpec();
        assertThat(spec.findOption("--follow-interval").defaultValueString())
                .isEqualTo(Long.toString(defaults.followInterval().toMillis()));
        assertThat(spec.findOption("--release-interval").defaultValueString())
                .isEqualTo(Long.toString(defaults.release().interval().toSeconds()));
        assertThat(spec.findOption("--min-reports").defaultValueString())
                .isEqualTo(Integer.toString(defaults.reports().minimumReports()));
        assertThat(spec.findOption("--report-token-burst").defaultValueString())
                .isEqualTo(Integer.toString(defaults.reports().tokenBurst()));
        assertThat(spec.findOption("--report-tokens-per-hour").defaultValueString())
                .isEqualTo(Integer.toString(defaults.reports().tokensPerHour()));
    }

    @Test
    void defaultsNeedNoOptions() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs();
        NodeConfig config = serve.config();
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.pgUrl()).isEmpty();
        assertThat(config.publicUrl()).isEqualTo("http://localhost:" + config.port());
        assertThat(config.release()).isEqualTo(dev.grove.node.release.ReleasePolicy.defaults());
        assertThat(config.blobs()).isEqualTo(new dev.grove.node.blob.BlobLocation.Local());
    }

    @Test
    void blobsGoToAnS3BucketNamedByItsUrl() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--blobs",
                "s3://grove-blobs?endpoint=http://127.0.0.1:9000&region=eu-west-1&path-style=true&redirect=presigned");
        assertThat(serve.config().blobs()).isEqualTo(new dev.grove.node.blob.BlobLocation.S3("grove-blobs",
                java.util.Optional.of(java.net.URI.create("http://127.0.0.1:9000")), java.util.Optional.of("eu-west-1"),
                true, true, ""));
    }

    @Test
    void aBadBlobsUrlIsAUsageErrorThatStartsNothing(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Path data = tmp.resolve("data");
        for (String bad : java.util.List.of("ftp://bucket", "s3://", "s3://Bucket_Name", "s3://b-1?endpoint=nope",
                "s3://b-1?region=eu-west-1&colour=blue", "s3://b-1?path-style=maybe", "s3://key:secret@b-1",
                "s3://b-1?redirect=always")) {
            assertThat(run("serve", "--blobs", bad, "--data", data.toString()).code()).as(bad)
                    .isEqualTo(dev.grove.cli.command.CommandFailure.USAGE);
            assertThat(data).as(bad).doesNotExist();
        }
    }

    @Test
    void trustedProxiesBecomeTheNodeConfig_andABadOneIsAUsageErrorThatStartsNothing(
            @org.junit.jupiter.api.io.TempDir Path tmp) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "fd00::1");
        NodeConfig config = serve.config();
        assertThat(config.trustedProxies().ranges()).containsExactly("10.0.0.0/8", "fd00::1");
        assertThat(config.trustedProxies().trusts("10.2.3.4")).isTrue();
        assertThat(config.trustedProxies().trusts("192.0.2.1")).isFalse();
        ServeCommand none = new ServeCommand();
        new CommandLine(none).parseArgs();
        assertThat(none.config().trustedProxies()).isEqualTo(dev.grove.node.http.TrustedProxies.none());

        Path data = tmp.resolve("data");
        for (String bad : java.util.List.of("proxy.internal", "10.0.0.0/33", "10.0.0.0/", "::1/129")) {
            assertThat(run("serve", "--trusted-proxy", bad, "--data", data.toString()).code()).as(bad)
                    .isEqualTo(dev.grove.cli.command.CommandFailure.USAGE);
            assertThat(data).as(bad).doesNotExist();
        }
        // the limit is each process's, and --help says so
        assertThat(run("serve", "--help").out().replaceAll("\\s+", " ")).contains("--trusted-proxy=CIDR",
                "The limit is each process's: N processes of one node behind a load balancer allow N times the rate.");
    }

    @Test
    void logFormatsResolveAndAnUnknownOneIsAUsageError(@org.junit.jupiter.api.io.TempDir Path tmp) {
        assertThat(ServeLogging.Format.parse("auto").resolve(true)).isEqualTo(ServeLogging.Format.FILE);
        assertThat(ServeLogging.Format.parse("AUTO").resolve(false)).isEqualTo(ServeLogging.Format.JSON);
        assertThat(ServeLogging.Format.parse("text").resolve(true)).isEqualTo(ServeLogging.Format.TEXT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServeLogging.Format.parse("loud"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--log-format: 'loud' is not one of auto, json, text, file");

        // refused before anything starts: no node, no data directory
        Path data = tmp.resolve("data");
        assertThat(run("serve", "--log-format", "loud", "--data", data.toString()).code())
                .isEqualTo(dev.grove.cli.command.CommandFailure.USAGE);
        assertThat(data).doesNotExist();
    }
}
