/**
 * The bytes of a Grove log entry (docs/transparency-log.md, "Entries"): one compact JSON object per statement a node
 * accepts ({@code keyset/v1}, {@code package/v1}, {@code yank/v1}, {@code decision/v1}), written with {@link dev.grove.json.Json#write} so that
 * the node that appends an entry and a client that rebuilds it from the signed statements it verified get the same bytes,
 * hence the same leaf hash. Pure Java, no I/O: shared by the node, the CLI and (later) the browser runtime.
 */
package dev.grove.logentry;
