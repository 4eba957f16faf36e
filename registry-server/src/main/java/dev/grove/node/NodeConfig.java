package dev.grove.node;

import dev.grove.node.http.HttpLimits;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.reports.ReportSettings;
import dev.grove.node.witness.WitnessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of one registry node, read once at start (by {@code grove serve} from its options, or built by a test).
 *
 * @param port           the HTTP port; {@code 0} picks a free port when the node starts (see {@link Node#port()})
 * @param host           the interface to listen on
 * @param dataDir        where the node keeps its blobs and, without {@code pgUrl}, its embedded PostgreSQL
 * @param pgUrl          an external PostgreSQL as {@code postgresql://user:pass@host:port/db}; when absent the node runs an
 *                       embedded PostgreSQL in {@code <dataDir>/postgres}
 * @param explicitPublicUrl the URL clients reach this node at, when it differs from {@code http://localhost:<port>}
 * @param maxJsonBytes   the largest JSON request body accepted (413 beyond)
 * @param maxBlobBytes   the largest blob accepted by {@code PUT /v1/blobs/:digest} (413 beyond)
 * @param siteDir        the static site served at {@code /}, when set
 * @param instances      how many HTTP verticle instances to deploy (one per event loop)
 * @param witness        the logs this node cosigns as a witness and the witnesses its own log asks
 * @param peers          the nodes this node follows (mirrors), each {@code URL} or {@code URL#KEY} with the peer's log
 *                       verifier key pinned in advance (without one, the key is trusted on first use)
 * @param followInterval the pause between two checks of a peer
 * @param release        the release policy: the bounds versions are promoted by, and how often they are evaluated
 * @param reports        anonymous reports: the minimum below which no figure of them is shown (release included) and
 *                       the token issuance limit
 * @param limits         what a client may hold of the node: timeouts, the slowest body, the bytes of bodies in memory
 */
public record NodeConfig(int port, String host, Path dataDir, Optional<String> pgUrl, Optional<String> explicitPublicUrl,
                         long maxJsonBytes, long maxBlobBytes, Optional<Path> siteDir, int instances,
                         WitnessSettings witness, List<String> peers, Duration followInterval, ReleasePolicy release,
                         ReportSettings reports, HttpLimits limits) {

    public static final Duration DEFAULT_FOLLOW_INTERVAL = Duration.ofSeconds(1);

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_JSON_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_BLOB_BYTES = 2L << 30;

    public NodeConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pgUrl, "pgUrl");
        Objects.requireNonNull(explicitPublicUrl, "explicitPublicUrl");
        Objects.requireNonNull(siteDir, "siteDir");
        if (maxJsonBytes <= 0 || maxJsonBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxJsonBytes must be 1.." + Integer.MAX_VALUE + ", was " + maxJsonBytes);
        }
        if (maxBlobBytes <= 0) {
            throw new IllegalArgumentException("maxBlobBytes must be positive, was " + maxBlobBytes);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + instances);
        }
        Objects.requireNonNull(witness, "witness");
        explicitPublicUrl = explicitPublicUrl.map(NodeConfig::withoutTrailingSlash);
        peers = List.copyOf(peers);
        Objects.requireNonNull(followInterval, "followInterval");
        if (followInterval.isNegative() || followInterval.isZero()) {
            throw new IllegalArgumentException("followInterval must be positive, was " + followInterval);
        }
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(limits, "limits");
    }

    /** The configuration with this list of followed peers ({@code URL} or {@code URL#KEY}). */
    public NodeConfig withPeers(List<String> peers) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withFollowInterval(Duration followInterval) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    /** Port 8080 on all interfaces, data in {@code ./data}, embedded PostgreSQL, one verticle per core. */
    public static NodeConfig defaults() {
        return new NodeConfig(DEFAULT_PORT, "0.0.0.0", Path.of("data"), Optional.empty(), Optional.empty(),
                DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_BLOB_BYTES, Optional.empty(),
                Math.max(1, Runtime.getRuntime().availableProcessors()), WitnessSettings.defaults(),
                List.of(), DEFAULT_FOLLOW_INTERVAL, ReleasePolicy.defaults(), ReportSettings.defaults(),
                HttpLimits.defaults());
    }

    /** The URL clients reach this node at, without a trailing slash: the explicit one, else {@code http://localhost:<port>}. */
    public String publicUrl() {
        return explicitPublicUrl.orElse("http://localhost:" + port);
    }

    /** {@code <dataDir>/blobs}. */
    public Path blobDir() {
        return dataDir.resolve("blobs");
    }

    /** {@code <dataDir>/postgres}: the embedded database's data directory. */
    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    public NodeConfig withPort(int port) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withHost(String host) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withDataDir(Path dataDir) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withPgUrl(String pgUrl) {
        return new NodeConfig(port, host, dataDir, Optional.of(pgUrl), explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir,
                instances, witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withPublicUrl(String publicUrl) {
        return new NodeConfig(port, host, dataDir, pgUrl, Optional.of(publicUrl), maxJsonBytes, maxBlobBytes, siteDir,
                instances, witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withMaxJsonBytes(long maxJsonBytes) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withMaxBlobBytes(long maxBlobBytes) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withSiteDir(Path siteDir) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, Optional.of(siteDir),
                instances, witness, peers, followInterval, release, reports, limits);
    }

    public NodeConfig withInstances(int instances) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    /** This configuration with these witnessing settings. */
    public NodeConfig withWitness(WitnessSettings witness) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    /** This configuration with this release policy. */
    public NodeConfig withRelease(ReleasePolicy release) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    /** This configuration with these report settings. */
    public NodeConfig withReports(ReportSettings reports) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    /** This configuration with these limits on what a client may hold of the node. */
    public NodeConfig withLimits(HttpLimits limits) {
        return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir, instances,
                witness, peers, followInterval, release, reports, limits);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
