/**
 * The {@code grove} command line: one picocli command class per subcommand, listed in
 * {@link dev.grove.cli.GroveCommand}, and what they share (registry and key options, exit codes, the package cache).
 * {@code grove serve} turns its options into a {@link dev.grove.node.NodeConfig}, taking each default from
 * {@code NodeConfig.defaults()}, and runs a {@link dev.grove.node.Node}; the other commands are clients of a node's HTTP
 * API.
 */
package dev.grove.cli;
