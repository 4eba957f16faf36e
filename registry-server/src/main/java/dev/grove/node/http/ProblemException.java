package dev.grove.node.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request that cannot be served for a reason only the HTTP side knows (a malformed path parameter or header, a body
 * over the limit, an unsatisfiable range), with the problem to tell the client. Route handlers and the request edge
 * {@code ctx.fail(e)} it (or throw it, or fail a Future with it); {@link ProblemFailureHandler} writes it. Features do not
 * throw it: they fail with a {@code dev.grove.node.problem.NodeFailure}, which the handler maps. It carries no stack
 * trace: it is an answer, not a bug.
 */
public final class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of(), null);
    }

    private ProblemException(Problem problem, Map<String, String> headers, Throwable cause) {
        super(problem.status() + " " + problem.detail(), cause, false, false);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException of(int status, String detail) {
        return new ProblemException(Problem.of(status, detail));
    }

    /** 400: the request is malformed (bad syntax, bad parameter, bytes that do not match their digest). */
    public static ProblemException badRequest(String detail) {
        return of(400, detail);
    }

    /** 403: the signer is not allowed to do this. */
    public static ProblemException forbidden(String detail) {
        return of(403, detail);
    }

    /** 404: no such resource. */
    public static ProblemException notFound(String detail) {
        return of(404, detail);
    }

    /** 409: the request conflicts with what is stored (a published version is immutable). */
    public static ProblemException conflict(String detail) {
        return of(409, detail);
    }

    /** 413: the body is larger than allowed. */
    public static ProblemException payloadTooLarge(String detail) {
        return of(413, detail);
    }

    /** 415: the body is not of a media type this route accepts. */
    public static ProblemException unsupportedMediaType(String detail) {
        return of(415, detail);
    }

    /** 422: well-formed, but its content cannot be accepted (an incompatible release, a missing artifact). */
    public static ProblemException unprocessable(String detail) {
        return of(422, detail);
    }

    /** This exception with one more problem extension member. */
    public ProblemException with(String key, Object value) {
        return new ProblemException(problem.with(key, value), headers, getCause());
    }

    /** This exception with one more response header (e.g. {@code Content-Range} on a 416). */
    public ProblemException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ProblemException(problem, more, getCause());
    }

    /** This exception recording the cause (logged at debug level, never sent to the client). */
    public ProblemException withCause(Throwable cause) {
        return new ProblemException(problem, headers, cause);
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    /** Extra response headers. */
    public Map<String, String> headers() {
        return headers;
    }
}
