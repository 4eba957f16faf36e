/**
 * The signed package documents of {@code docs/protocol.md}: the contract, lineage and evaluation cards, keyset changes,
 * yanks and the bundle that carries them. {@code parse} methods only parse and check a document's own rules, throwing
 * {@link dev.grove.pkg.DocumentException} with the JSON path of the bad field; {@link dev.grove.pkg.BundleVerifier} checks
 * signatures and how the documents pin each other. Unknown fields are ignored (they are covered by the signature anyway),
 * so later minor revisions of a schema can add optional fields.
 */
package dev.grove.pkg;
