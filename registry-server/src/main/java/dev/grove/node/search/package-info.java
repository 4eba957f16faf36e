/**
 * Search over the packages a node holds: {@code SearchIndex} holds the SQL (full-text, part-of-name and pg_trgm name
 * similarity, one hit per package at its latest version), {@link dev.grove.node.search.SearchRoutes} checks the query
 * parameters of {@code GET /v1/search} and writes the results.
 */
package dev.grove.node.search;
