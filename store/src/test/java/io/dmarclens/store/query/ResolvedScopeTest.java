package io.dmarclens.store.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResolvedScopeTest {
    private static final KnownDomains KNOWN = new KnownDomains(Set.of("corp.test", "mail.corp.test", "Shop.Corp.Test"),
            Set.of("tls.corp.test", "evil.test"), Set.of("news.mail.corp.test", "deep.corp.test", "orphan.example",
                    "mail.corp.test"));

    @Test
    void failureReportsCountUnderTheLongestPolicyDomainHeld() {
        assertEquals("mail.corp.test", KNOWN.policyDomainOf("news.mail.corp.test"));
        assertEquals("mail.corp.test", KNOWN.policyDomainOf("MAIL.corp.test."));
        assertEquals("corp.test", KNOWN.policyDomainOf("deep.corp.test"));
        assertEquals("tls.corp.test", KNOWN.policyDomainOf("a.tls.corp.test"));
        assertEquals("orphan.example", KNOWN.policyDomainOf("orphan.example"));
        assertEquals("notcorp.test", KNOWN.policyDomainOf("notcorp.test"), "a parent is a whole label");
    }

    @Test
    void aPatternResolvesToTheSubdomainsHeldAndTheirFailureDomains() {
        ResolvedScope s = ResolvedScope.of(DomainScope.of(List.of("*.corp.test")), KNOWN);
        assertEquals(Set.of("mail.corp.test", "shop.corp.test"), s.aggregateDomains());
        assertEquals(Set.of("tls.corp.test"), s.tlsDomainsIn());
        assertEquals(Set.of("evil.test"), s.tlsDomainsOut());
        assertEquals(Set.of("news.mail.corp.test", "mail.corp.test"), s.failureDomainsIn());
        assertEquals(Set.of("deep.corp.test", "orphan.example"), s.failureDomainsOut(), "deep.corp.test is corp.test's");
        assertTrue(s.permitsFailure(List.of("news.mail.corp.test")));
        assertFalse(s.permitsFailure(List.of("news.mail.corp.test", "deep.corp.test")), "every reported domain must be in");
        assertFalse(s.permitsFailure(List.of()), "a failure report naming no domain is nobody's but everyone's");
        assertFalse(s.permitsTlsReport(List.of("tls.corp.test", "evil.test")));
        assertTrue(s.permitsTlsReport(List.of("tls.corp.test")));
    }

    @Test
    void nothingInScopeIsNothingNeverEverything() {
        ResolvedScope s = ResolvedScope.of(DomainScope.of(List.of("absent.example")), KNOWN);
        assertFalse(s.isAll());
        ReportFilter f = s.aggregateFilter(ReportFilter.all());
        assertEquals(Set.of(ResolvedScope.NOTHING), f.domains());
        assertTrue(f.scope().isAll(), "the domains carry the scope now");
        ResolvedScope mail = ResolvedScope.of(DomainScope.of(List.of("mail.corp.test")), KNOWN);
        assertEquals(Set.of(ResolvedScope.NOTHING), mail.aggregateFilter(ReportFilter.all().withDomains(Set.of("corp.test")))
                .domains(), "a chosen domain outside the scope is not a way around it");
        assertEquals(Set.of("mail.corp.test"), mail.aggregateFilter(ReportFilter.all()).domains());
    }

    @Test
    void theResolverReadsTheDomainsOnceUntilACommitSaysTheyChanged() {
        AtomicInteger reads = new AtomicInteger();
        ScopeResolver resolver = new ScopeResolver(() -> {
            reads.incrementAndGet();
            return KNOWN;
        });
        DomainScope scope = DomainScope.of(List.of("mail.corp.test"));
        assertSame(ResolvedScope.all(), resolver.resolve(DomainScope.all()));
        assertEquals(0, reads.get(), "every domain needs no read");
        ResolvedScope first = resolver.resolve(scope);
        assertSame(first, resolver.resolve(scope));
        assertEquals(1, reads.get());
        resolver.invalidate();
        resolver.resolve(scope);
        assertEquals(2, reads.get());
        ScopeResolver uncached = ScopeResolver.uncached(() -> {
            reads.incrementAndGet();
            return KNOWN;
        });
        uncached.resolve(scope);
        uncached.resolve(scope);
        assertEquals(4, reads.get());
    }
}
