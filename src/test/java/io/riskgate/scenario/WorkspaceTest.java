package io.riskgate.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.riskgate.order.FieldProblem;
import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.PolicyException;
import io.riskgate.policy.PolicyProblem;
import io.riskgate.testing.TestRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The workspace a what-if by directory reads: names are checked before any file is looked at, then every element
 * on the way must be a real directory inside it. {@code home} holds the workspace ({@code ws}) and, beside it, a
 * directory with a policy file that must never be reached ({@code outside}).
 */
class WorkspaceTest {

    @TempDir
    Path home;

    Path ws;
    Path outside;
    Workspace workspace;

    @BeforeEach
    void layout() throws IOException {
        ws = Files.createDirectories(home.resolve("ws"));
        outside = Files.createDirectories(home.resolve("outside"));
        Files.writeString(outside.resolve("default.yaml"), "id: default\nversion: \"s3cr3t\"\n");
        TestRuntime.copyRepoConfig(ws.resolve("q3"));
        workspace = new Workspace(ws);
    }

    /** The message of the 400 on {@code directory} that {@code r} throws. */
    private static String refusal(Runnable r) {
        try {
            r.run();
        } catch (InvalidRequestException e) {
            assertThat(e.problems()).extracting(FieldProblem::field).containsExactly("directory");
            return e.problems().get(0).message();
        }
        throw new AssertionError("not refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"q3", "q3/policies", "a", "a-b_c.d/e", "1/2/3/4/5/6/7/8"})
    void aPlainRelativeNameHasNoProblem(String name) {
        assertThat(Workspace.problemWith(name)).isEmpty();
    }

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("/etc", "absolute"),
                Arguments.of("/", "absolute"),
                Arguments.of("C:/policies", "absolute"),
                Arguments.of("q3\\policies", "absolute"),
                Arguments.of("..", "'..'"),
                Arguments.of("../outside", "'..'"),
                Arguments.of("q3/../..", "'..'"),
                Arguments.of(".", "'..'"),
                Arguments.of("q3/./policies", "'..'"),
                Arguments.of("", "names of"),
                Arguments.of("q3/", "'..'"),
                Arguments.of("q3//policies", "'..'"),
                Arguments.of(".git", "names of"),
                Arguments.of("q3 policies", "names of"),
                Arguments.of("1/2/3/4/5/6/7/8/9", "names of"),
                Arguments.of("a".repeat(65), "names of"));
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("badNames")
    void aNameThatIsNotPlainAndRelativeIsRefusedBeforeAnyFileIsRead(String name, String says) {
        // the empty name and the doubled slash are told as '.'/'..' or as names: either way, refused
        assertThat(Workspace.problemWith(name)).isPresent();
        assertThat(refusal(() -> workspace.resolve(name))).isNotEmpty();
        if (!name.isEmpty() && !name.contains("//") && !name.endsWith("/")) {
            assertThat(Workspace.problemWith(name).get()).contains(says);
        }
    }

    @Test
    void aCandidateWithRulesBesideItIsFoundByItsRealPath() throws IOException {
        Workspace.Location l = workspace.resolve("q3/policies");

        assertThat(l.policies()).isEqualTo(ws.toRealPath().resolve("q3/policies"));
        assertThat(l.rules()).contains(ws.toRealPath().resolve("q3/rules"));
        assertThat(l.name()).isEqualTo("q3/policies");
    }

    @Test
    void aCandidateWithoutRulesBesideItHasNone() throws IOException {
        Files.createDirectories(ws.resolve("bare/policies"));

        assertThat(workspace.resolve("bare/policies").rules()).isEmpty();
    }

    @Test
    void noWorkspaceConfiguredSaysHowToConfigureIt() {
        assertThat(refusal(() -> new Workspace(null).resolve("q3/policies")))
                .contains("riskgate.policies.workspace").contains("inline");
    }

    @Test
    void aWorkspaceThatDoesNotExistSaysSoWithoutItsPath() {
        Path missing = home.resolve("no-workspace");

        assertThat(refusal(() -> new Workspace(missing).resolve("q3/policies")))
                .contains("does not exist").doesNotContain(missing.toString());
    }

    @Test
    void aLinkOnTheWayIsRefusedEvenIfItPointsInsideTheWorkspace() throws IOException {
        Files.createSymbolicLink(ws.resolve("out"), outside);
        Files.createSymbolicLink(ws.resolve("alias"), ws.resolve("q3"));

        assertThat(refusal(() -> workspace.resolve("out"))).contains("'out' is a symbolic link");
        assertThat(refusal(() -> workspace.resolve("alias/policies"))).contains("'alias' is a symbolic link");
    }

    @Test
    void aLinkAmongTheCandidatesFilesOrAsItsRulesIsRefused() throws IOException {
        Files.createSymbolicLink(ws.resolve("q3/policies/other.yaml"), outside.resolve("default.yaml"));
        Path q4 = Files.createDirectories(ws.resolve("q4/policies"));
        Files.createSymbolicLink(ws.resolve("q4/rules"), outside);

        assertThat(refusal(() -> workspace.resolve("q3/policies"))).contains("q3/policies/other.yaml")
                .contains("symbolic link").doesNotContain("s3cr3t");
        assertThat(refusal(() -> workspace.resolve("q4/policies"))).contains("rules").contains("symbolic link");
        assertThat(q4).exists();
    }

    @Test
    void aFileOrAMissingDirectoryIsRefused() throws IOException {
        assertThat(refusal(() -> workspace.resolve("q3/policies/default.yaml"))).contains("not a directory");
        assertThat(refusal(() -> workspace.resolve("q5"))).contains("no directory 'q5'");
    }

    @Test
    void aRuleFileThatIsALinkIsNotReadAndTheProblemNamesNoServerPath() throws IOException {
        Path gates = ws.resolve("q3/rules/gates.drl");
        Files.delete(gates);
        Files.writeString(outside.resolve("gates.drl"), "// s3cr3t rules\n");
        Files.createSymbolicLink(gates, outside.resolve("gates.drl"));
        Candidate candidate = Candidate.inWorkspace(workspace.resolve("q3/policies"), "default",
                TestRuntime.repoRules());

        assertThatThrownBy(candidate::compile).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.problems()).extracting(PolicyProblem::path).containsExactly("rules[0]");
            assertThat(e.problems().get(0).message()).contains("gates.drl").contains("symbolic link")
                    .doesNotContain("s3cr3t").doesNotContain(home.toString());
        });
    }

    @Test
    void aCandidateThatIsNotThereIsToldByItsWorkspaceName() throws IOException {
        Candidate candidate = Candidate.inWorkspace(workspace.resolve("q3/policies"), "strict",
                TestRuntime.repoRules());

        assertThatThrownBy(candidate::compile).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.problems()).extracting(PolicyProblem::toString)
                        .containsExactly("q3/policies id: no policy 'strict' in the candidate directory"));
    }

    /** Rule files are code: a directory others may write into is refused, the workspace and each step to it. */
    @ParameterizedTest(name = "{0} writable by its group or others")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "q3", "q3/policies", "q3/rules"})
    void aDirectoryOthersMayWriteIsRefused(String dir) throws IOException {
        assertThat(workspace.resolve("q3/policies").policies()).isNotNull(); // 0755 everywhere: accepted
        Path p = dir.isEmpty() ? ws : ws.resolve(dir);
        for (String perms : List.of("rwxrwxr-x", "rwxr-xrwx")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
            assertThat(refusal(() -> workspace.resolve("q3/policies")))
                    .contains("must belong to the service's user and be writable by it alone");
        }
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(workspace.resolve("q3/policies").policies()).isNotNull();
    }
}
