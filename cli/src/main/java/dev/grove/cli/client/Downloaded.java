package dev.grove.cli.client;

import dev.grove.crypto.Sha256;

/** What a streamed download wrote: its length and the SHA-256 of its bytes, computed while they arrived. */
public record Downloaded(long size, Sha256 digest) {
}
