package io.dmarclens.web.auth;

import io.dmarclens.store.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the TOTP secrets kept in {@code web.db} with AES-256-GCM under a key in its own owner-only file
 * ({@code two-factor.key} in the data directory, created on first use), so that a copy of {@code web.db}
 * alone (a backup, a file shared for debugging) does not give away anybody's second factor. Each secret is
 * bound to its user name (associated data), so a sealed secret copied to another user does not open.
 */
public final class SecretBox {
    /** The key file's name in the data directory. */
    public static final String KEY_FILE = "two-factor.key";
    private static final int NONCE = 12;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The box of {@code dataDir/two-factor.key}, creating the key (32 random bytes, mode 0600) when absent.
     *
     * @throws IllegalStateException when the key file cannot be read or written, or is not 32 bytes
     */
    public static SecretBox open(Path dataDir) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                PrivateFiles.createDirectories(dataDir);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                // Owner-only from its creation, not made private after it was written.
                Path temp = Files.createTempFile(dataDir, ".two-factor", ".key", PrivateFiles.fileAttributes());
                try {
                    Files.write(temp, fresh, StandardOpenOption.WRITE);
                    // A hard link fails when the file exists: a key written meanwhile by another process stands.
                    Files.createLink(file, temp);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // theirs stands
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            byte[] k = Files.readAllBytes(file);
            if (k.length != 32) {
                throw new IllegalStateException("the two-factor key " + file + " is damaged (" + k.length
                        + " bytes, not 32): restore it from a backup");
            }
            return new SecretBox(k);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the two-factor key " + file + ": "
                    + e.getMessage() + " (check the data directory's permissions)", e);
        }
    }

    /**
     * The box of a key file that must exist ({@code web.two_factor.key_file}): a key shared by several nodes is made
     * once by the operator and copied, never made by whichever node starts first.
     *
     * @throws IllegalStateException when the file cannot be read or is not 32 bytes, saying how to make one
     */
    public static SecretBox openExisting(Path file) {
        try {
            byte[] k = Files.readAllBytes(file);
            if (k.length != 32) {
                throw new IllegalStateException("the two-factor key " + file + " has " + k.length + " bytes, not 32:"
                        + " make one with 'head -c 32 /dev/urandom > " + file + "' (or restore it from a backup)");
            }
            return new SecretBox(k);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the two-factor key " + file + " (web.two_factor.key_file): "
                    + e.getMessage() + "; make one with 'head -c 32 /dev/urandom > " + file + "'", e);
        }
    }

    /**
     * A box whose key lives only in memory: secrets sealed with it do not open after a restart. For a
     * dashboard run without a data directory of its own (tests, {@code bench api}).
     */
    public static SecretBox ephemeral() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new SecretBox(k);
    }

    /** {@code plain} sealed for {@code user}: Base64 of nonce and ciphertext with tag. */
    public String seal(String user, byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE + sealed.length).put(nonce)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    /**
     * What {@link #seal} sealed for {@code user}.
     *
     * @throws IllegalStateException when it was sealed with another key or for another user, or altered
     */
    public byte[] open(String user, String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, NONCE));
            c.updateAAD(user.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return c.doFinal(all, NONCE, all.length - NONCE);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the two-factor secret of " + user + " does not open with "
                    + KEY_FILE + " (was the key file replaced?): remove the user's second factor with "
                    + "'users set " + user + " --reset-two-factor' and enrol again", e);
        }
    }
}
