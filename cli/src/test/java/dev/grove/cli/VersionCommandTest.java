package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.semver.SemVer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class VersionCommandTest {

    @TempDir
    Path dir;

    private Path pkg;
    private Path key;

    @BeforeEach
    void newPackage() {
        pkg = dir.resolve("pkg");
        key = dir.resolve("key");
        assertThat(GroveCli.run("init", "demo/langid", "--dir", pkg.toString()).exitCode()).isZero();
        assertThat(GroveCli.run("keygen", "--out", key.toString()).exitCode()).isZero();
    }

    @Test
    void bump_changesTheContractAndBothCardSubjects() throws Exception {
        GroveCli.Result result = GroveCli.run("version", "bump", "minor", pkg.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("demo/langid 0.1.0 -> 0.2.0");
        for (String file : new String[] {"grove.json", "lineage.json", "evaluation.json"}) {
            assertThat(Files.readString(pkg.resolve(file))).as(file).contains("\"0.2.0\"").doesNotContain("\"0.1.0\"");
        }
        assertThat(GroveCli.run("version", "show", pkg.toString()).out()).isEqualTo("demo/langid@0.2.0\n");
        GroveCli.Result dry = GroveCli.run("publish", pkg.toString(), "--key", key.toString(), "--dry-run");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
    }

    @Test
    void bump_reportsEveryDisagreementAtOnceAndWritesNothing() throws Exception {
        Path lineage = pkg.resolve("lineage.json");
        Path evaluation = pkg.resolve("evaluation.json");
        Files.writeString(lineage, Files.readString(lineage).replace("\"0.1.0\"", "\"0.0.9\""));
        Files.writeString(evaluation, Files.readString(evaluation).replace("demo/langid", "demo/other"));
        String contractBefore = Files.readString(pkg.resolve("grove.json"));

        GroveCli.Result result = GroveCli.run("version", "bump", "patch", pkg.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("2 problems").contains("lineage.json: subject version is \"0.0.9\"")
                .contains("evaluation.json: subject name is \"demo/other\"");
        assertThat(Files.readString(pkg.resolve("grove.json"))).isEqualTo(contractBefore);
    }

    @Test
    void bumpRules() {
        assertThat(VersionCommand.bump(SemVer.parse("1.2.3"), VersionCommand.Part.patch)).hasToString("1.2.4");
        assertThat(VersionCommand.bump(SemVer.parse("1.2.3"), VersionCommand.Part.minor)).hasToString("1.3.0");
        assertThat(VersionCommand.bump(SemVer.parse("1.2.3"), VersionCommand.Part.major)).hasToString("2.0.0");
        assertThat(VersionCommand.bump(SemVer.parse("2.0.0-rc.1"), VersionCommand.Part.major)).hasToString("2.0.0");
    }

    @Test
    void publishDryRun_printsWhatWouldBePublishedAndWritesNothing() throws Exception {
        String contractBefore = Files.readString(pkg.resolve("grove.json"));

        GroveCli.Result result = GroveCli.run("publish", pkg.toString(), "--key", key.toString(), "--dry-run",
                "--registry", "http://127.0.0.1:9");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("would publish demo/langid@0.1.0 sha256:")
                .contains("artifact weights/model.safetensors").contains("nothing sent, nothing written");
        assertThat(pkg.resolve("grove.bundle.json")).doesNotExist();
        assertThat(Files.readString(pkg.resolve("grove.json"))).isEqualTo(contractBefore);
    }

    @Test
    void publishThatFails_writesNoBundle() {
        GroveCli.Result result = GroveCli.run("publish", pkg.toString(), "--key", key.toString(),
                "--registry", "http://127.0.0.1:9");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(CommandFailure.UNAVAILABLE);
        assertThat(pkg.resolve("grove.bundle.json")).doesNotExist();
    }
}
