package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.cluster.Coordination;
import io.dmarclens.store.cluster.Lease;
import io.dmarclens.store.cluster.Leases;
import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node registry and the leases as every store keeps them: a heartbeat replaces the node's last one, a lease
 * has at most one holder whatever races for it, is taken over only once expired, and is renewed or released
 * only by the version that holds it. Times are fixed: the leases compare the callers' instants only.
 */
public abstract class CoordinationContract {
    private static final Instant T0 = Instant.parse("2026-03-02T06:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    @TempDir
    protected Path dir;

    /** Opens the coordination of a store kept in {@code dir} (an empty one the first time). */
    protected abstract Coordination open(Path dir);

    private static NodeStatus node(String name, Instant at, long depth, String... leases) {
        return new NodeStatus(name, EnumSet.of(NodeRole.SMTP, NodeRole.INBOX), "1.2.3", T0, at, depth, List.of(leases));
    }

    @Test
    void aHeartbeatReplacesTheNodesLastOneAndNodesAreListedByName() {
        try (Coordination c = open(dir)) {
            c.registry().heartbeat(node("node-b", T0, 3));
            c.registry().heartbeat(node("node-a", T0, 0));
            c.registry().heartbeat(node("node-b", T0.plusSeconds(5), 7, "imap:reports"));
            List<NodeStatus> nodes = c.registry().statuses();
            assertEquals(List.of("node-a", "node-b"), nodes.stream().map(NodeStatus::name).toList());
            NodeStatus b = nodes.get(1);
            assertEquals(T0.plusSeconds(5), b.heartbeatAt());
            assertEquals(7, b.inboxDepth());
            assertEquals(List.of("imap:reports"), b.leases());
            assertEquals(Set.of(NodeRole.SMTP, NodeRole.INBOX), b.roles());
            assertEquals("1.2.3", b.version());
            assertEquals(T0, b.startedAt());
            assertTrue(c.registry().forget("node-a"));
            assertFalse(c.registry().forget("node-a"));
            assertEquals(List.of("node-b"), c.registry().statuses().stream().map(NodeStatus::name).toList());
        }
    }

    @Test
    void aLeaseHasOneHolderUntilItExpires() {
        try (Coordination c = open(dir)) {
            Leases leases = c.leases();
            Lease a = leases.acquire("imap:reports", "node-a", T0, TTL).orElseThrow();
            assertEquals("node-a", a.holder());
            assertEquals(T0.plus(TTL), a.expiresAt());
            assertEquals(Optional.empty(), leases.acquire("imap:reports", "node-b", T0.plusSeconds(29), TTL));
            // Another lease is another matter.
            assertTrue(leases.acquire("job:retention", "node-b", T0, TTL).isPresent());
            // Its holder may take it again (after a restart it does not know its version).
            Lease again = leases.acquire("imap:reports", "node-a", T0.plusSeconds(10), TTL).orElseThrow();
            assertEquals(T0.plusSeconds(40), again.expiresAt());
            // Expired: anyone may take it, and the old holder's version is worth nothing then.
            Lease b = leases.acquire("imap:reports", "node-b", T0.plusSeconds(41), TTL).orElseThrow();
            assertEquals("node-b", b.holder());
            assertEquals(Optional.empty(), leases.renew(again, T0.plusSeconds(42), TTL));
            leases.release(again); // a stale release changes nothing
            assertEquals("node-b", holderOf(leases, "imap:reports"));
            assertEquals(List.of("imap:reports", "job:retention"), leases.current().stream().map(Lease::name).toList());
        }
    }

    @Test
    void renewalNeedsTheVersionHeldAndReleaseFreesTheLease() {
        try (Coordination c = open(dir)) {
            Leases leases = c.leases();
            Lease a = leases.acquire("job:retention", "node-a", T0, TTL).orElseThrow();
            Lease renewed = leases.renew(a, T0.plusSeconds(10), TTL).orElseThrow();
            assertEquals(T0.plusSeconds(40), renewed.expiresAt());
            assertFalse(renewed.version().equals(a.version()), "a renewal makes a new version");
            assertEquals(Optional.empty(), leases.renew(a, T0.plusSeconds(11), TTL), "the old version is stale");
            assertEquals(Optional.empty(), leases.acquire("job:retention", "node-b", T0.plusSeconds(39), TTL));
            leases.release(renewed);
            assertTrue(leases.acquire("job:retention", "node-b", T0.plusSeconds(12), TTL).isPresent(),
                    "a released lease is free at once");
        }
    }

    @Test
    void nodesRacingForALeaseGetOneHolder() throws Exception {
        try (Coordination c = open(dir)) {
            int racers = 6;
            for (int round = 0; round < 3; round++) {
                Instant at = T0.plus(TTL.multipliedBy(2L * round + 2)); // each round finds it expired
                String prefix = "node-" + round + "-";
                List<String> winners = new ArrayList<>();
                for (Optional<Lease> won : Races.run(racers, i -> c.leases().acquire("imap:race", prefix + i, at, TTL))) {
                    won.ifPresent(l -> winners.add(l.holder()));
                }
                assertEquals(1, winners.size(), "one holder in round " + round + ": " + winners);
                assertEquals(winners.get(0), holderOf(c.leases(), "imap:race"));
            }
        }
    }

    private static String holderOf(Leases leases, String name) {
        return leases.current().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().holder();
    }
}
