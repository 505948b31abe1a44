package io.dmarclens.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.UserInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Dashboard users and their read-only API tokens (named, narrowed to fewer domains, expiring, revocable), over the {@link Accounts} they are kept in. Passwords are
 * kept as bcrypt hashes and tokens as SHA-256 digests, so a copy of the accounts does not hand out access.
 * Failures of the accounts reach callers as {@link io.dmarclens.store.StoreException}.
 */
public final class UserStore implements AutoCloseable {
    /** The bcrypt cost of a real installation; tests use less. */
    public static final int DEFAULT_BCRYPT_COST = 12;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MIN_PASSWORD = 8;
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

    /**
     * Creates a new user with this role (the last-admin rule of {@link #setRole} does not apply: nobody is
     * demoted).
     *
     * @throws IllegalArgumentException when the user exists already, or the name or password is not acceptable
     */
    public synchronized void create(String name, char[] password, Role role) {
        if (exists(name)) {
            throw new IllegalArgumentException("there is a user " + name + " already");
        }
        addOrReplace(name, password);
        accounts.setRole(name, Objects.requireNonNull(role, "role"));
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
        Objects.requireNonNull(role, "role");
        if (role != Role.ADMIN) {
            refuseLastAdmin(name, "demote");
        }
        return accounts.setRole(name, role);
    }

    /**
     * Refuses to remove or demote the only admin, which would leave nobody able to manage users from the
     * dashboard. (Two admins demoting each other at the same moment could still both succeed; the command line
     * can always make a new admin.)
     *
     * @throws IllegalArgumentException saying what to do instead
     */
    private void refuseLastAdmin(String name, String what) {
        boolean isAdmin = accounts.account(name).map(a -> a.role() == Role.ADMIN).orElse(false);
        if (isAdmin && accounts.list().stream().filter(u -> u.role() == Role.ADMIN).count() <= 1) {
            throw new IllegalArgumentException("cannot " + what + " " + name + ": it is the last admin; make another"
                    + " user an admin first");
        }
    }

    /**
     * Gives an existing user a scope: {@code all}, or domains and patterns such as {@code *.example.com}
     * separated by commas ({@link DomainScope#parse}); false when there is no such user.
     *
     * @return the scope as stored, or empty when there is no such user
     * @throws IllegalArgumentException when a domain is not a domain name or pattern
     */
    public Optional<String> setScope(String name, String scope) {
        String normal = DomainScope.parse(scope).toString();
        return accounts.setScope(name, normal) ? Optional.of(normal) : Optional.empty();
    }

    public List<UserInfo> list() {
        return accounts.list();
    }

    /** Removes a user, its tokens and its sessions (on every node); false when there was none. */
    public boolean remove(String name) {
        refuseLastAdmin(name, "remove");
        return accounts.removeUser(name);
    }

    /** Issues a new unnamed read-only API token of the user's whole scope that never expires. */
    public String issueToken(String name) {
        return issueToken(name, "", null, Optional.empty());
    }

    /**
     * Issues a new read-only API token for the user and returns its secret, shown only now: only its digest is
     * kept. The token carries the user's role and scope, narrowed to {@code domains} when given (which must lie
     * within the user's scope) and ending at {@code expiresAt} when given.
     *
     * @param label     what the owner calls it, up to 64 printable characters, may be empty
     * @param domains   null or {@code all} for the user's whole scope, else domains and patterns, comma-separated
     * @param expiresAt when it stops working, empty for never
     * @throws IllegalArgumentException when there is no such user, the domains are not within the user's scope,
     *                                  the expiry has passed or the label is not acceptable; saying which
     */
    public synchronized String issueToken(String name, String label, String domains, Optional<Instant> expiresAt) {
        Account account = accounts.account(name)
                .orElseThrow(() -> new IllegalArgumentException("no such user: " + name));
        String l = label == null ? "" : label.strip();
        if (l.length() > 64 || !l.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new IllegalArgumentException("a token label has up to 64 printable characters");
        }
        DomainScope narrowed = DomainScope.parse(domains);
        DomainScope own = DomainScope.parse(account.scope());
        if (!narrowed.isAll() && !TokenScopes.within(narrowed, own)) {
            throw new IllegalArgumentException("a token can only be narrowed to domains within its user's scope ("
                    + own + "); " + narrowed + " is not");
        }
        Instant now = clock.instant();
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new IllegalArgumentException("the expiry " + expiresAt.get() + " has passed already");
        }
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        String digest = digest(token);
        accounts.saveToken(digest, new ApiToken(ApiToken.idOf(digest), name, l, narrowed.toString(), now, expiresAt,
                Optional.empty()));
        return token;
    }

    /** The public id of a token secret (what {@link #tokens} lists it by). */
    public static String tokenId(String token) {
        return ApiToken.idOf(digest(token));
    }

    /** The user a token belongs to, if it is a valid token that has not expired. */
    public Optional<String> userForToken(String token) {
        return token(token).map(ApiToken::user);
    }

    /**
     * The token a secret stands for, if it is known, has not been revoked and has not expired at this clock's
     * now; its last use is noted.
     */
    public Optional<ApiToken> token(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return accounts.useToken(digest(token), now).filter(t -> !t.expiredAt(now));
    }

    /** The user's tokens (never their secrets), oldest first. */
    public List<ApiToken> tokens(String user) {
        return accounts.tokens(user);
    }

    /** Revokes the user's token with this id at once; false when the user holds no such token. */
    public boolean revokeToken(String user, String id) {
        return accounts.revokeToken(user, id);
    }

    /**
     * When a token given {@code text} expires: a period or duration from now ({@code P30D}, {@code P1Y},
     * {@code PT12H}), or a day ({@code 2027-01-31}, the token works through that day, UTC).
     *
     * @throws IllegalArgumentException when it is neither, or not in the future
     */
    public Instant expiry(String text) {
        String t = text == null ? "" : text.strip();
        Instant now = clock.instant();
        Instant at;
        try {
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                at = java.time.LocalDate.parse(t).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } else if (t.toUpperCase(java.util.Locale.ROOT).contains("T")) {
                at = now.plus(java.time.Duration.parse(t));
            } else {
                at = java.time.ZonedDateTime.ofInstant(now, java.time.ZoneOffset.UTC).plus(java.time.Period.parse(t))
                        .toInstant();
            }
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("an expiry is a period such as P30D or a day such as 2027-01-31, not '"
                    + t + "'");
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("the expiry " + t + " is not in the future");
        }
        return at;
    }

    /** The login sessions kept with the accounts, shared by every node on them. */
    public io.dmarclens.store.users.SessionStore sessionStore() {
        return accounts.sessions();
    }

    /** The pending second steps of two-factor logins kept with the accounts, shared by every node on them. */
    public io.dmarclens.store.users.PendingLogins pendingLogins() {
        return accounts.pendingLogins();
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
