package io.dmarclens.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.dmarclens.store.Clocks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dashboard users and their read-only API tokens, kept in their own SQLite file ({@code dataDir/web.db})
 * so that the report store can be rebuilt without losing logins. Passwords are bcrypt hashes; tokens are
 * stored as SHA-256 digests, so a copy of the file does not hand out access.
 */
public final class UserStore implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MIN_PASSWORD = 8;
    private static final String TOKEN_PREFIX = "dl_";

    private final Connection db;
    private final int bcryptCost;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Compared against when a user does not exist, so that a wrong name costs as long as a wrong password. */
    private final byte[] dummyHash;

    /** Opens {@code file}, stamping users and tokens with the time of {@link Clocks#system()}. */
    public UserStore(Path file, int bcryptCost) throws SQLException {
        this(file, bcryptCost, Clocks.system());
    }

    /** Opens {@code file}, stamping users and tokens with the time of {@code clock}. */
    public UserStore(Path file, int bcryptCost, Clock clock) throws SQLException {
        this.bcryptCost = bcryptCost;
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS api_tokens (digest TEXT PRIMARY KEY,"
                    + " user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
                    + " created_at INTEGER NOT NULL, last_used_at INTEGER)");
            s.execute("PRAGMA foreign_keys=ON");
        }
        dummyHash = BCrypt.withDefaults().hash(bcryptCost, randomBytes(16));
    }

    /** Opens {@code dataDir/web.db} with the default bcrypt cost. */
    public static UserStore open(Path dataDir) throws SQLException {
        return open(dataDir, Clocks.system());
    }

    /** Opens {@code dataDir/web.db} with the default bcrypt cost, stamping users and tokens with {@code clock}. */
    public static UserStore open(Path dataDir, Clock clock) throws SQLException {
        return new UserStore(dataDir.resolve("web.db"), 12, clock);
    }

    /** Creates a user, or replaces the password of an existing one. */
    public synchronized void addOrReplace(String name, char[] password) throws SQLException {
        checkName(name);
        if (password.length < MIN_PASSWORD) {
            throw new IllegalArgumentException("the password must have at least " + MIN_PASSWORD + " characters");
        }
        String hash = BCrypt.withDefaults().hashToString(bcryptCost, password);
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO users(name, password_hash, created_at) VALUES(?,?,?)"
                        + " ON CONFLICT(name) DO UPDATE SET password_hash=excluded.password_hash")) {
            ps.setString(1, name);
            ps.setString(2, hash);
            ps.setLong(3, clock.instant().getEpochSecond());
            ps.executeUpdate();
        }
    }

    public synchronized boolean exists(String name) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM users WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** True when the user exists and the password matches; takes bcrypt time either way. */
    public boolean verify(String name, char[] password) throws SQLException {
        String hash = null;
        synchronized (this) {
            try (PreparedStatement ps = db.prepareStatement("SELECT password_hash FROM users WHERE name=?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        hash = rs.getString(1);
                    }
                }
            }
        }
        if (hash == null) {
            BCrypt.verifyer().verify(password, dummyHash);
            return false;
        }
        return BCrypt.verifyer().verify(password, hash.toCharArray()).verified;
    }

    public synchronized List<UserInfo> list() throws SQLException {
        List<UserInfo> users = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT u.name, u.created_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_name=u.name)"
                        + " FROM users u ORDER BY u.name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(new UserInfo(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)), rs.getInt(3)));
            }
        }
        return users;
    }

    /** Removes a user and its tokens; false when there was none. */
    public synchronized boolean remove(String name) throws SQLException {
        try (PreparedStatement t = db.prepareStatement("DELETE FROM api_tokens WHERE user_name=?");
             PreparedStatement u = db.prepareStatement("DELETE FROM users WHERE name=?")) {
            t.setString(1, name);
            t.executeUpdate();
            u.setString(1, name);
            return u.executeUpdate() > 0;
        }
    }

    /** Issues a new read-only API token for the user and returns it; only its digest is kept. */
    public synchronized String issueToken(String name) throws SQLException {
        if (!exists(name)) {
            throw new IllegalArgumentException("no such user: " + name);
        }
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO api_tokens(digest, user_name, created_at) VALUES(?,?,?)")) {
            ps.setString(1, digest(token));
            ps.setString(2, name);
            ps.setLong(3, clock.instant().getEpochSecond());
            ps.executeUpdate();
        }
        return token;
    }

    /** The user a token belongs to, if it is a valid token. */
    public synchronized Optional<String> userForToken(String token) throws SQLException {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String digest = digest(token);
        try (PreparedStatement ps = db.prepareStatement("SELECT user_name FROM api_tokens WHERE digest=?")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String user = rs.getString(1);
                try (PreparedStatement up = db.prepareStatement("UPDATE api_tokens SET last_used_at=? WHERE digest=?")) {
                    up.setLong(1, clock.instant().getEpochSecond());
                    up.setString(2, digest);
                    up.executeUpdate();
                }
                return Optional.of(user);
            }
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a user name has 1 to 64 letters, digits, '.', '_', '@' or '-': " + name);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A user as listed by {@code users list}. */
    public record UserInfo(String name, Instant createdAt, int tokens) {
    }
}
