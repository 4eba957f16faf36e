package dev.grove.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.AdapterMismatch;
import dev.grove.node.problem.AmbiguousName;
import dev.grove.node.problem.Conflict;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.ForbiddenSigner;
import dev.grove.node.problem.ImmutableVersion;
import dev.grove.node.problem.IncompatibleRelease;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.LineageNotReproduced;
import dev.grove.node.problem.MissingArtifact;
import dev.grove.node.problem.NodeFailure;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.ReportRefused;
import dev.grove.node.problem.SignatureRejected;
import dev.grove.node.problem.StorageUnavailable;
import dev.grove.node.problem.TooLarge;
import dev.grove.node.problem.UploadInterrupted;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The one table from domain failures to statuses covers every failure, with the status clients have always seen. */
class NodeFailureStatusTest {

    private static final Sha256 A = Sha256.of(new byte[] {1});
    private static final Sha256 B = Sha256.of(new byte[] {2});

    private static Map<NodeFailure, Integer> examples() {
        Map<NodeFailure, Integer> m = new LinkedHashMap<>();
        m.put(new InvalidDocument("bundle: broken"), 400);
        m.put(new SignatureRejected("contract: bad signature"), 400);
        m.put(new DigestMismatch(A, B, 3), 400);
        m.put(new UploadInterrupted(new IOException("connection reset")), 400);
        m.put(new ForbiddenSigner("yank is signed by key k"), 403);
        m.put(new NotFound("no blob"), 404);
        m.put(new Conflict("retry"), 409);
        m.put(new ImmutableVersion("already published"), 409);
        m.put(new AmbiguousName("name one", List.of("a", "b")), 409);
        m.put(new TooLarge("too large", OptionalLong.of(10)), 413);
        m.put(new MissingArtifact("not uploaded"), 422);
        m.put(new IncompatibleRelease("breaks"), 422);
        m.put(new LineageNotReproduced("other weights"), 422);
        m.put(new AdapterMismatch("adapter: its base is not on this node"), 422);
        m.put(new ReportRefused(ReportRefused.Reason.MALFORMED, "helped", "'helped' must be true or false"), 400);
        m.put(new ReportRefused(ReportRefused.Reason.MALFORMED_TOKEN, "token.message", "'token.message' short"), 400);
        m.put(new ReportRefused(ReportRefused.Reason.UNKNOWN_KEY, "token.keyId", "another key"), 403);
        m.put(new ReportRefused(ReportRefused.Reason.UNSIGNED_TOKEN, "token.signature", "does not verify"), 403);
        m.put(new ReportRefused(ReportRefused.Reason.UNKNOWN_PACKAGE, "no version"), 404);
        m.put(new ReportRefused(ReportRefused.Reason.SPENT, "already spent"), 409);
        m.put(new StorageUnavailable(new IOException("connection refused")), 503);
        return m;
    }

    @Test
    void everyFailureHasAStatus() {
        assertThat(examples().keySet().stream().map(Object::getClass).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(NodeFailure.class.getPermittedSubclasses()));
        examples().forEach((failure, status) -> {
            assertThat(ProblemFailureHandler.statusOf(failure)).as(failure.getClass().getSimpleName()).isEqualTo(status);
            ProblemException problem = ProblemFailureHandler.problemOf(failure);
            assertThat(problem.status()).isEqualTo(status);
            assertThat(problem.problem().type()).isEqualTo(Problem.ABOUT_BLANK);
        });
    }

    @Test
    void anUnavailableStorageSaysWhenToRetryAndNothingOfItsCause() {
        ProblemException problem = ProblemFailureHandler.problemOf(
                new StorageUnavailable(new IOException("s3.internal.example:9000 refused")));
        assertThat(problem.headers()).containsEntry("Retry-After", "5");
        assertThat(problem.problem().detail()).isEqualTo("the node's blob storage is unavailable; retry in a few seconds");
    }

    @Test
    void theMessageIsTheDetailAndTheCauseIsKept() {
        InvalidDocument failure = new InvalidDocument("contract: no name", new IllegalArgumentException("no name"));
        ProblemException problem = ProblemFailureHandler.problemOf(failure);
        assertThat(problem.problem().detail()).isEqualTo("contract: no name");
        assertThat(problem.getCause()).isSameAs(failure);
        assertThat(failure.getCause()).hasMessage("no name");
    }

    @Test
    void aDigestMismatchNamesBothDigests() {
        ProblemException problem = ProblemFailureHandler.problemOf(new DigestMismatch(A, B, 3));
        assertThat(problem.problem().extensions()).containsEntry("expected", A.toString()).containsEntry("actual", B.toString());
        assertThat(problem.problem().detail()).isEqualTo("the uploaded bytes do not match their digest: expected " + A
                + ", actual " + B + " (3 bytes)");
    }

    @Test
    void aRefusedReportNamesItsReasonAndField() {
        ProblemException bad = ProblemFailureHandler.problemOf(new ReportRefused(ReportRefused.Reason.UNSIGNED_TOKEN,
                "token.signature", "the token's signature does not verify"));
        assertThat(bad.problem().extensions()).containsEntry("reason", "bad-token")
                .containsEntry("field", "token.signature");
        assertThat(bad.problem().detail()).isEqualTo("the token's signature does not verify");
        ProblemException spent = ProblemFailureHandler.problemOf(new ReportRefused(ReportRefused.Reason.SPENT,
                "already spent"));
        assertThat(spent.problem().extensions()).containsEntry("reason", "spent").doesNotContainKey("field");
    }

    @Test
    void anInterruptedUploadIsAnsweredAsTheBodyFailed() {
        ProblemException stall = ProblemException.of(408, "stalled");
        assertThat(ProblemFailureHandler.problemOf(new UploadInterrupted(stall))).isSameAs(stall);
        assertThat(ProblemFailureHandler.problemOf(new UploadInterrupted(new IOException("Connection reset")))
                .problem().detail()).startsWith("the request body is not well-formed HTTP/1.1 (connection reset)");
    }
}
