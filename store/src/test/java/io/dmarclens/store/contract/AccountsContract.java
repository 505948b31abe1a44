package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.ApiToken;
import io.dmarclens.store.users.Accounts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * API tokens and the used TOTP step as every {@link Accounts} implementation must keep them: named, narrowed
 * and expiring tokens listed without their secret and revoked at once, and a TOTP step used once, across a
 * reopen and across two handles on the same accounts (two processes, two cluster nodes).
 */
public abstract class AccountsContract {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    /** Opens the accounts of this test class's place (a data directory, an index prefix); called more than once. */
    protected abstract Accounts open();

    private static ApiToken token(String id, String user, String label, String scope, Instant expires) {
        return new ApiToken(id, user, label, scope, T0, Optional.ofNullable(expires), Optional.empty());
    }

    @Test
    void tokensKeepTheirLabelScopeAndExpiryAndAreListedAndRevokedByTheirOwner() {
        try (Accounts a = open()) {
            a.saveUser("tok-alice", "hash", T0);
            a.saveUser("tok-bob", "hash", T0);
            a.saveToken("d1-tok-alice-0000000000", token("a1", "tok-alice", "grafana", "example.com",
                    T0.plusSeconds(3600)));
            a.saveToken("d2-tok-alice-0000000000", token("a2", "tok-alice", "", "all", null));
            a.saveToken("d3-tok-bob-00000000000", token("b1", "tok-bob", "cron", "all", null));
            assertThrows(StoreException.class, () -> a.saveToken("d4", token("x", "tok-nobody", "", "all", null)),
                    "a token of no user is refused");
        }
        try (Accounts a = open(); Accounts other = open()) {
            List<ApiToken> alice = a.tokens("tok-alice");
            assertEquals(List.of("a1", "a2"), alice.stream().map(ApiToken::id).toList());
            ApiToken first = alice.get(0);
            assertEquals("grafana", first.label());
            assertEquals("example.com", first.scope());
            assertEquals(Optional.of(T0.plusSeconds(3600)), first.expiresAt());
            assertEquals(Optional.empty(), first.lastUsedAt());
            assertEquals("all", alice.get(1).scope());

            ApiToken used = other.useToken("d1-tok-alice-0000000000", T0.plusSeconds(60)).orElseThrow();
            assertEquals("tok-alice", used.user());
            assertEquals("example.com", used.scope());
            assertEquals(Optional.of(T0.plusSeconds(60)), a.tokens("tok-alice").get(0).lastUsedAt(),
                    "the last use is kept");

            assertFalse(a.revokeToken("tok-bob", "a1"), "a token is revoked only under its own user");
            assertTrue(a.revokeToken("tok-alice", "a1"));
            assertFalse(a.revokeToken("tok-alice", "a1"), "a revoked token is gone");
            assertEquals(Optional.empty(), other.useToken("d1-tok-alice-0000000000", T0.plusSeconds(61)),
                    "a revoked token is refused at once, by every handle");
            assertTrue(other.useToken("d2-tok-alice-0000000000", T0.plusSeconds(61)).isPresent());
            assertEquals(1, a.list().stream().filter(u -> u.name().equals("tok-alice")).findFirst().orElseThrow().tokens());

            assertTrue(a.removeUser("tok-bob"));
            assertEquals(List.of(), other.tokens("tok-bob"));
            assertEquals(Optional.empty(), other.useToken("d3-tok-bob-00000000000", T0.plusSeconds(62)),
                    "a removed user's tokens go with it");
        }
    }

    @Test
    void aTotpStepIsUsedOnceAcrossAReopenAndAnotherHandle() {
        try (Accounts a = open()) {
            a.saveUser("totp-carol", "hash", T0);
            assertTrue(a.useTotpStep("totp-carol", 1000));
            assertFalse(a.useTotpStep("totp-carol", 1000), "the same step again");
            assertFalse(a.useTotpStep("totp-carol", 999), "an older step");
            assertFalse(a.useTotpStep("totp-nobody", 1000), "no such user");
        }
        try (Accounts a = open(); Accounts other = open()) {
            assertFalse(other.useTotpStep("totp-carol", 1000), "still used after a reopen");
            assertTrue(a.useTotpStep("totp-carol", 1001));
            assertFalse(other.useTotpStep("totp-carol", 1001), "and on another handle");
        }
    }

    @Test
    void ofTwoConcurrentLoginsWithOneCodeOnlyOneGetsIn() throws Exception {
        try (Accounts a = open(); Accounts other = open()) {
            a.saveUser("totp-dave", "hash", T0);
            int accepted = Races.winners(8, i -> (i % 2 == 0 ? a : other).useTotpStep("totp-dave", 5000));
            assertEquals(1, accepted);
        }
    }
}
