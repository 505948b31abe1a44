package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.Account;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.UserInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** User accounts on a real OpenSearch node, with the embedded web.db's behaviour (SqliteAccountsTest). */
@ExtendWith(DropIndicesAfterClass.class)
class OpenSearchAccountsTest {
    private static final Instant CREATED = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-29T21:00:00Z");

    private static OpenSearchSettings fresh(String test) {
        return OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(OpenSearchAccountsTest.class,
                test + System.nanoTime()));
    }

    @Test
    void keepsUsersAndTokenDigestsAcrossAReopenAndForEveryProcessOnTheCluster() {
        OpenSearchSettings settings = fresh("reopen");
        try (Accounts accounts = OpenSearchAccounts.open(settings)) {
            accounts.saveUser("alice", "hash-1", CREATED);
            accounts.saveUser("bob", "hash-b", CREATED);
            accounts.saveUser("alice", "hash-2", LATER);
            accounts.saveToken("digest-a", "alice", LATER);
        }
        try (Accounts accounts = OpenSearchAccounts.open(settings); Accounts other = OpenSearchAccounts.open(settings)) {
            assertEquals(Optional.of("hash-2"), accounts.passwordHash("alice"), "a new password replaces the old");
            assertEquals(Optional.empty(), accounts.passwordHash("carol"));
            assertEquals(List.of(new UserInfo("alice", CREATED, 1, Role.ADMIN, "all", false), new UserInfo("bob", CREATED, 0, Role.ADMIN, "all", false)), accounts.list(),
                    "the creation time stays when the password changes");
            assertEquals(Optional.of("alice"), other.useToken("digest-a", LATER).map(io.dmarclens.store.users.ApiToken::user));
            assertEquals(Optional.empty(), other.useToken("digest-x", LATER).map(io.dmarclens.store.users.ApiToken::user));
        }
    }

    @Test
    void removingAUserRemovesItsTokens() {
        try (Accounts accounts = OpenSearchAccounts.open(fresh("remove"))) {
            accounts.saveUser("alice", "hash", CREATED);
            accounts.saveUser("user with space/and slash", "hash", CREATED);
            accounts.saveToken("digest-a", "alice", CREATED);
            assertTrue(accounts.removeUser("alice"));
            assertFalse(accounts.removeUser("alice"));
            assertEquals(Optional.empty(), accounts.useToken("digest-a", LATER).map(io.dmarclens.store.users.ApiToken::user));
            assertEquals(List.of(new UserInfo("user with space/and slash", CREATED, 0, Role.ADMIN, "all", false)), accounts.list());
        }
    }

    @Test
    void aTokenForNoUserIsRefusedAndATokenIsCopiedOnce() {
        try (OpenSearchAccounts accounts = OpenSearchAccounts.open(fresh("token"))) {
            StoreException e = assertThrows(StoreException.class, () -> accounts.saveToken("digest", "nobody", CREATED));
            assertTrue(e.getMessage().contains("nobody"), e.getMessage());
            accounts.saveUser("alice", "hash", CREATED);
            assertTrue(accounts.copyToken("digest-a", new io.dmarclens.store.users.ApiToken("digest-a", "alice", "", "all", CREATED, Optional.empty(), Optional.of(LATER))));
            assertFalse(accounts.copyToken("digest-a", new io.dmarclens.store.users.ApiToken("digest-a", "alice", "", "all", CREATED, Optional.empty(), Optional.of(LATER))), "a second copy is no new token");
            assertEquals(List.of(new UserInfo("alice", CREATED, 1, Role.ADMIN, "all", false)), accounts.list());
        }
    }

    @Test
    void rolesScopesAndTwoFactorAreKeptAndRecoveryCodesWorkOnce() {
        OpenSearchSettings settings = fresh("roles");
        try (Accounts accounts = OpenSearchAccounts.open(settings)) {
            accounts.saveUser("bob", "hash", CREATED);
            assertTrue(accounts.setRole("bob", Role.VIEWER));
            assertTrue(accounts.setScope("bob", "example.com,*.example.org"));
            assertFalse(accounts.setRole("nobody", Role.ADMIN), "no such user");
            assertFalse(accounts.setTwoFactor("nobody", "sealed", List.of("h")), "no such user");
            assertEquals(Optional.empty(), accounts.passwordHash("nobody"), "no user is made by a change");
            assertTrue(accounts.setTwoFactor("bob", "sealed", List.of("h1", "h2")));
            accounts.saveUser("bob", "hash-2", LATER);
        }
        try (Accounts accounts = OpenSearchAccounts.open(settings); Accounts other = OpenSearchAccounts.open(settings)) {
            assertEquals(Optional.of(new Account("bob", Role.VIEWER, "example.com,*.example.org",
                    Optional.of("sealed"))), accounts.account("bob"), "a new password keeps role, scope and second factor");
            assertEquals(Optional.empty(), accounts.account("nobody"));
            assertEquals(List.of(new UserInfo("bob", CREATED, 0, Role.VIEWER, "example.com,*.example.org", true)),
                    accounts.list());
            assertTrue(accounts.useRecoveryCode("bob", "h1"));
            assertFalse(other.useRecoveryCode("bob", "h1"), "each recovery code works once, for every process");
            assertFalse(accounts.useRecoveryCode("nobody", "h2"));
            assertEquals(List.of("h2"), other.recoveryCodeHashes("bob"));
            assertTrue(accounts.setTwoFactor("bob", null, List.of()));
            assertEquals(List.of(), accounts.recoveryCodeHashes("bob"), "turning it off drops the codes");
            assertEquals(Optional.empty(), accounts.account("bob").orElseThrow().totpSecret());
            assertFalse(accounts.useRecoveryCode("bob", "h2"));
        }
    }
}
