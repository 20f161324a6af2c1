package io.riskgate.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The migrations' layout (docs/architecture.md, Storage): a version is either common to both databases or in each
 * database's own folder, never both, and never in one database's folder alone, so H2 and PostgreSQL end at the same
 * schema version.
 */
class MigrationLayoutTest {

    private static final Path ROOT = Path.of("src/main/resources/db/migration");

    private static Set<String> versions(String folder) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve(folder))) {
            files.map(p -> p.getFileName().toString()).forEach(name -> {
                assertThat(name).as("a migration's name in %s", folder).matches("V\\d+__[a-z0-9_]+\\.sql");
                out.add(name.substring(1, name.indexOf("__")));
            });
        }
        return out;
    }

    @Test
    void everyVersionIsCommonOrInBothDatabasesFolders() throws IOException {
        Set<String> common = versions("common");
        Set<String> h2 = versions("h2");
        Set<String> postgresql = versions("postgresql");
        assertThat(h2).as("versions in h2/ and postgresql/").isEqualTo(postgresql);
        assertThat(h2).as("versions both common and H2's own").doesNotContainAnyElementsOf(common);
        try (Stream<Path> top = Files.list(ROOT)) {
            assertThat(top.filter(Files::isRegularFile)).as("migrations outside the three folders").isEmpty();
        }
        // 1, 2, 3 ... with none missing (17 when this was written)
        TreeSet<Integer> all = new TreeSet<>();
        common.forEach(v -> all.add(Integer.parseInt(v)));
        h2.forEach(v -> all.add(Integer.parseInt(v)));
        assertThat(all.first()).isOne();
        assertThat(all).hasSize(all.last()).hasSizeGreaterThanOrEqualTo(17);
    }
}
