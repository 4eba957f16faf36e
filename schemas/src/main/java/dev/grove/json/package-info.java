/**
 * A small strict JSON (RFC 8259) reader and deterministic writer.
 *
 * <p>Grove parses signed, untrusted documents in the node, the CLI and the TeaVM browser runtime, so this package uses no
 * reflection and no third-party library, caps nesting depth, refuses duplicate keys, lone surrogates and trailing data, and
 * keeps number literals exactly as written.
 */
package dev.grove.json;
