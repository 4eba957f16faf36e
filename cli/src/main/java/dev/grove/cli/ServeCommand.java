package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.blob.BlobLocation;
import dev.grove.node.db.EmbeddedDatabase;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.http.TrustedProxies;
import dev.grove.node.witness.WitnessEndpoint;
import dev.grove.node.witness.WitnessSettings;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code grove serve}: runs a registry node until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        defaultValueProvider = ServeCommand.NodeDefaults.class,
        description = {
                "Runs a registry node. Without --pg-url it starts an embedded PostgreSQL in <data>/postgres, so one"
                        + " command is a whole node. Stop it with SIGTERM or Ctrl-C.",
                "On a terminal it prints a short summary and writes its log (JSON lines) to <data>/node.log; piped or"
                        + " redirected, the log is JSON lines on stdout (--log-format). The embedded PostgreSQL's own"
                        + " output goes to <data>/postgres.log."})
final class ServeCommand implements Callable<Integer> {

    private static final long STOP_TIMEOUT_SECONDS = 30;

    @Option(names = "--port",
            description = "HTTP port (0 picks a free one; default: ${DEFAULT-VALUE}, env GROVE_PORT).")
    int port;

    @Option(names = "--host",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}, env GROVE_HOST).")
    String host;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory: blobs and the embedded database (default: ${DEFAULT-VALUE}, env GROVE_DATA).")
    Path data;

    @Option(names = "--pg-url", paramLabel = "URL", defaultValue = "${env:GROVE_PG_URL}",
            description = "External PostgreSQL as postgresql://user:password@host:port/database instead of the embedded"
                    + " one (env GROVE_PG_URL, which keeps the password off the command line).")
    String pgUrl;

    @Option(names = "--blobs", paramLabel = "LOCATION", defaultValue = "${env:GROVE_BLOBS:-local}",
            description = {"Where blobs are kept: local (<data>/blobs, the default) or an S3-compatible bucket,"
                    + " s3://BUCKET?endpoint=URL&region=REGION[&path-style=true][&redirect=presigned][&prefix=P/]"
                    + " (env GROVE_BLOBS). Credentials come from the environment (AWS_ACCESS_KEY_ID,"
                    + " AWS_SECRET_ACCESS_KEY) or the AWS profile, never from the URL. redirect=presigned answers"
                    + " blob downloads with a redirect to a short-lived URL of the bucket, so the bytes do not pass"
                    + " through the node."})
    String blobs;

    @Option(names = "--site", paramLabel = "DIR", defaultValue = "${env:GROVE_SITE}",
            description = "A static site directory served at / instead of the built-in site (env GROVE_SITE); it must"
                    + " hold its own grove-runtime/ (grove site --out DIR writes such a folder).")
    Path site;

    @Option(names = "--public-url", paramLabel = "URL", defaultValue = "${env:GROVE_PUBLIC_URL}",
            description = "URL clients reach this node at (default: http://localhost:<port>, env GROVE_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--instances", paramLabel = "N",
            description = "HTTP verticle instances (default: one per core).")
    Integer instances;

    @Option(names = "--witness", paramLabel = "URL#KEY",
            description = {"A witness to ask for cosignatures of this node's checkpoints (repeatable): a node URL (its"
                    + " /witness prefix is used) or a c2sp.org/tlog-witness submission prefix, '#', and the witness's"
                    + " verifier key (a Grove node publishes it at /.well-known/grove/witness-key)."})
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--witness-log", paramLabel = "KEY",
            description = "A log this node cosigns as a witness, beyond the peers it follows (repeatable): the log's"
                    + " verifier key, named after its origin.")
    List<String> witnessLogs = new ArrayList<>();

    @Option(names = "--no-witness-peers", negatable = false,
            description = "Do not cosign the checkpoints of the peers this node follows.")
    boolean noWitnessPeers;

    @Option(names = "--follow", paramLabel = "URL[#KEY]",
            description = {"A node to follow and mirror (repeatable). Its log key is trusted on first use and pinned; "
                    + "pin it in advance with '#' and the key its /.well-known/grove/log-key shows. "
                    + "MIRROR/v1/origins/ORIGIN#KEY (ORIGIN URL-encoded) follows ORIGIN's log through a mirror, "
                    + "checked with ORIGIN's key, which is then required."})
    List<String> follow = new ArrayList<>();

    @Option(names = "--peers", paramLabel = "FILE",
            description = "A file of nodes to follow, one URL[#KEY] per line ('#' at the start of a line: a comment).")
    Path peersFile;

    @Option(names = "--follow-interval", paramLabel = "MS",
            description = "Milliseconds between two checks of a followed node (default: ${DEFAULT-VALUE}).")
    long followIntervalMs;

    @Option(names = "--release-interval", paramLabel = "S",
            description = "Seconds between two rounds of release evaluation (default: ${DEFAULT-VALUE}).")
    long releaseIntervalSeconds;

    @Option(names = "--min-reports", paramLabel = "N",
            description = "Benefit reports a version needs before any figure of them is shown, anywhere, and before"
                    + " it can be promoted (default: ${DEFAULT-VALUE}).")
    int minReports;

    @Option(names = "--report-token-burst", paramLabel = "N",
            description = "Report tokens one client address may get at once (default: ${DEFAULT-VALUE}). The limit is"
                    + " each process's: N processes of one node behind a load balancer allow N times the rate.")
    int reportTokenBurst;

    @Option(names = "--report-tokens-per-hour", paramLabel = "N",
            description = "Report tokens one client address gets back per hour (default: ${DEFAULT-VALUE}), per"
                    + " process like the burst.")
    int reportTokensPerHour;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR",
            description = {"A proxy or load balancer in front of this node (repeatable): ADDRESS or ADDRESS/BITS, e.g."
                    + " 10.0.0.0/8. From its connections the client's address (for the report token limit) is the"
                    + " rightmost address of X-Forwarded-For that is not a trusted proxy; from any other connection"
                    + " it is the connection's, whatever X-Forwarded-For says. The address is never stored or"
                    + " logged. Default: none."})
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--demo", negatable = false,
            description = {"After the node starts, publish the sample packages through its own API: the garden of"
                    + " examples/garden (trained and bred models, parents first) when it is found, else a scaffold."
                    + " The demo key and copies live in <data>/demo; a restart republishes nothing new."
                    + " Then it sends benefit reports through the report API so that one version is promoted, one"
                    + " demoted and one still collecting; the node labels them as the demo's (one address may get"
                    + " enough report tokens at once for them)."})
    boolean demo;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:GROVE_LOG_FORMAT:-auto}",
            description = "Where the log goes: json (JSON lines on stdout), text (plain lines on stdout), file (JSON"
                    + " lines in <data>/node.log; the terminal shows a summary, warnings and errors) or auto (file on a"
                    + " terminal, else json; default: ${DEFAULT-VALUE}, env GROVE_LOG_FORMAT).")
    String logFormat;

    /**
     * Gives the options that set a {@link NodeConfig} value the default of {@link NodeConfig#defaults()} (shown by
     * {@code --help} as {@code ${DEFAULT-VALUE}}), so a default is written once, in {@code NodeConfig}. An environment
     * variable still overrides it where the option names one.
     */
    static final class NodeDefaults implements IDefaultValueProvider {

        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            NodeConfig defaults = NodeConfig.defaults();
            return switch (option.longestName()) {
                case "--port" -> "${env:GROVE_PORT:-" + defaults.port() + "}";
                case "--host" -> "${env:GROVE_HOST:-" + defaults.host() + "}";
                case "--data" -> "${env:GROVE_DATA:-" + defaults.dataDir() + "}";
                case "--follow-interval" -> Long.toString(defaults.followInterval().toMillis());
                case "--release-interval" -> Long.toString(defaults.release().interval().toSeconds());
                case "--min-reports" -> Long.toString(defaults.reports().minimumReports());
                case "--report-token-burst" -> Long.toString(defaults.reports().tokenBurst());
                case "--report-tokens-per-hour" -> Long.toString(defaults.reports().tokensPerHour());
                default -> null; // picocli then uses the option's own defaultValue, if any
            };
        }
    }

    NodeConfig config() {
        NodeConfig defaults = NodeConfig.defaults();
        NodeConfig.Builder config = defaults.toBuilder().port(port).host(host).dataDir(data)
                .blobs(BlobLocation.parse(blobs == null ? "" : blobs));
        if (pgUrl != null && !pgUrl.isBlank()) {
            config.pgUrl(pgUrl);
        }
        if (site != null) {
            config.siteDir(site);
        }
        if (publicUrl != null && !publicUrl.isBlank()) {
            config.publicUrl(publicUrl);
        }
        if (instances != null) {
            config.instances(instances);
        }
        return config.witness(witnessSettings()).peers(peers())
                .followInterval(java.time.Duration.ofMillis(followIntervalMs))
                .release(defaults.release().withInterval(java.time.Duration.ofSeconds(releaseIntervalSeconds)))
                .reports(defaults.reports().withMinimumReports(minReports)
                        .withTokenLimit(demo ? Math.max(reportTokenBurst, DemoReports.tokens(minReports)) : reportTokenBurst,
                                reportTokensPerHour))
                .trustedProxies(TrustedProxies.of(trustedProxies))
                .build();
    }

    /** The --follow peers, then those of the --peers file. */
    private List<String> peers() {
        List<String> peers = new ArrayList<>(follow);
        if (peersFile != null) {
            try {
                for (String line : Files.readAllLines(peersFile)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        peers.add(t);
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--peers: cannot read " + peersFile + ": " + e.getMessage());
            }
        }
        return peers;
    }

    private WitnessSettings witnessSettings() {
        WitnessSettings settings = WitnessSettings.defaults().withWitnessFollowed(!noWitnessPeers);
        for (String w : witnesses) {
            settings = settings.withWitness(WitnessEndpoint.parse(w.trim()));
        }
        for (String key : witnessLogs) {
            try {
                settings = settings.withLog(NoteVerifier.parse(key.trim()));
            } catch (NoteException e) {
                throw new IllegalArgumentException("--witness-log: " + e.getMessage());
            }
        }
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config;
        ServeLogging.Format format;
        try {
            config = config();
            format = ServeLogging.Format.parse(logFormat).resolve(System.console() != null);
        } catch (IllegalArgumentException e) {
            System.err.println("grove serve: " + e.getMessage());
            return CommandFailure.USAGE;
        }
        Files.createDirectories(data);
        boolean logToFile = ServeLogging.apply(format, data);
        if (logToFile) {
            System.err.println("grove serve: starting; the log goes to " + data.resolve(ServeLogging.FILE_NAME));
        }
        NodeMetrics metrics = NodeMetrics.create();
        Vertx vertx = metrics.vertx();
        Node node;
        try {
            node = await(Node.start(metrics, config, Features::all), 300);
        } catch (Exception e) {
            System.err.println("grove serve: the node did not start: " + rootMessage(e));
            await(vertx.close(), STOP_TIMEOUT_SECONDS);
            return CommandFailure.REFUSED;
        }
        System.err.println("grove serve: listening on " + node.config().publicUrl() + " (Ctrl-C to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean clean = true;
            try {
                // two awaits: a future composed onto vertx.close() would complete on an event loop that close() stopped
                await(node.stop(), STOP_TIMEOUT_SECONDS);
            } catch (Exception e) {
                clean = false;
                System.err.println("grove serve: did not stop cleanly: " + rootMessage(e));
            }
            try {
                await(vertx.close(), STOP_TIMEOUT_SECONDS);
            } catch (Exception e) {
                clean = false;
                System.err.println("grove serve: Vert.x did not close cleanly: " + rootMessage(e));
            } finally {
                stopped.countDown();
            }
            // A SIGTERM ends the JVM with 143, which service managers count as a failure; a clean stop is a success.
            if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logging) {
                logging.stop(); // drains the access log's queue
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "grove-shutdown"));
        String packages = demo ? publishDemo(vertx, node, logToFile) : "";
        System.err.print(summary(node, logToFile, packages));
        System.err.flush();
        stopped.await();
        return 0;
    }

    /**
     * Publishes the samples over loopback; a failure is reported and the node keeps running. When the log goes to a file,
     * the publish commands' own output goes to {@code <data>/demo/demo.log} and the terminal gets one line per step.
     *
     * @return the summary's line about the packages
     */
    private String publishDemo(Vertx vertx, Node node, boolean quiet) {
        // never closed: it writes to System.err, which the summary and the shutdown hook still need
        PrintWriter terminal = new PrintWriter(System.err, true);
        Path detailsFile = data.resolve("demo").resolve("demo.log");
        PrintWriter details = terminal;
        try {
            int total = DemoPackages.count();
            if (quiet) {
                details = openDetails(detailsFile);
                terminal.println("grove serve: publishing " + total + " demo packages through the node's API (details: "
                        + detailsFile + ")");
            }
            int failures = DemoPackages.publish(data, "http://127.0.0.1:" + node.port(), details);
            terminal.println(failures == 0
                    ? "grove serve: demo packages published"
                    : "grove serve: " + failures + " demo package(s) did not publish (see "
                            + (quiet ? detailsFile : "above") + "); the node keeps running");
            DemoReports.send(vertx, node, terminal);
            return (total - failures) + " of " + total + " demo packages published";
        } catch (Exception e) {
            terminal.println("grove serve: the demo packages were not published: " + rootMessage(e));
            return "the demo packages were not published (see above)";
        } finally {
            if (details != terminal) {
                details.close();
            }
        }
    }

    private static PrintWriter openDetails(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
    }

    /** What a person needs once the node is up: where it is, where its files are, what it holds, how to stop it. */
    private String summary(Node node, boolean logToFile, String packages) {
        String url = node.config().publicUrl();
        StringBuilder s = new StringBuilder("\nGrove node ready\n");
        s.append(String.format("  %-9s %s  (site at /, API under /v1, /healthz, /metrics)%n", "url", url));
        s.append(String.format("  %-9s %s%n", "data", data.toAbsolutePath().normalize()));
        StringBuilder logs = new StringBuilder(logToFile ? data.resolve(ServeLogging.FILE_NAME).toString() : "stdout");
        if (pgUrl == null || pgUrl.isBlank()) {
            logs.append(", PostgreSQL's: ").append(EmbeddedDatabase.serverLog(node.config().postgresDir()));
        }
        s.append(String.format("  %-9s %s%n", "logs", logs));
        if (!packages.isEmpty()) {
            s.append(String.format("  %-9s %s; try ./grove search --registry %s%n", "packages", packages, url));
        }
        s.append(String.format("  %-9s Ctrl-C (or SIGTERM)%n", "stop"));
        return s.toString();
    }

    private static <T> T await(Future<T> future, long seconds) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.ExecutionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
