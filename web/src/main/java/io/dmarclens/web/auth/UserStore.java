package io.dmarclens.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dashboard users and their read-only API tokens, over the {@link Accounts} they are kept in. Passwords are
 * kept as bcrypt hashes and tokens as SHA-256 digests, so a copy of the accounts does not hand out access.
 * Failures of the accounts reach callers as {@link io.dmarclens.store.StoreException}.
 */
public final class UserStore implements AutoCloseable {
    /** The bcrypt cost of a real installation; tests use less. */
    public static final int DEFAULT_BCRYPT_COST = 12;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MIN_PASSWORD = 8;
    private static final Pattern SCOPE_DOMAIN = Pattern.compile(
            "(\\*\\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String TOKEN_PREFIX = "dl_";

    private final Accounts accounts;
    private final int bcryptCost;
    private final AuditLog audit;
    private final SecretBox box;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Compared against when a user does not exist, so that a wrong name costs as long as a wrong password. */
    private final byte[] dummyHash;

    /** Works on {@code accounts} (and closes them on {@link #close}), stamping users and tokens with the system clock. */
    public UserStore(Accounts accounts, int bcryptCost) {
        this(accounts, bcryptCost, Clocks.system());
    }

    /**
     * Works on {@code accounts} (and closes them on {@link #close}), stamping users and tokens with {@code clock},
     * with no audit log and two-factor secrets sealed by a key held in memory only.
     */
    public UserStore(Accounts accounts, int bcryptCost, Clock clock) {
        this(accounts, null, SecretBox.ephemeral(), bcryptCost, clock);
    }

    /**
     * Works on {@code accounts} and the {@code audit} log (closing both on {@link #close}; {@code audit} may be
     * null), sealing two-factor secrets with {@code box}.
     */
    public UserStore(Accounts accounts, AuditLog audit, SecretBox box, int bcryptCost, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.audit = audit;
        this.box = Objects.requireNonNull(box, "box");
        this.bcryptCost = bcryptCost;
        this.clock = Objects.requireNonNull(clock, "clock");
        dummyHash = BCrypt.withDefaults().hash(bcryptCost, randomBytes(16));
    }

    /** Creates a user, or replaces the password of an existing one. */
    public void addOrReplace(String name, char[] password) {
        checkName(name);
        if (password.length < MIN_PASSWORD) {
            throw new IllegalArgumentException("the password must have at least " + MIN_PASSWORD + " characters");
        }
        accounts.saveUser(name, BCrypt.withDefaults().hashToString(bcryptCost, password), clock.instant());
    }

    public boolean exists(String name) {
        return accounts.passwordHash(name).isPresent();
    }

    /** True when the user exists and the password matches; takes bcrypt time either way. */
    public boolean verify(String name, char[] password) {
        return authenticate(name, password).isPresent();
    }

    /**
     * The {@linkplain #credentialStamp credential stamp} of the user's password when the password matches,
     * empty when it does not or there is no such user; takes bcrypt time either way.
     */
    public Optional<String> authenticate(String name, char[] password) {
        Optional<String> hash = accounts.passwordHash(name);
        if (hash.isEmpty()) {
            BCrypt.verifyer().verify(password, dummyHash);
            return Optional.empty();
        }
        return BCrypt.verifyer().verify(password, hash.get().toCharArray()).verified
                ? Optional.of(stamp(hash.get())) : Optional.empty();
    }

    /**
     * What a session remembers of the password it was opened with: a digest of the user's bcrypt hash, which
     * changes whenever the password is set again (bcrypt salts each hash), and is empty once the user is
     * removed. Checked on every request, so that {@code users add} or {@code users remove} in another process
     * ends the user's sessions in a running server.
     */
    public Optional<String> credentialStamp(String name) {
        return accounts.passwordHash(name).map(UserStore::stamp);
    }

    private static String stamp(String passwordHash) {
        return digest(passwordHash).substring(0, 32);
    }

    /** The user's role, scope and second factor, empty when there is no such user. */
    public Optional<Account> account(String name) {
        return accounts.account(name);
    }

    /** Gives an existing user a role; false when there is no such user. */
    public boolean setRole(String name, Role role) {
        return accounts.setRole(name, Objects.requireNonNull(role, "role"));
    }

    /**
     * Gives an existing user a scope: {@code all}, or domains and patterns such as {@code *.example.com}
     * separated by commas (stored and shown; not yet enforced, see docs/security.md); false when there is
     * no such user.
     *
     * @return the scope as stored, or empty when there is no such user
     * @throws IllegalArgumentException when a domain is not a domain name or pattern
     */
    public Optional<String> setScope(String name, String scope) {
        String normal = normalScope(scope);
        return accounts.setScope(name, normal) ? Optional.of(normal) : Optional.empty();
    }

    /** {@code all}, or the lower-cased domains and patterns without blanks or repeats, comma-separated. */
    static String normalScope(String scope) {
        if (scope == null || scope.isBlank() || scope.trim().equalsIgnoreCase(Account.ALL)) {
            return Account.ALL;
        }
        java.util.LinkedHashSet<String> domains = new java.util.LinkedHashSet<>();
        for (String d : scope.split(",")) {
            String t = d.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (!SCOPE_DOMAIN.matcher(t).matches()) {
                throw new IllegalArgumentException("not a domain or pattern such as *.example.com: " + d.trim());
            }
            domains.add(t);
        }
        if (domains.isEmpty()) {
            throw new IllegalArgumentException("give at least one domain, or 'all'");
        }
        return String.join(",", domains);
    }

    public List<UserInfo> list() {
        return accounts.list();
    }

    /** Removes a user, its tokens and its sessions (on every node); false when there was none. */
    public boolean remove(String name) {
        return accounts.removeUser(name);
    }

    /** Issues a new read-only API token for the user and returns it; only its digest is kept. */
    public synchronized String issueToken(String name) {
        if (!exists(name)) {
            throw new IllegalArgumentException("no such user: " + name);
        }
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        accounts.saveToken(digest(token), name, clock.instant());
        return token;
    }

    /** The user a token belongs to, if it is a valid token. */
    public Optional<String> userForToken(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return accounts.useToken(digest(token), clock.instant());
    }

    /** The login sessions kept with the accounts, shared by every node on them. */
    public io.dmarclens.store.users.SessionStore sessionStore() {
        return accounts.sessions();
    }

    /** The failed-login counters kept with the accounts, shared by every node on them. */
    public io.dmarclens.store.users.LoginFailures loginFailures() {
        return accounts.loginFailures();
    }

    /** The audit log kept with the accounts, empty when there is none. */
    public Optional<AuditLog> auditLog() {
        return Optional.ofNullable(audit);
    }

    /** The users' second factors, required for the given roles, with codes of the time {@code totpClock} tells. */
    public TwoFactor twoFactor(java.util.Set<Role> requiredFor, Clock totpClock) {
        return new TwoFactor(accounts, box, totpClock, requiredFor);
    }

    @Override
    public void close() {
        try {
            accounts.close();
        } finally {
            if (audit != null) {
                audit.close();
            }
        }
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
}
