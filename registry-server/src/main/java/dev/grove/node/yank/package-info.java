/**
 * Yanks: a namespace withdrawing one of its versions from {@code latest} with a statement signed by its keyset.
 * {@link dev.grove.node.yank.Yanks} checks and applies the statement (schema, signature, the content it names) and logs
 * it; {@code YankStore} holds its SQL; {@link dev.grove.node.yank.YankRoutes} is the HTTP side.
 */
package dev.grove.node.yank;
