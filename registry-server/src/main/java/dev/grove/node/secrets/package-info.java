/**
 * The secrets a node keeps in its data directory (the log, witness and report issuer keys):
 * {@link dev.grove.node.secrets.SecretFile} creates each once, mode 0600, never overwritten or logged. A leaf the
 * feature packages use, so they need nothing of the root {@code dev.grove.node} package for it.
 */
package dev.grove.node.secrets;
