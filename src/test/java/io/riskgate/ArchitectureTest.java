package io.riskgate;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, held on the compiled classes: a package may use its own classes and those of
 * any lower layer, never a higher one nor another package of its own layer. ArchUnit reads the bytecode, so a
 * fully-qualified name in the source is a dependency like an import. A new package fails the test until it is given
 * its place here (and in the document).
 */
class ArchitectureTest {

    /** Bottom to top; the packages of one layer are independent of one another. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("base", "errors", "database"),          // argument checks, exceptions, the embedded database
            Set.of("policy", "bus"),                      // the policy model and its YAML loader; the outbound bus
            Set.of("order", "risk", "sizing"),            // the request; numeric helpers (VaR, correlation, sizers)
            Set.of("risk.indicators", "portfolio", "security"), // ATR/EMA; account state; credentials
            Set.of("market"),                             // bars, marks, portfolio analytics
            Set.of("facts"),                              // what the rules match and what they say (Verdict)
            Set.of("rules"),                              // compile, hold and fire rule bases
            Set.of("decision"),                           // the decision value: what was decided, under which policy
            Set.of("audit", "governor"),                  // the audit store; the portfolio governor
            Set.of("exits"),                              // exit rules on marks
            Set.of("check", "lifecycle"),                 // the pre-trade pipeline; fills and closes
            Set.of("runtime", "feeds"),                   // riskgate assembled without Spring; the inbound bus
            Set.of("scenario", "replay"),                 // scenario tests, what-if and replays over the same pipeline
            Set.of("config", "cli"),                      // Spring wiring; the command line
            Set.of("api"),                                // HTTP
            Set.of(""));                                  // io.riskgate: the entry points

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // only riskgate's own classes are read: a dependency on a library class is named, not followed
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.riskgate");
    }

    static String local(String pkg) {
        return pkg.equals("io.riskgate") ? "" : pkg.substring("io.riskgate.".length());
    }

    static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(local(pkg))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            if (layerOf(c.getPackageName()) < 0) {
                unplaced.add(c.getPackageName());
            }
        }
        assertThat(classes).as("classes imported").hasSizeGreaterThan(200);
        assertThat(unplaced).as("packages without a layer in ArchitectureTest.LAYERS").isEmpty();
    }

    @Test
    void dependenciesOnlyPointDown() {
        List<String> upward = new ArrayList<>();
        for (JavaClass c : classes) {
            int from = layerOf(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!target.startsWith("io.riskgate") || target.equals(c.getPackageName())) {
                    continue;
                }
                int to = layerOf(target);
                if (to >= from) {
                    upward.add(d.getDescription());
                }
            }
        }
        assertThat(upward).as("dependencies on a higher layer or a package of the same layer").isEmpty();
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.riskgate.(**)").should().beFreeOfCycles().check(classes);
    }
}
