/**
 * Content-addressed artifact bytes. {@link dev.grove.node.blob.BlobStore} speaks bytes, streams and ranges (put with
 * digest check, stat, write a range to a stream, read a small blob) and fails with {@code dev.grove.node.problem}
 * failures; {@link dev.grove.node.blob.BlobStores#local} keeps blobs in a directory, crash-safe (temporary file, fsync,
 * atomic move), {@link dev.grove.node.blob.BlobStores#s3} in an S3-compatible bucket (multipart uploads completed only
 * once the digest matches, ranged reads, presigned download URLs), as {@link dev.grove.node.blob.BlobLocation} says.
 * {@link dev.grove.node.blob.BlobRoutes} alone knows HTTP: {@code PUT}/{@code GET}/{@code HEAD
 * /v1/blobs/:digest}, ETags, 206 and 416.
 */
package dev.grove.node.blob;
