/**
 * The format layer of Grove's transparency log: RFC 6962 / RFC 9162 Merkle hashing and proofs, and the static
 * C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles): tile and entry-bundle paths ({@link dev.grove.tlog.TilePath}),
 * hash tiles ({@link dev.grove.tlog.HashTile}) and entry bundles ({@link dev.grove.tlog.EntryBundle}).
 *
 * <p>Merkle hashing follows RFC 9162 section 2.1 (https://www.rfc-editor.org/rfc/rfc9162#section-2.1): a leaf hash is
 * SHA-256(0x00 || entry), an interior node SHA-256(0x01 || left || right), and the empty tree hashes to SHA-256 of no
 * bytes. Inclusion and consistency proofs are generated as in RFC 9162 sections 2.1.3.1 and 2.1.4.1 from a
 * {@link dev.grove.tlog.HashSource} and verified as in sections 2.1.3.2 and 2.1.4.2.
 *
 * <p>Pure Java, compiled for the browser by TeaVM: no reflection, no {@code java.security.MessageDigest}, no
 * {@code java.util.concurrent}, no I/O. Hashes are 32-byte arrays; every method copies arrays it keeps or returns.
 */
package dev.grove.tlog;
