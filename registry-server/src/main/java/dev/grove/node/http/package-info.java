/**
 * The HTTP edge shared by every route: request limits, body reading and pacing, CORS, the access log, and
 * {@link dev.grove.node.http.ProblemFailureHandler}, the one place that turns a failure into an
 * {@code application/problem+json} response: a {@code dev.grove.node.problem} domain failure by its concern, an
 * HTTP-level {@link dev.grove.node.http.ProblemException} as it is, anything else as a 503 outage or a 500 with an error
 * id.
 */
package dev.grove.node.http;
