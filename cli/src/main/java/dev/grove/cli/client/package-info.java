/**
 * The CLI's blocking HTTP client for a node's {@code /v1} API: every failure is a
 * {@link dev.grove.cli.client.RegistryException} carrying the node's problem document, transfers stream with their
 * SHA-256 computed on the way and report progress on standard error.
 */
package dev.grove.cli.client;
