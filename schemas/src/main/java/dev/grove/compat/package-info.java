/** The interface-compatibility rule of protocol.md ("Compatibility within a major version"). */
package dev.grove.compat;
