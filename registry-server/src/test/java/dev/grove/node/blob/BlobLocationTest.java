package dev.grove.node.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --blobs}: the local default and {@code s3://} URLs, and the words a bad one is refused in. */
class BlobLocationTest {

    @Test
    void localIsTheDefault() {
        assertThat(BlobLocation.parse("")).isEqualTo(new BlobLocation.Local());
        assertThat(BlobLocation.parse("local")).isEqualTo(new BlobLocation.Local());
    }

    @Test
    void anS3UrlNamesBucketEndpointRegionAndOptions() {
        BlobLocation.S3 s3 = (BlobLocation.S3) BlobLocation.parse(
                "s3://grove-blobs?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=us-east-1&path-style=true"
                        + "&redirect=presigned&prefix=node-a/");
        assertThat(s3).isEqualTo(new BlobLocation.S3("grove-blobs", Optional.of(URI.create("http://127.0.0.1:9000")),
                Optional.of("us-east-1"), true, true, "node-a/"));
        assertThat(BlobLocation.parse(s3.toString())).isEqualTo(s3);
        assertThat(BlobLocation.parse("s3://grove-blobs")).isEqualTo(new BlobLocation.S3("grove-blobs", Optional.empty(),
                Optional.empty(), false, false, ""));
        assertThat(BlobLocation.parse("s3://grove-blobs?endpoint=https://s3.example:443&region=eu-west-1"))
                .isEqualTo(new BlobLocation.S3("grove-blobs", Optional.of(URI.create("https://s3.example:443")),
                        Optional.of("eu-west-1"), false, false, ""));
    }

    @Test
    void aBadUrlIsRefusedInWordsThatNameTheProblemAndNoSecret() {
        refused("ftp://bucket", "--blobs takes 'local' or s3://BUCKET");
        refused("s3://", "names no bucket");
        refused("s3://Bucket_Name", "is not a bucket name");
        refused("s3://b-1/some/path", "a key prefix is given as &prefix=P/");
        refused("s3://b-1?endpoint=nope", "endpoint 'nope' is not an http(s)://HOST[:PORT] URL");
        refused("s3://b-1?region=eu-west-1&colour=blue", "unknown parameter 'colour'");
        refused("s3://b-1?region=eu-west-1&region=us-east-1", "'region' is given twice");
        refused("s3://b-1?path-style=maybe", "path-style is 'true' or 'false', not 'maybe'");
        refused("s3://b-1?redirect=always", "redirect is 'presigned' or 'none', not 'always'");
        refused("s3://b-1?prefix=/abs", "must end with / and not start with one");
        refused("s3://AKIA:s3cr3t@b-1", "credentials do not go in the URL");
        refused("s3://b-1?endpoint=http://AKIA:s3cr3t@minio:9000", "credentials do not go in the endpoint");
        refused("s3://b 1?x=s3cr3t", "not a URL");
    }

    private static void refused(String url, String words) {
        assertThatThrownBy(() -> BlobLocation.parse(url)).as(url)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(words)
                .hasMessageNotContaining("s3cr3t");
    }
}
