/**
 * Semantic Versioning 2.0.0 (https://semver.org) versions and precedence, without build metadata, which Grove refuses
 * because it does not take part in precedence.
 */
package dev.grove.semver;
