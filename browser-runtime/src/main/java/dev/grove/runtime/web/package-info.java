/**
 * The browser runtime's entry points (compiled by TeaVM): {@link dev.grove.runtime.web.PackageLoader} verifies a package
 * step by step against its node's log and refuses it with {@link dev.grove.runtime.web.PackageRefusedException} naming
 * the check; {@link dev.grove.runtime.web.GroveRuntime} exposes that to JavaScript as JSON.
 */
package dev.grove.runtime.web;
