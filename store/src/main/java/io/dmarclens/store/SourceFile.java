package io.dmarclens.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The raw input a batch of reports was parsed from (a mail, an attachment, a file), kept gzip-compressed
 * in the database so that nothing ever needs re-fetching. Stored once per content hash.
 *
 * @param name   file or message name shown to users, e.g. {@code inbox/42.eml}
 * @param origin how it arrived: {@code smtp}, {@code imap}, {@code file}, ...
 * @param bytes  the content when held in memory, or null when {@code path} holds it
 * @param path   the file holding the content, or null when {@code bytes} holds it
 * @param sha256 hex SHA-256 of the content
 */
public record SourceFile(String name, String origin, byte[] bytes, Path path, String sha256) {
    public SourceFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(sha256, "sha256");
        if ((bytes == null) == (path == null)) {
            throw new IllegalArgumentException("exactly one of bytes and path must be given");
        }
    }

    /** A source held in memory; hashes it. */
    public static SourceFile of(String name, String origin, byte[] bytes) {
        MessageDigest md = sha256Digest();
        md.update(bytes);
        return new SourceFile(name, origin, bytes, null, HexFormat.of().formatHex(md.digest()));
    }

    /** A source in a file; hashes it (streaming, so large files are fine). */
    public static SourceFile of(String name, String origin, Path path) throws IOException {
        MessageDigest md = sha256Digest();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return new SourceFile(name, origin, null, path, HexFormat.of().formatHex(md.digest()));
    }

    /** Opens the content for reading. */
    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(path);
    }

    /** Size of the content in bytes. */
    public long size() {
        try {
            return bytes != null ? bytes.length : Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + origin + ", sha256 " + sha256 + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFile s && s.sha256.equals(sha256) && s.name.equals(name) && s.origin.equals(origin);
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }
}
