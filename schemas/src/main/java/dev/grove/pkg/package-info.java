/**
 * The signed package documents of {@code docs/protocol.md}: the contract, lineage and evaluation cards, keyset changes,
 * yanks and the bundle that carries them. {@code parse} methods only parse and check a document's own rules, throwing
 * {@link dev.grove.pkg.DocumentException} with the JSON path of the bad field; {@link dev.grove.pkg.BundleVerifier} checks
 * signatures and how the documents pin each other. Unknown fields are refused, as in the JSON Schemas under
 * {@code schemas/}: a new field means a new schema version, and a misspelt optional field must not pass unnoticed.
 * Free-form objects (the contract's {@code architecture}, the lineage card's {@code parameters} and {@code data} entries)
 * are kept as JSON.
 */
package dev.grove.pkg;
