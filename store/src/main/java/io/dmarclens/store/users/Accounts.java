package io.dmarclens.store.users;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's user accounts: names with their password hashes, and the digests of their read-only
 * API tokens. Kept apart from the report store, so that the store can be rebuilt without losing logins.
 * It stores what it is given: hashing passwords and digesting tokens is the caller's job, so a copy of
 * what is stored does not hand out access.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the accounts cannot be read or
 * written; its message says what to check.
 */
public interface Accounts extends AutoCloseable {
    /**
     * Creates the user, or replaces the password hash of an existing one (which keeps its creation time, role
     * and scope). A new user is an {@link Role#ADMIN} of {@link Account#ALL} domains, as every user was before
     * roles existed; {@link #setRole} and {@link #setScope} change that.
     */
    void saveUser(String name, String passwordHash, Instant createdAt);

    /** The user's role, scope and second factor, empty when there is no such user. */
    Optional<Account> account(String name);

    /** Gives an existing user a role; false when there is no such user. */
    boolean setRole(String name, Role role);

    /** Gives an existing user a scope ({@code all} or a comma-separated list); false when there is no such user. */
    boolean setScope(String name, String scope);

    /**
     * Sets (or with null removes) the user's sealed TOTP secret and the hashes of its recovery codes, replacing
     * any there were; false when there is no such user.
     */
    boolean setTwoFactor(String name, String sealedSecret, List<String> recoveryCodeHashes);

    /** The hashes of the user's unused recovery codes. */
    List<String> recoveryCodeHashes(String name);

    /** Marks one recovery code as used; false when it was not (or no longer) there, so each works once. */
    boolean useRecoveryCode(String name, String codeHash);

    /** The password hash of the user, empty when there is no such user. */
    Optional<String> passwordHash(String name);

    /** The users by name, with how many tokens each holds. */
    List<UserInfo> list();

    /** Removes the user, its tokens and its sessions; false when there was none. */
    boolean removeUser(String name);

    /**
     * Keeps the digest of a token just issued to an existing user, with its public id, label, scope and expiry
     * ({@code token.lastUsedAt()} is ignored).
     *
     * @throws io.dmarclens.store.StoreException when there is no such user or the digest is taken
     */
    void saveToken(String digest, ApiToken token);

    /** Keeps the digest of an unnamed token of the user's whole scope that never expires. */
    default void saveToken(String digest, String user, Instant createdAt) {
        saveToken(digest, new ApiToken(ApiToken.idOf(digest), user, "", Account.ALL, createdAt, Optional.empty(),
                Optional.empty()));
    }

    /**
     * The token a digest belongs to, noting {@code usedAt} as its last use; empty when unknown (never issued,
     * revoked, or its user removed). Whether it has expired is the caller's to decide.
     */
    Optional<ApiToken> useToken(String digest, Instant usedAt);

    /** The user's tokens, oldest first. */
    List<ApiToken> tokens(String user);

    /** Revokes (removes) the user's token with this public id; false when the user holds no such token. */
    boolean revokeToken(String user, String id);

    /**
     * Notes that the user logged in with the TOTP code of time step {@code step}, unless a code of this or a
     * later step was used before: false then, and the code must be refused. Atomic, and kept with the account,
     * so a code works once across restarts and across every process sharing the accounts.
     */
    boolean useTotpStep(String name, long step);

    /**
     * The logged-in sessions kept with these accounts (closed with them): shared by every process that opens the
     * same accounts.
     */
    SessionStore sessions();

    /** The failed-login counters kept with these accounts (closed with them), shared like {@link #sessions()}. */
    LoginFailures loginFailures();

    /**
     * The pending second steps of two-factor logins kept with these accounts (closed with them), shared like
     * {@link #sessions()}.
     */
    PendingLogins pendingLogins();

    @Override
    void close();
}
