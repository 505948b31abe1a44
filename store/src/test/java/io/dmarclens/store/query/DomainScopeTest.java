package io.dmarclens.store.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DomainScopeTest {
    @Test
    void allPermitsEveryDomain() {
        DomainScope all = DomainScope.parse("all");
        assertTrue(all.isAll());
        assertTrue(all.permits("anything.example"));
        assertEquals("all", all.toString());
    }

    @Test
    void exactEntriesPermitOnlyThemselves() {
        DomainScope s = DomainScope.parse(" Example.COM, other.org ");
        assertTrue(s.permits("example.com"));
        assertTrue(s.permits("EXAMPLE.com."));
        assertFalse(s.permits("sub.example.com"));
        assertFalse(s.permits("notexample.com"));
        assertFalse(s.permits(""));
        assertFalse(s.permits(null));
    }

    @Test
    void patternPermitsSubdomainsButNotTheParentNorLookAlikes() {
        DomainScope s = DomainScope.parse("*.example.com");
        assertTrue(s.permits("a.example.com"));
        assertTrue(s.permits("b.a.example.com"));
        assertFalse(s.permits("example.com"));
        assertFalse(s.permits("badexample.com"));
        assertFalse(s.permits("example.com.evil.net"));
    }

    @Test
    void narrowingKeepsOnlyWhatBothPermit() {
        DomainScope user = DomainScope.parse("*.example.com,other.org");
        DomainScope token = user.narrowedBy(DomainScope.parse("a.example.com,third.net"));
        assertTrue(token.permits("a.example.com"));
        assertFalse(token.permits("b.example.com"));
        assertFalse(token.permits("third.net"));
        assertFalse(token.permits("other.org"));
        assertEquals(List.of("a.example.com"), List.copyOf(token.resolve(List.of("other.org", "a.example.com", "b.example.com", "third.net"))));
        assertTrue(DomainScope.all().narrowedBy(DomainScope.all()).isAll());
    }

    @Test
    void refusesWhatIsNotADomain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DomainScope.parse("example.com, a b"));
        assertTrue(e.getMessage().contains("a b"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DomainScope.parse("' OR 1=1 --"));
        assertThrows(IllegalArgumentException.class, () -> DomainScope.parse(" , "));
    }
}
