/**
 * The node's HTTP edge, shared by every feature's routes: problem responses
 * ({@link dev.grove.node.http.ProblemException}), request limits and deadlines, CORS, the access log, body reading and
 * the path parameters routes share ({@link dev.grove.node.http.PathParams}). It depends on no feature package.
 */
package dev.grove.node.http;
