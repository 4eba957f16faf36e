package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.ContractPins;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.json.Json;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.semver.SemVer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code grove version}: the version of a package directory (not of grove itself, which is {@code grove --version}). */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = {"Show or change the version of a package directory (for grove's own version: grove --version).",
                "The version appears three times: in grove.json and as the subject of lineage.json and evaluation.json. "
                        + "These commands keep the three the same."},
        subcommands = {VersionCommand.Show.class, VersionCommand.Bump.class})
public final class VersionCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: show or bump");
    }

    /** Which part of MAJOR.MINOR.PATCH to raise. */
    public enum Part { major, minor, patch }

    /** The three documents of a package directory, and whether they agree on name and version. */
    record Documents(JsonObject contract, JsonObject lineage, JsonObject evaluation, String name, SemVer version) {

        /** @throws CommandFailure listing every problem found (not only the first) */
        static Documents read(PackageDirectory dir) throws IOException {
            List<String> problems = new ArrayList<>();
            JsonObject contract = parse(dir, PackageDirectory.CONTRACT, problems);
            JsonObject lineage = parse(dir, PackageDirectory.LINEAGE, problems);
            JsonObject evaluation = parse(dir, PackageDirectory.EVALUATION, problems);
            String name = null;
            String version = null;
            if (contract != null) {
                name = contract.optString("name").orElse(null);
                version = contract.optString("version").orElse(null);
                if (name == null) {
                    problems.add(PackageDirectory.CONTRACT + ": no \"name\"");
                }
                if (version == null) {
                    problems.add(PackageDirectory.CONTRACT + ": no \"version\"");
                }
            }
            SemVer semver = null;
            if (version != null) {
                try {
                    semver = SemVer.parse(version);
                } catch (IllegalArgumentException e) {
                    problems.add(PackageDirectory.CONTRACT + ": version: " + e.getMessage());
                }
            }
            subject(PackageDirectory.LINEAGE, lineage, name, version, problems);
            subject(PackageDirectory.EVALUATION, evaluation, name, version, problems);
            if (!problems.isEmpty()) {
                throw CommandFailure.refused(dir.root() + ": " + problems.size()
                        + (problems.size() == 1 ? " problem" : " problems") + ":\n  " + String.join("\n  ", problems));
            }
            return new Documents(contract, lineage, evaluation, name, semver);
        }

        private static JsonObject parse(PackageDirectory dir, String file, List<String> problems) throws IOException {
            if (!dir.has(file)) {
                problems.add(file + " is missing");
                return null;
            }
            try {
                return Json.parseObject(dir.read(file));
            } catch (JsonException e) {
                problems.add(file + " is not a JSON object: " + e.getMessage());
                return null;
            }
        }

        private static void subject(String file, JsonObject card, String name, String version, List<String> problems) {
            if (card == null) {
                return;
            }
            JsonObject subject = card.optObject("subject").orElse(null);
            if (subject == null) {
                problems.add(file + ": no \"subject\" object");
                return;
            }
            String n = subject.optString("name").orElse(null);
            String v = subject.optString("version").orElse(null);
            if (name != null && !name.equals(n)) {
                problems.add(file + ": subject name is " + quote(n) + ", but grove.json says \"" + name + "\"");
            }
            if (version != null && !version.equals(v)) {
                problems.add(file + ": subject version is " + quote(v) + ", but grove.json says \"" + version + "\"");
            }
        }

        private static String quote(String s) {
            return s == null ? "missing" : "\"" + s + "\"";
        }
    }

    /** The next version: the part raised, the lower parts zeroed, any pre-release dropped (1.2.3-rc.1 patch is 1.2.3). */
    static SemVer bump(SemVer v, Part part) {
        return switch (part) {
            case major -> v.isPrerelease() && v.minor() == 0 && v.patch() == 0 ? v.release() : SemVer.of(v.major() + 1, 0, 0);
            case minor -> v.isPrerelease() && v.patch() == 0 ? v.release() : SemVer.of(v.major(), v.minor() + 1, 0);
            case patch -> v.isPrerelease() ? v.release() : SemVer.of(v.major(), v.minor(), v.patch() + 1);
        };
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the name and version of a package directory, after checking that grove.json, "
                    + "lineage.json and evaluation.json agree on them.")
    static final class Show extends GroveSubcommand {
        @Parameters(index = "0", paramLabel = "DIR", defaultValue = ".", description = "The package directory (default: .).")
        Path dir;

        @picocli.CommandLine.Option(names = "--json", description = "Print {\"name\":..,\"version\":..} as JSON.")
        boolean json;

        @Override
        protected void run() throws IOException {
            Documents docs = Documents.read(PackageDirectory.at(dir));
            if (json) {
                out().println(Json.write(JsonObject.builder().put("name", docs.name())
                        .put("version", docs.version().toString()).build()));
            } else {
                out().println(docs.name() + "@" + docs.version());
            }
        }
    }

    @Command(name = "bump", mixinStandardHelpOptions = true,
            description = {"Raise the version of a package directory: grove.json's version and the subject version of "
                    + "lineage.json and evaluation.json, together.",
                    "All three documents are checked first and every disagreement is reported at once; nothing is "
                            + "written unless all agree. Run grove publish afterwards to sign and publish the new version."})
    static final class Bump extends GroveSubcommand {
        @Parameters(index = "0", paramLabel = "PART", description = "major, minor or patch.")
        Part part;

        @Parameters(index = "1", paramLabel = "DIR", defaultValue = ".", description = "The package directory (default: .).")
        Path dir;

        @picocli.CommandLine.Option(names = "--json", description = "Print {\"name\",\"from\",\"to\"} as JSON.")
        boolean json;

        @Override
        protected void run() throws IOException {
            PackageDirectory pkgDir = PackageDirectory.at(dir);
            Documents docs = Documents.read(pkgDir);
            SemVer next = bump(docs.version(), part);
            JsonString v = JsonString.of(next.toString());
            byte[] contract = PrettyJson.bytes(ContractPins.with(docs.contract(), "version", v));
            byte[] lineage = PrettyJson.bytes(withSubjectVersion(docs.lineage(), v));
            byte[] evaluation = PrettyJson.bytes(withSubjectVersion(docs.evaluation(), v));
            // cards first, then the contract: a crash in between leaves a disagreement grove version show reports
            pkgDir.write(PackageDirectory.LINEAGE, lineage);
            pkgDir.write(PackageDirectory.EVALUATION, evaluation);
            pkgDir.write(PackageDirectory.CONTRACT, contract);
            if (json) {
                printJson(JsonObject.builder().put("name", docs.name()).put("from", docs.version().toString())
                        .put("to", next.toString()).build());
                return;
            }
            out().println(docs.name() + " " + docs.version() + " -> " + next);
        }

        private static JsonObject withSubjectVersion(JsonObject card, JsonString version) {
            return ContractPins.with(card, "subject", ContractPins.with(card.object("subject"), "version", version));
        }
    }
}
