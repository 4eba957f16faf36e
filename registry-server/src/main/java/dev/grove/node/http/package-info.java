/**
 * The node's HTTP edge, shared by every feature: what a request may hold (limits, deadlines, body budget and pace, strict
 * text), CORS, the access log, and the one failure handler that turns every failure into an RFC 9457
 * {@code application/problem+json} response. Features put their routes in their own packages.
 */
package dev.grove.node.http;
