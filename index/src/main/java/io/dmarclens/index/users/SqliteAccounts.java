package io.dmarclens.index.users;

import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.LoginFailures;
import io.dmarclens.store.users.PendingLogins;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.UserInfo;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * Dashboard users, API token digests, login sessions and failed-login counters in their own SQLite file {@code dataDir/web.db} (WAL), so that the
 * report store can be rebuilt without losing logins; versioned migrations (scripts beside this class).
 */
public final class SqliteAccounts implements Accounts {
    /** File name of the accounts inside the data directory. */
    public static final String FILE_NAME = "web.db";
    /** The migrations of {@code web.db}, which also holds the audit log. */
    static final Migrations.Scripts SCRIPTS = new Migrations.Scripts("the user accounts " + FILE_NAME,
            SqliteAccounts.class, List.of("V1__accounts.sql", "V2__roles_two_factor_audit.sql",
                    "V3__sessions_login_failures.sql", "V4__token_scopes_totp_step.sql",
                    "V5__pending_logins.sql"));

    /** The accounts and tokens: each commit fsynced. */
    private final WebDb db;
    /** Sessions and login counters: written by every login and failed guess, so without an fsync per commit. */
    private final WebDb logins;
    private final SqliteSessions sessions;
    private final SqliteLoginFailures loginFailures;
    private final SqlitePendingLogins pendingLogins;

