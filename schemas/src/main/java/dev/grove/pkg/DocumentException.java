package dev.grove.pkg;

/**
 * A document that is well-formed JSON but not a valid Grove document, or a bundle whose documents disagree. The message
 * starts with the JSON path of the offending field, e.g. {@code artifacts[0].digest: not a sha256 digest: 'abc'}.
 */
public final class DocumentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DocumentException(String message) {
        super(message);
    }

    public DocumentException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "path: problem", or just the problem at the document root. */
    static DocumentException at(String path, String problem) {
        return new DocumentException(path.isEmpty() ? problem : path + ": " + problem);
    }
}
