/**
 * The runtime's browser side and what it shares with the JVM: loading and verifying a package
 * ({@link dev.grove.runtime.web.PackageLoader}), the contract's {@code architecture} block both ways
 * ({@link dev.grove.runtime.web.ContractArchitecture}, {@link dev.grove.runtime.web.ArchitectureJson}, the one mapping
 * the node, the CLI and the browser use), anonymous reports and the {@code GroveRuntime} entry point TeaVM compiles.
 */
package dev.grove.runtime.web;
