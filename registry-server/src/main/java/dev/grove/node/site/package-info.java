/**
 * The static site every node serves at {@code /}: the {@code site/} folder and the browser runtime bundled into the
 * node, or an operator's folder ({@code --site}). Files only; the site reads the API like any other client.
 */
package dev.grove.node.site;
