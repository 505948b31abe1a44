package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static final InetAddress PROXY = ip("127.0.0.1");

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals(PROXY, TrustedProxies.none().client(PROXY, List.of("203.0.113.9")));
    }

    @Test
    void theNearestStrangerInTheHeaderIsTheClient() {
        TrustedProxies p = TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8"));
        assertEquals(ip("203.0.113.9"), p.client(PROXY, List.of("203.0.113.9")));
        assertEquals(ip("203.0.113.9"), p.client(PROXY, List.of("198.51.100.1, 203.0.113.9, 10.1.2.3")),
                "what the stranger wrote left of itself is not believed");
        assertEquals(ip("203.0.113.9"), p.client(PROXY, List.of("1.1.1.1", "203.0.113.9")), "several headers");
        assertEquals(ip("10.9.9.9"), p.client(PROXY, List.of("10.9.9.9")), "all trusted: the farthest");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItSays() {
        TrustedProxies p = TrustedProxies.of(List.of("127.0.0.1"));
        assertEquals(ip("198.51.100.5"), p.client(ip("198.51.100.5"), List.of("127.0.0.1")));
    }

    @Test
    void garbageInTheHeaderLeavesTheLastProxysWord() {
        TrustedProxies p = TrustedProxies.of(List.of("127.0.0.1"));
        assertEquals(PROXY, p.client(PROXY, List.of("attacker.example")));
        assertEquals(PROXY, p.client(PROXY, List.of("999.1.1.1")));
        assertEquals(ip("2001:db8::7"), p.client(PROXY, List.of("junk, [2001:db8::7]")));
    }

    @Test
    void literalsAreReadWithBracketsAndZonesButNamesNever() {
        assertEquals(ip("::1"), TrustedProxies.literal("[::1]").orElseThrow(), "Jetty's form of an IPv6 peer");
        assertEquals(ip("fe80::1"), TrustedProxies.literal("fe80::1%eth0").orElseThrow());
        assertTrue(TrustedProxies.literal("localhost").isEmpty());
        assertTrue(TrustedProxies.literal("1.2").isEmpty());
    }

    @Test
    void ipv6NetworksMatchByPrefix() {
        TrustedProxies p = TrustedProxies.of(List.of("fd00::/8"));
        assertTrue(p.trusted(ip("fd12:3456::1")));
        assertTrue(!p.trusted(ip("fe80::1")));
    }

    @Test
    void entriesThatAreNoAddressesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.of(List.of("proxy.example.com")));
        assertTrue(e.getMessage().contains("proxy.example.com"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of("10.0.0.0/33")));
    }

    private static InetAddress ip(String literal) {
        return TrustedProxies.literal(literal).orElseThrow();
    }
}
