/**
 * The frame every {@code grove} command shares: {@link dev.grove.cli.command.GroveSubcommand} (output through picocli's
 * streams, one {@code error:} line and a distinct exit code per failure) and {@link dev.grove.cli.command.CommandFailure},
 * the failure a user can act on. Below the commands of {@code dev.grove.cli} and its sub-packages, so each of them can
 * use it without a package cycle.
 */
package dev.grove.cli.command;
