package io.riskgate.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the rule files a policy lists under {@code rules:} are read from, by the name it lists: the live rules
 * directory, or, for a candidate an officer previews, the files sent with it in front of the live ones. A name
 * reaching the source is relative and stays inside it ({@link PolicyLoader} refuses '..' and absolute names first).
 */
public interface RuleSource {

    /** The file's bytes, or empty when this source has no file of that name. */
    Optional<byte[]> read(String name) throws IOException;

    /** Where the files were looked for, as an officer reads it in "rule file 'x' not found in ...". */
    String describe();

    /** The files of a rules directory, described by its path. */
    static RuleSource directory(Path rulesDir) {
        return directory(rulesDir, rulesDir.toString());
    }

    /** The files of a rules directory, described as {@code describe} (not the server's path, say). */
    static RuleSource directory(Path rulesDir, String describe) {
        Path dir = rulesDir.normalize();
        return new RuleSource() {
            @Override
            public Optional<byte[]> read(String name) throws IOException {
                Path p = dir.resolve(name).normalize();
                if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
                    return Optional.empty();
                }
                return Optional.of(Files.readAllBytes(p));
            }

            @Override
            public String describe() {
                return describe;
            }
        };
    }

    /**
     * {@code files} (name to bytes) in front of {@code fallback}: a file given here is used, any other comes from
     * {@code fallback}.
     */
    static RuleSource overlay(Map<String, byte[]> files, RuleSource fallback, String describe) {
        Map<String, byte[]> given = Map.copyOf(files);
        return new RuleSource() {
            @Override
            public Optional<byte[]> read(String name) throws IOException {
                byte[] b = given.get(name);
                return b != null ? Optional.of(b.clone()) : fallback.read(name);
            }

            @Override
            public String describe() {
                return describe;
            }
        };
    }
}
