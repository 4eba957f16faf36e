/**
 * The browser side of Grove, compiled by TeaVM: {@link dev.grove.runtime.web.GroveRuntime} is the entry point the page
 * calls, {@link dev.grove.runtime.web.PackageLoader} verifies a package before anything of it runs (signatures, keyset,
 * log proof, digests), refuses it with {@link dev.grove.runtime.web.PackageRefusedException} naming the
 * check, and says what it checked in a {@link dev.grove.runtime.web.Report}, and
 * {@link dev.grove.runtime.web.BrowserReports} makes the anonymous report a visitor sends. The verification itself is
 * the shared verifier of {@code federation} ({@code dev.grove.verify}), the same the CLI and mirrors use.
 */
package dev.grove.runtime.web;
