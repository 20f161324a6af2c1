package io.riskgate.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start's way in: when no ADMIN key is active, one is created and written to a file only the service's
 * user can read (0600), so that a fresh machine is still two commands from the README. The key is never logged.
 * Revoke it once real ADMIN keys exist; a later start writes a new one only if no ADMIN key is active then.
 */
public final class BootstrapAdminKey {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdminKey.class);
    static final String NAME = "bootstrap-admin";

    private BootstrapAdminKey() {
    }

    /** Writes a new ADMIN key to {@code file} if no ADMIN key is active; returns whether it did. */
    public static boolean ensure(ApiKeys keys, Path file) throws IOException {
        if (keys.hasActiveAdmin()) {
            return false;
        }
        ApiKeys.Created c = keys.create(new ApiKeys.Spec(NAME, Set.of(Role.ADMIN), Set.of(), Duration.ofDays(90)),
                "riskgate-startup");
        writeOwnerOnly(file, c.key() + "\n");
        log.warn("No active ADMIN API key: a bootstrap ADMIN key (id {}, valid 90 days) was written to {} "
                + "(readable by this user only). Create the keys you need with it (POST /api/v1/keys or "
                + "'riskgate keys create'), give ADMIN to a named person, then revoke it.", c.apiKey().id(),
                file.toAbsolutePath());
        return true;
    }

    /** Writes {@code text} to {@code file} readable and writable by the owner only, replacing it atomically. */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".key", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!posix) {
            log.warn("{}: this file system has no POSIX permissions; make sure only the service's user can read it",
                    file.toAbsolutePath());
        }
    }
}
