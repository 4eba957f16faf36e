/**
 * Namespaces and the keysets that may sign for them: {@link dev.grove.node.namespace.NamespaceKeys} holds the SQL of the
 * namespace tables (read, lock, bind on first publish, replace), {@link dev.grove.node.namespace.KeysetChanges} checks and
 * applies a keyset change signed by the current keyset, and {@link dev.grove.node.namespace.NamespaceRoutes} is the HTTP
 * side ({@code /v1/namespaces/...}).
 */
package dev.grove.node.namespace;
