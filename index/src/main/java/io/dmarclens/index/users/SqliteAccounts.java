package io.dmarclens.index.users;

import io.dmarclens.store.PrivateFiles;
import io.dmarclens.index.schema.Migrations;
import io.dmarclens.index.sqlite.SqliteFiles;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.LoginFailures;
import io.dmarclens.store.users.SessionStore;
import io.dmarclens.store.users.UserInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
    static final Migrations.Scripts SCRIPTS = new Migrations.Scripts("the user accounts " + FILE_NAME,
            SqliteAccounts.class, List.of("V1__accounts.sql", "V2__roles_two_factor_audit.sql",
                    "V3__sessions_login_failures.sql", "V4__token_scopes_totp_step.sql",
                    "V5__pending_logins.sql"));

    /** The migrations of {@code web.db}, which also holds the audit log. */
    public static Migrations.Scripts scripts() {
        return SCRIPTS;
    }

    private final Path file;
    private final Connection db;
    /** Sessions and login counters: written by every login and failed guess, so without an fsync per commit. */
    private final Connection logins;
    private final Object loginsLock = new Object();
    private final SqliteSessions sessions;
    private final SqliteLoginFailures loginFailures;
    private final SqlitePendingLogins pendingLogins;

    private SqliteAccounts(Path file, Connection db, Connection logins) {
        this.file = file;
        this.db = db;
        this.logins = logins;
        // A connection of their own with synchronous=NORMAL (WAL): a power cut may take back the last sessions
        // and counted failures (users log in again; a few guesses more), never the accounts, whose commits
        // stay fsynced; and a flood of failed logins waits for no disk flush.
        this.sessions = new SqliteSessions(logins, loginsLock, this::failure);
        this.loginFailures = new SqliteLoginFailures(logins, loginsLock, this::failure);
        this.pendingLogins = new SqlitePendingLogins(logins, loginsLock, this::failure);
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
    public io.dmarclens.store.users.PendingLogins pendingLogins() {
        return pendingLogins;
    }

    /**
     * Opens (creating it and the data directory when needed) {@code dataDir/web.db} and brings it to the
     * latest version.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer DMARC Lens
     */
    public static SqliteAccounts open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage()
                    + " (check its permissions)", e);
        }
        try {
            SQLiteConfig config = SqliteFiles.walConfig(Duration.ofSeconds(5));
            // Removing a user removes its tokens.
            config.enforceForeignKeys(true);
            Connection db = SqliteFiles.connect(file, config);
            Connection logins = null;
            try {
                Migrations.migrate(db, SCRIPTS);
                SQLiteConfig fast = SqliteFiles.walConfig(Duration.ofSeconds(5));
                fast.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                logins = SqliteFiles.connect(file, fast);
                return new SqliteAccounts(file, db, logins);
            } catch (SQLException | RuntimeException e) {
                if (logins != null) {
                    logins.close();
                }
                db.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open the user accounts " + file + ": " + e.getMessage()
                    + " (check that the data directory is writable)", e);
        }
    }

    @Override
    public synchronized void saveUser(String name, String passwordHash, Instant createdAt) {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO users(name, password_hash, created_at) VALUES(?,?,?)"
                        + " ON CONFLICT(name) DO UPDATE SET password_hash=excluded.password_hash")) {
            ps.setString(1, name);
            ps.setString(2, passwordHash);
            ps.setLong(3, createdAt.getEpochSecond());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized Optional<String> passwordHash(String name) {
        try (PreparedStatement ps = db.prepareStatement("SELECT password_hash FROM users WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized List<UserInfo> list() {
        List<UserInfo> users = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT u.name, u.created_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_name=u.name),"
                        + " u.role, u.scope, u.totp_secret IS NOT NULL FROM users u ORDER BY u.name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(new UserInfo(rs.getString(1), Instant.ofEpochSecond(rs.getLong(2)), rs.getInt(3),
                        Role.parse(rs.getString(4)), rs.getString(5), rs.getBoolean(6)));
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return users;
    }

    @Override
    public synchronized Optional<Account> account(String name) {
        try (PreparedStatement ps = db.prepareStatement("SELECT role, scope, totp_secret FROM users WHERE name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Account(name, Role.parse(rs.getString(1)), rs.getString(2),
                        Optional.ofNullable(rs.getString(3)))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized boolean setRole(String name, Role role) {
        return update("UPDATE users SET role=? WHERE name=?", role.id(), name);
    }

    @Override
    public synchronized boolean setScope(String name, String scope) {
        return update("UPDATE users SET scope=? WHERE name=?", scope, name);
    }

    @Override
    public synchronized boolean setTwoFactor(String name, String sealedSecret, List<String> recoveryCodeHashes) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement u = db.prepareStatement("UPDATE users SET totp_secret=? WHERE name=?");
                 PreparedStatement d = db.prepareStatement("DELETE FROM recovery_codes WHERE user_name=?");
                 PreparedStatement i = db.prepareStatement(
                         "INSERT OR IGNORE INTO recovery_codes(user_name, code_hash) VALUES(?,?)")) {
                u.setString(1, sealedSecret);
                u.setString(2, name);
                if (u.executeUpdate() == 0) {
                    db.rollback();
                    return false;
                }
                d.setString(1, name);
                d.executeUpdate();
                for (String h : sealedSecret == null ? List.<String>of() : recoveryCodeHashes) {
                    i.setString(1, name);
                    i.setString(2, h);
                    i.executeUpdate();
                }
                db.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized List<String> recoveryCodeHashes(String name) {
        List<String> hashes = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT code_hash FROM recovery_codes WHERE user_name=?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hashes.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return hashes;
    }

    @Override
    public synchronized boolean useRecoveryCode(String name, String codeHash) {
        return update("DELETE FROM recovery_codes WHERE user_name=? AND code_hash=?", name, codeHash);
    }

    private boolean update(String sql, String a, String b) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized boolean removeUser(String name) {
        try (PreparedStatement t = db.prepareStatement("DELETE FROM api_tokens WHERE user_name=?");
             PreparedStatement u = db.prepareStatement("DELETE FROM users WHERE name=?")) {
            t.setString(1, name);
            t.executeUpdate();
            sessions.endAll(name);
            u.setString(1, name);
            return u.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    @Override
    public synchronized void saveToken(String digest, ApiToken t) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO api_tokens(digest, user_name, created_at,"
                + " last_used_at, id, label, scope, expires_at) VALUES(?,?,?,?,?,?,?,?)")) {
            ps.setString(1, digest);
            ps.setString(2, t.user());
            ps.setLong(3, t.createdAt().getEpochSecond());
            ps.setObject(4, null);
            ps.setString(5, t.id());
            ps.setString(6, t.label());
            ps.setString(7, t.scope());
            ps.setObject(8, t.expiresAt().map(Instant::getEpochSecond).orElse(null));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write", e);
        }
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
    public synchronized Optional<ApiToken> useToken(String digest, Instant usedAt) {
        try (PreparedStatement ps = db.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE digest=?")) {
            ps.setString(1, digest);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ApiToken token = token(rs);
                try (PreparedStatement up = db.prepareStatement("UPDATE api_tokens SET last_used_at=? WHERE digest=?")) {
                    up.setLong(1, usedAt.getEpochSecond());
                    up.setString(2, digest);
                    up.executeUpdate();
                }
                return Optional.of(token.usedAt(Instant.ofEpochSecond(usedAt.getEpochSecond())));
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized List<ApiToken> tokens(String user) {
        List<ApiToken> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + TOKEN_COLUMNS
                + " FROM api_tokens WHERE user_name=? ORDER BY created_at, id")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(token(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return out;
    }

    @Override
    public synchronized boolean revokeToken(String user, String id) {
        return update("DELETE FROM api_tokens WHERE user_name=? AND id=?", user, id);
    }

    @Override
    public synchronized boolean useTotpStep(String name, long step) {
        // One statement: of two logins with the same code, only the first finds the step still older.
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE users SET totp_step=? WHERE name=? AND (totp_step IS NULL OR totp_step<?)")) {
            ps.setLong(1, step);
            ps.setString(2, name);
            ps.setLong(3, step);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** An API token as stored: its digest and the token. */
    public record StoredToken(String digest, ApiToken token) {
    }

    /** Every API token, for copying the accounts to another store ({@code migrate}). */
    public synchronized List<StoredToken> tokens() {
        List<StoredToken> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT " + TOKEN_COLUMNS + ", digest FROM api_tokens ORDER BY digest");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredToken(rs.getString(8), token(rs)));
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            synchronized (loginsLock) {
                logins.close();
            }
            db.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    /** A failure a user can act on: which file, what went wrong, what to check. */
    private StoreException failure(String action, SQLException e) {
        return new StoreException("cannot " + action + " the user accounts " + file + ": " + e.getMessage()
                + " (check that the disk is not full and the file is writable)", e);
    }
}
