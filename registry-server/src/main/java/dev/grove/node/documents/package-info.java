/**
 * Checks every signed document a node accepts before any feature reads it: {@link dev.grove.node.documents.DocumentSchemas}
 * validates the JSON against the schemas shipped in grove-schemas ({@code InvalidDocument} naming the first violations),
 * and {@link dev.grove.node.documents.KeysetSignatures} verifies an envelope against a namespace's keyset, telling a
 * signer outside the keyset ({@code ForbiddenSigner}) from a signature that does not verify ({@code SignatureRejected}).
 */
package dev.grove.node.documents;
