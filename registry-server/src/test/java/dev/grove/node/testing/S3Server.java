package dev.grove.node.testing;

import dev.grove.node.blob.BlobLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * A real S3 API server on loopback for the S3 blob store's tests: S3Proxy in this JVM over jclouds' filesystem backend in
 * a directory of the test's, with AWS signature checking on (the credentials {@link #ACCESS_KEY} and
 * {@link #SECRET_KEY}). What the tests see of a bucket ({@link #keys}, {@link #unfinishedUploads}, {@link #object})
 * is read through jclouds, beside the S3 API, not through the store under test.
 *
 * <pre>{@code
 * S3Server s3 = S3Server.start(dir);
 * BlobLocation.S3 bucket = s3.newBucket();          // path-style, region us-east-1
 * S3Server.useCredentials();                          // the SDK's chain reads them in this JVM
 * ... s3.close();
 * }</pre>
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "grove-test-access";
    public static final String SECRET_KEY = "grove-test-secret-0123456789";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3Server(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts the server on a free loopback port, keeping its buckets under {@code dir}; blocks until it listens. */
    public static S3Server start(Path dir) {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem")
                .credentials("unused", "unused")
                .overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            context.close();
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        Eventually.await(Duration.ofSeconds(30), () -> proxy.getState().equals("STARTED"), "S3Proxy listens");
        return new S3Server(proxy, context);
    }

    /**
     * Gives this JVM's AWS SDK the server's credentials through the standard chain (its system properties come before
     * the environment); a node in another process gets them as {@link #environment()}.
     */
    public static void useCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    /** The environment a node process needs to reach this server: the standard AWS variables. */
    public static java.util.Map<String, String> environment() {
        return java.util.Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Creates a new empty bucket and returns its location: this endpoint, path-style, {@link #REGION}. */
    public BlobLocation.S3 newBucket() {
        String name = "grove-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBlobStore().createContainerInLocation(null, name);
        return new BlobLocation.S3(name, Optional.of(endpoint()), Optional.of(REGION), true, false, "");
    }

    /** Every object key in the bucket. */
    public List<String> keys(String bucket) {
        BlobStore store = context.getBlobStore();
        List<String> keys = new ArrayList<>();
        ListContainerOptions options = ListContainerOptions.Builder.recursive();
        while (true) {
            PageSet<? extends StorageMetadata> page = store.list(bucket, options);
            // the filesystem backend lists its directories too; only objects are keys
            page.stream().filter(m -> m.getType() == StorageType.BLOB).forEach(m -> keys.add(m.getName()));
            if (page.getNextMarker() == null) {
                return keys;
            }
            options = ListContainerOptions.Builder.recursive().afterMarker(page.getNextMarker());
        }
    }

    /** The multipart uploads begun in the bucket and neither completed nor aborted, by key. */
    public List<String> unfinishedUploads(String bucket) {
        return context.getBlobStore().listMultipartUploads(bucket).stream().map(MultipartUpload::blobName).toList();
    }

    /** The object's bytes, or empty when there is no such object. */
    public Optional<byte[]> object(String bucket, String key) {
        Blob blob = context.getBlobStore().getBlob(bucket, key);
        if (blob == null) {
            return Optional.empty();
        }
        try (InputStream in = blob.getPayload().openStream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores an object directly (beside the store under test), e.g. to plant bytes that do not match their name. */
    public void putObject(String bucket, String key, byte[] bytes) {
        BlobStore store = context.getBlobStore();
        store.putBlob(bucket, store.blobBuilder(key).payload(bytes).build());
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            context.close();
        }
    }
}
