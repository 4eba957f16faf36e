/**
 * Publishing a signed bundle: {@link dev.grove.node.publish.PackagePublisher} checks it (schemas, signatures against the
 * namespace's keyset, artifacts in the blob store, lineage, immutability, interface compatibility) and stores it with its
 * log entry in one transaction, failing with {@code dev.grove.node.problem} failures; {@code PublishStore} holds the SQL
 * it locks and reads with; {@link dev.grove.node.publish.PublishRoutes} is the HTTP side ({@code POST /v1/packages}).
 */
package dev.grove.node.publish;
