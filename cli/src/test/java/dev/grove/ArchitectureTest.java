package dev.grove;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked over every Grove class on the cli test classpath (the node, the CLI, and the
 * schemas, federation and browser-runtime modules), without test classes.
 *
 * <ul>
 *   <li>No package cycles: every package under {@code dev.grove} is a slice, and the slices' dependencies form no
 *       cycle.
 *   <li>The node never imports the CLI: {@code dev.grove.node..} depends on nothing in {@code dev.grove.cli..}.
 * </ul>
 *
 * <p>The root package {@code dev.grove.node} assembles the node ({@code Node}, {@code Features}, {@code NodeConfig}) and
 * depends on every feature; what features share (routes, jobs, services) is in {@code dev.grove.node.feature}, below
 * them, and each feature is handed its own settings by {@code Features}, so no feature depends back on the root.
 *
 * <p>Run it with {@code ./mvnw -B -o -pl cli -am test -Dtest=ArchitectureTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; a failure names each cycle and the class dependencies that make it.
 */
class ArchitectureTest {

    private static JavaClasses grove;

    @BeforeAll
    static void importGrove() {
        grove = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // in a reactor build past `package` the modules' test helpers arrive as *-tests.jar, which the
                // predefined option (test-classes directories) does not recognise
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.grove");
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.grove.(**)").should().beFreeOfCycles().check(grove);
    }

    @Test
    void theNodeDoesNotImportTheCli() {
        noClasses().that().resideInAPackage("dev.grove.node..")
                .should().dependOnClassesThat().resideInAPackage("dev.grove.cli..")
                .check(grove);
    }
}
