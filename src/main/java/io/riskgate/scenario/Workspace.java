package io.riskgate.scenario;

import io.riskgate.order.InvalidRequestException;
import io.riskgate.policy.RuleSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one directory a what-if over REST may read candidate policies from ({@code riskgate.policies.workspace}):
 * officers copy a candidate in (say {@code q3/policies} with its rule files in {@code q3/rules}) and name it by its
 * path relative to the workspace. Nothing outside is reachable: a path must be relative, made of plain names
 * (no '.', '..', absolute paths or backslashes), no element on the way may be a symbolic link, and its real path
 * must stay inside the workspace's. Refusals are told as a 400 on {@code directory} and never say anything about
 * files outside the workspace.
 */
public final class Workspace {

    /** 1 to 8 names of letters, digits, '_', '-' and '.' (none starting with '.'), separated by '/'. */
    public static final String PATTERN = "[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}){0,7}";

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;

    /** @param root the workspace directory, or null when none is configured (the directory form is refused) */
    public Workspace(Path root) {
        this.root = root;
    }

    /**
     * A candidate found in the workspace.
     *
     * @param name the path the officer gave, relative to the workspace
     * @param policies the candidate's policies directory (its real path)
     * @param rules the {@code rules} directory beside it in the workspace, if there is one
     */
    public record Location(String name, Path policies, Optional<Path> rules, Path workspace) {

        /** The rule source of the candidate: its own rules directory, read without following links. */
        Optional<RuleSource> ruleSource() {
            return rules.map(dir -> new NoLinks(dir, workspace.relativize(dir).toString()));
        }

        /** {@code text} with the server's absolute paths replaced by what the officer knows them as. */
        String relative(String text) {
            return text.replace(policies.toString(), name).replace(workspace.toString(), "workspace");
        }
    }

    /**
     * What is wrong with {@code relative} as a name in the workspace, told without looking at any file: absolute,
     * '.' or '..', or outside {@link #PATTERN}.
     */
    public static Optional<String> problemWith(String relative) {
        if (relative.startsWith("/") || relative.contains("\\") || relative.matches("^[A-Za-z]:.*")) {
            return Optional.of("must be a path relative to the workspace (such as q3/policies): absolute paths are "
                    + "refused");
        }
        for (String name : relative.split("/", -1)) {
            if (name.equals("..") || name.equals(".")) {
                return Optional.of("must not contain '.' or '..': name a directory inside the workspace, such as "
                        + "q3/policies");
            }
        }
        if (!relative.matches(PATTERN)) {
            return Optional.of("must be 1 to 8 names of letters, digits, '_', '-' and '.' (none starting with '.') "
                    + "separated by '/', such as q3/policies");
        }
        return Optional.empty();
    }

    /**
     * The candidate directory at {@code relative}, checked as the class describes.
     *
     * @throws InvalidRequestException on field {@code directory} saying why it is refused
     */
    public Location resolve(String relative) {
        if (root == null) {
            throw refused("the directory form reads candidates from a workspace, and none is configured: an operator "
                    + "sets riskgate.policies.workspace to the directory officers copy candidates into; or send the "
                    + "candidate inline as yaml");
        }
        problemWith(relative).ifPresent(why -> {
            throw refused(why);
        });
        Path home;
        try {
            home = root.toRealPath();
        } catch (IOException e) {
            throw refused("the workspace (riskgate.policies.workspace) does not exist on the server: an operator "
                    + "creates it; or send the candidate inline as yaml");
        }
        heldByTheService(home, "the workspace");
        Path p = home;
        StringBuilder walked = new StringBuilder();
        for (String name : relative.split("/")) {
            p = p.resolve(name);
            walked.append(walked.isEmpty() ? "" : "/").append(name);
            if (Files.isSymbolicLink(p)) {
                throw refused("'" + walked + "' is a symbolic link: a candidate must be a real directory inside the "
                        + "workspace");
            }
            if (!Files.exists(p, NOFOLLOW)) {
                throw refused("the workspace has no directory '" + walked + "'");
            }
            heldByTheService(p, "'" + walked + "'");
        }
        if (!Files.isDirectory(p, NOFOLLOW)) {
            throw refused("'" + relative + "' is not a directory");
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw refused("'" + relative + "' cannot be read");
        }
        if (!real.startsWith(home) || real.equals(home)) {
            throw refused("'" + relative + "' is not inside the workspace");
        }
        refuseLinksIn(real, relative);
        Path rules = real.getParent().resolve("rules");
        if (Files.isSymbolicLink(rules)) {
            throw refused("the rules directory beside '" + relative + "' is a symbolic link: it must be a real "
                    + "directory inside the workspace");
        }
        if (Files.isDirectory(rules, NOFOLLOW)) {
            heldByTheService(rules, "the rules directory beside '" + relative + "'");
        }
        return new Location(relative, real, Files.isDirectory(rules, NOFOLLOW) ? Optional.of(rules) : Optional.empty(),
                home);
    }

    /**
     * Rule files are code: a DRL consequence runs inside the service when its candidate is probed. So every
     * directory a candidate's files come from must be the service user's and writable by it alone, like the jar.
     */
    private static void heldByTheService(Path dir, String shown) {
        try {
            if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            var perms = Files.getPosixFilePermissions(dir, NOFOLLOW);
            String owner = Files.getOwner(dir, NOFOLLOW).getName();
            if (!owner.equals(System.getProperty("user.name"))
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                throw refused(shown + " must belong to the service's user and be writable by it alone (rule files "
                        + "in it run inside the service): an operator fixes it (chown, chmod go-w)");
            }
        } catch (IOException e) {
            throw refused(shown + " cannot be read");
        }
    }

    /** A link among the candidate's files would be read as a policy: refused. */
    private static void refuseLinksIn(Path dir, String relative) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (Files.isSymbolicLink(e)) {
                    throw refused("'" + relative + "/" + e.getFileName() + "' is a symbolic link: a candidate's "
                            + "files must be real files inside the workspace");
                }
            }
        } catch (IOException e) {
            throw refused("'" + relative + "' cannot be listed");
        }
    }

    private static InvalidRequestException refused(String message) {
        return InvalidRequestException.of("directory", message);
    }

    /**
     * The rule files of a workspace candidate: a name is read only when no element of its path is a symbolic
     * link, and a read error names the file, never the server's paths.
     */
    private record NoLinks(Path dir, String describe) implements RuleSource {

        @Override
        public Optional<byte[]> read(String name) throws IOException {
            Path p = dir;
            for (Path element : Path.of(name)) {
                p = p.resolve(element.toString());
                if (Files.isSymbolicLink(p)) {
                    throw new IOException("it is a symbolic link, refused in the workspace");
                }
            }
            if (!p.normalize().startsWith(dir) || !Files.isRegularFile(p, NOFOLLOW)) {
                return Optional.empty();
            }
            try (InputStream in = Files.newInputStream(p, NOFOLLOW)) {
                return Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new IOException("it cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
