package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-factor secrets sealed under the key file of a real data directory. */
class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void theKeyFileIsCreatedOwnerOnlyAndOpensWhatItSealedAfterAReopen() throws Exception {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        String sealed = SecretBox.open(dir).seal("alice", secret);
        Path key = dir.resolve(SecretBox.KEY_FILE);
        assertEquals(32, Files.size(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertFalse(new String(java.util.Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)
                .contains("1234567890"), "sealed, not encoded");
        assertArrayEquals(secret, SecretBox.open(dir).open("alice", sealed));
    }

    @Test
    void aSecretDoesNotOpenForAnotherUserOrUnderAnotherKey() {
        String sealed = SecretBox.open(dir).seal("alice", new byte[20]);
        assertThrows(IllegalStateException.class, () -> SecretBox.open(dir).open("bob", sealed));
        assertThrows(IllegalStateException.class, () -> SecretBox.ephemeral().open("alice", sealed));
    }

    @Test
    void aConfiguredKeyFileIsSharedByTwoNodesAndMustExist() throws Exception {
        // web.two_factor.key_file: the operator makes the key once and gives each node the same file.
        Path shared = dir.resolve("shared.key");
        Files.write(shared, new byte[32]);
        String sealed = SecretBox.openExisting(shared).seal("alice", new byte[20]);
        assertArrayEquals(new byte[20], SecretBox.openExisting(shared).open("alice", sealed), "another node opens it");
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> SecretBox.openExisting(dir.resolve("absent.key")));
        assertTrue(missing.getMessage().contains("head -c 32 /dev/urandom"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve("absent.key")), "never made by whichever node starts first");
        Files.write(shared, new byte[31]);
        assertThrows(IllegalStateException.class, () -> SecretBox.openExisting(shared));
    }
}