    private SqliteAccounts(WebDb db, WebDb logins) {
        this.db = db;
        this.logins = logins;
        // A connection of their own with synchronous=NORMAL (WAL): a power cut may take back the last sessions
        // and counted failures (users log in again; a few guesses more), never the accounts, whose commits
        // stay fsynced; and a flood of failed logins waits for no disk flush.
        this.sessions = new SqliteSessions(logins);
        this.loginFailures = new SqliteLoginFailures(logins);
        this.pendingLogins = new SqlitePendingLogins(logins);
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public LoginFailures loginFailures() {
        return loginFailures;
    }

    @Override
    public PendingLogins pendingLogins() {
        return pendingLogins;
    }

    /**
     * Opens (creating it and the data directory when needed) {@code dataDir/web.db} and brings it to the
     * latest version.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static SqliteAccounts open(Path dataDir) {
        SQLiteConfig config = SqliteFiles.walConfig(Duration.ofSeconds(5));
        // Removing a user removes its tokens.
        config.enforceForeignKeys(true);
        WebDb db = WebDb.open(dataDir, "the user accounts", config);
        try {
            SQLiteConfig fast = SqliteFiles.walConfig(Duration.ofSeconds(5));
            fast.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            return new SqliteAccounts(db, db.another(fast));
        } catch (RuntimeException e) {
            try {
                db.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public void saveUser(String name, String passwordHash, Instant createdAt) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users(name, password_hash, created_at) VALUES(?,?,?)"
                            + " ON CONFLICT(name) DO UPDATE SET password_hash=excluded.password_hash")) {
                ps.setString(1, name);
                ps.setString(2, passwordHash);
                ps.setLong(3, createdAt.getEpochSecond());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> passwordHash(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE name=?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<UserInfo> list() {
        return db.read(c -> {
            List<UserInfo> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT u.name, u.created_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_name=u.name),"
                            + " u.role, u.scope, u.totp_secret IS NOT NULL FROM users u ORDER BY u.name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(new UserInfo(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)), rs.getInt(3),
                            Role.parse(rs.getString(4)), rs.getString(5), rs.getBoolean(6)));
                }
            }
            return users;
        });
    }

    @Override
    public Optional<Account> account(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT role, scope, totp_secret FROM users WHERE name=?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Account(name, Role.parse(rs.getString(1)), rs.getString(2),
                            Optional.ofNullable(rs.getString(3)))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean setRole(String name, Role role) {
        return update("UPDATE users SET role=? WHERE name=?", role.id(), name);
    }

    @Override
    public boolean setScope(String name, String scope) {
        return update("UPDATE users SET scope=? WHERE name=?", scope, name);
    }

    @Override
    public boolean setTwoFactor(String name, String sealedSecret, List<String> recoveryCodeHashes) {
        return db.inTransaction(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE users SET totp_secret=? WHERE name=?");
                 PreparedStatement d = c.prepareStatement("DELETE FROM recovery_codes WHERE user_name=?");
                 PreparedStatement i = c.prepareStatement(
                         "INSERT OR IGNORE INTO recovery_codes(user_name, code_hash) VALUES(?,?)")) {
                u.setString(1, sealedSecret);
                u.setString(2, name);
                if (u.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
                d.setString(1, name);
                d.executeUpdate();
                for (String h : sealedSecret == null ? List.<String>of() : recoveryCodeHashes) {
                    i.setString(1, name);
                    i.setString(2, h);
                    i.executeUpdate();
                }
                return true;
            }
        });
    }

    @Override
    public List<String> recoveryCodeHashes(String name) {
        return db.read(c -> {
            List<String> hashes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT code_hash FROM recovery_codes WHERE user_name=?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hashes.add(rs.getString(1));
                    }
                }
            }
            return hashes;
        });
    }

    @Override
    public boolean useRecoveryCode(String name, String codeHash) {
        return update("DELETE FROM recovery_codes WHERE user_name=? AND code_hash=?", name, codeHash);
    }

    private boolean update(String sql, String a, String b) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, a);
                ps.setString(2, b);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean removeUser(String name) {
        return db.write(c -> {
            try (PreparedStatement t = c.prepareStatement("DELETE FROM api_tokens WHERE user_name=?");
                 PreparedStatement u = c.prepareStatement("DELETE FROM users WHERE name=?")) {
                t.setString(1, name);
                t.executeUpdate();
                sessions.endAll(name);
                u.setString(1, name);
                return u.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void saveToken(String digest, ApiToken t) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens(digest, user_name, created_at,"
                    + " last_used_at, id, label, scope, expires_at) VALUES(?,?,?,?,?,?,?,?)")) {
                ps.setString(1, digest);
                ps.setString(2, t.user());
                ps.setLong(3, t.createdAt().getEpochSecond());
                ps.setObject(4, null);
                ps.setString(5, t.id());
                ps.setString(6, t.label());
                ps.setString(7, t.scope());
                ps.setObject(8, t.expiresAt().map(Instant::getEpochSecond).orElse(null));
                return ps.executeUpdate();
            }
        });
    }

    private static final String TOKEN_COLUMNS = "id, user_name, label, scope, created_at, expires_at, last_used_at";

    private static ApiToken token(ResultSet rs) throws SQLException {
        long expires = rs.getLong(6);
        Optional<Instant> expiresAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expires));
        long used = rs.getLong(7);
        Optional<Instant> usedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(used));
        return new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Instant.ofEpochSecond(rs.getLong(5)), expiresAt, usedAt);
    }

    @Override
    public Optional<ApiToken> useToken(String digest, Instant usedAt) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE digest=?")) {
                ps.setString(1, digest);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    ApiToken token = token(rs);
                    try (PreparedStatement up = c.prepareStatement("UPDATE api_tokens SET last_used_at=? WHERE digest=?")) {
                        up.setLong(1, usedAt.getEpochSecond());
                        up.setString(2, digest);
                        up.executeUpdate();
                    }
                    return Optional.of(token.usedAt(Instant.ofEpochSecond(usedAt.getEpochSecond())));
                }
            }
        });
    }

    @Override
    public List<ApiToken> tokens(String user) {
        return db.read(c -> {
            List<ApiToken> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS
                    + " FROM api_tokens WHERE user_name=? ORDER BY created_at, id")) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(token(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean revokeToken(String user, String id) {
        return update("DELETE FROM api_tokens WHERE user_name=? AND id=?", user, id);
    }

    @Override
    public boolean useTotpStep(String name, long step) {
        // One statement: of two logins with the same code, only the first finds the step still older.
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET totp_step=? WHERE name=? AND (totp_step IS NULL OR totp_step<?)")) {
                ps.setLong(1, step);
                ps.setString(2, name);
                ps.setLong(3, step);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** An API token as stored: its digest and the token. */
    public record StoredToken(String digest, ApiToken token) {
    }

    /** Every API token, for copying the accounts to another store ({@code migrate}). */
    public List<StoredToken> tokens() {
        return db.read(c -> {
            List<StoredToken> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + TOKEN_COLUMNS + ", digest FROM api_tokens ORDER BY digest");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredToken(rs.getString(8), token(rs)));
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        logins.close();
        db.close();
    }
}
