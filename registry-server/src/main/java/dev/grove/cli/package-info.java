/**
 * The {@code grove} command line: {@link dev.grove.cli.GroveCommand} and its client and node commands (init, publish,
 * pull, verify, run, serve, ...), each a {@link dev.grove.cli.command.GroveSubcommand}. The commands sit on top of the
 * libraries in the sub-packages ({@code pack}, {@code breed}, {@code trust}, {@code client}), which never import
 * this package; {@code serve} starts a {@code dev.grove.node} node, which never imports the CLI.
 */
package dev.grove.cli;
