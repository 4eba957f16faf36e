package dev.grove.node;

import dev.grove.node.blob.BlobLocation;
import dev.grove.node.http.HttpLimits;
import dev.grove.node.http.TrustedProxies;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.reports.ReportSettings;
import dev.grove.node.witness.WitnessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of one registry node, read once at start (by {@code grove serve} from its options, or built by a test
 * with {@link #builder()} or the {@code with...} copies of {@link #defaults()}).
 *
 * @param port           the HTTP port; {@code 0} picks a free port when the node starts (see {@link Node#port()})
 * @param host           the interface to listen on
 * @param dataDir        where the node keeps its blobs (unless {@code blobs} names a bucket) and, without {@code pgUrl},
 *                       its embedded PostgreSQL
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
 * @param blobs          where the blobs are: {@code <dataDir>/blobs} (the default) or a bucket of an S3-compatible service
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} names a request's client (none by default: the
 *                       connection's address is the client's)
 */
public record NodeConfig(int port, String host, Path dataDir, Optional<String> pgUrl, Optional<String> explicitPublicUrl,
                         long maxJsonBytes, long maxBlobBytes, Optional<Path> siteDir, int instances,
                         WitnessSettings witness, List<String> peers, Duration followInterval, ReleasePolicy release,
                         ReportSettings reports, HttpLimits limits, BlobLocation blobs, TrustedProxies trustedProxies) {

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
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /**
     * Port 8080 on all interfaces, data in {@code ./data}, embedded PostgreSQL, one verticle per core, no peers, and each
     * setting's own defaults: the values {@link Builder} starts from.
     */
    public static NodeConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The URL clients reach this node at, without a trailing slash: the explicit one, else {@code http://localhost:<port>}. */
    public String publicUrl() {
        return explicitPublicUrl.orElse("http://localhost:" + port);
    }

    /** {@code <dataDir>/blobs}: where a node whose {@link #blobs()} are {@link BlobLocation.Local} keeps them. */
    public Path blobDir() {
        return dataDir.resolve("blobs");
    }

    /** {@code <dataDir>/postgres}: the embedded database's data directory. */
    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    public NodeConfig withPort(int port) {
        return toBuilder().port(port).build();
    }

    public NodeConfig withHost(String host) {
        return toBuilder().host(host).build();
    }

    public NodeConfig withDataDir(Path dataDir) {
        return toBuilder().dataDir(dataDir).build();
    }

    public NodeConfig withPgUrl(String pgUrl) {
        return toBuilder().pgUrl(pgUrl).build();
    }

    public NodeConfig withPublicUrl(String publicUrl) {
        return toBuilder().publicUrl(publicUrl).build();
    }

    public NodeConfig withMaxJsonBytes(long maxJsonBytes) {
        return toBuilder().maxJsonBytes(maxJsonBytes).build();
    }

    public NodeConfig withMaxBlobBytes(long maxBlobBytes) {
        return toBuilder().maxBlobBytes(maxBlobBytes).build();
    }

    public NodeConfig withSiteDir(Path siteDir) {
        return toBuilder().siteDir(siteDir).build();
    }

    public NodeConfig withInstances(int instances) {
        return toBuilder().instances(instances).build();
    }

    /** This configuration with these witnessing settings. */
    public NodeConfig withWitness(WitnessSettings witness) {
        return toBuilder().witness(witness).build();
    }

    /** The configuration with this list of followed peers ({@code URL} or {@code URL#KEY}). */
    public NodeConfig withPeers(List<String> peers) {
        return toBuilder().peers(peers).build();
    }

    public NodeConfig withFollowInterval(Duration followInterval) {
        return toBuilder().followInterval(followInterval).build();
    }

    /** This configuration with this release policy. */
    public NodeConfig withRelease(ReleasePolicy release) {
        return toBuilder().release(release).build();
    }

    /** This configuration with these report settings. */
    public NodeConfig withReports(ReportSettings reports) {
        return toBuilder().reports(reports).build();
    }

    public NodeConfig withTrustedProxies(TrustedProxies trustedProxies) {
        return toBuilder().trustedProxies(trustedProxies).build();
    }

    /** This configuration with these limits on what a client may hold of the node. */
    public NodeConfig withLimits(HttpLimits limits) {
        return toBuilder().limits(limits).build();
    }

    /** This configuration keeping its blobs there. */
    public NodeConfig withBlobs(BlobLocation blobs) {
        return toBuilder().blobs(blobs).build();
    }

    /**
     * Builds a {@link NodeConfig}; {@link #build()} checks it. The field initialisers are the node's defaults, the one
     * place they are written ({@code grove serve} shows and applies them from {@link NodeConfig#defaults()}). A new
     * setting is a record component, a field here with its default, its setter, and a line in the copy constructor and
     * in {@link #build()}.
     */
    public static final class Builder {

        private int port = DEFAULT_PORT;
        private String host = "0.0.0.0";
        private Path dataDir = Path.of("data");
        private Optional<String> pgUrl = Optional.empty();
        private Optional<String> explicitPublicUrl = Optional.empty();
        private long maxJsonBytes = DEFAULT_MAX_JSON_BYTES;
        private long maxBlobBytes = DEFAULT_MAX_BLOB_BYTES;
        private Optional<Path> siteDir = Optional.empty();
        private int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        private WitnessSettings witness = WitnessSettings.defaults();
        private List<String> peers = List.of();
        private Duration followInterval = DEFAULT_FOLLOW_INTERVAL;
        private ReleasePolicy release = ReleasePolicy.defaults();
        private ReportSettings reports = ReportSettings.defaults();
        private HttpLimits limits = HttpLimits.defaults();
        private BlobLocation blobs = new BlobLocation.Local();
        private TrustedProxies trustedProxies = TrustedProxies.none();

        private Builder() {
        }

        private Builder(NodeConfig c) {
            port = c.port;
            host = c.host;
            dataDir = c.dataDir;
            pgUrl = c.pgUrl;
            explicitPublicUrl = c.explicitPublicUrl;
            maxJsonBytes = c.maxJsonBytes;
            maxBlobBytes = c.maxBlobBytes;
            siteDir = c.siteDir;
            instances = c.instances;
            witness = c.witness;
            peers = c.peers;
            followInterval = c.followInterval;
            release = c.release;
            reports = c.reports;
            limits = c.limits;
            blobs = c.blobs;
            trustedProxies = c.trustedProxies;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder pgUrl(String pgUrl) {
            this.pgUrl = Optional.of(pgUrl);
            return this;
        }

        public Builder publicUrl(String publicUrl) {
            this.explicitPublicUrl = Optional.of(publicUrl);
            return this;
        }

        public Builder maxJsonBytes(long maxJsonBytes) {
            this.maxJsonBytes = maxJsonBytes;
            return this;
        }

        public Builder maxBlobBytes(long maxBlobBytes) {
            this.maxBlobBytes = maxBlobBytes;
            return this;
        }

        public Builder siteDir(Path siteDir) {
            this.siteDir = Optional.of(siteDir);
            return this;
        }

        public Builder instances(int instances) {
            this.instances = instances;
            return this;
        }

        public Builder witness(WitnessSettings witness) {
            this.witness = witness;
            return this;
        }

        public Builder peers(List<String> peers) {
            this.peers = peers;
            return this;
        }

        public Builder followInterval(Duration followInterval) {
            this.followInterval = followInterval;
            return this;
        }

        public Builder release(ReleasePolicy release) {
            this.release = release;
            return this;
        }

        public Builder reports(ReportSettings reports) {
            this.reports = reports;
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder blobs(BlobLocation blobs) {
            this.blobs = blobs;
            return this;
        }

        public Builder trustedProxies(TrustedProxies trustedProxies) {
            this.trustedProxies = trustedProxies;
            return this;
        }

        /** @throws IllegalArgumentException when a setting is out of its range (the message names it and its value) */
        public NodeConfig build() {
            return new NodeConfig(port, host, dataDir, pgUrl, explicitPublicUrl, maxJsonBytes, maxBlobBytes, siteDir,
                    instances, witness, peers, followInterval, release, reports, limits, blobs, trustedProxies);
        }
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
