/**
 * The secrets a node keeps in its data directory (the log, witness and report issuer keys):
 * {@link dev.grove.node.secrets.SecretFile} creates each once, mode 0600, never overwritten or logged, and
 * {@link dev.grove.node.secrets.SharedKeys} checks at start that every process of the node holds the same ones. A leaf the
 * feature packages use, so they need nothing of the root {@code dev.grove.node} package for it.
 */
package dev.grove.node.secrets;
