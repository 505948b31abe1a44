package io.dmarclens.web.demo;

import io.dmarclens.index.Store;
import io.dmarclens.index.query.Page;
import io.dmarclens.index.query.PolicyImpact;
import io.dmarclens.index.query.ReportFilter;
import io.dmarclens.index.query.Totals;
import io.dmarclens.web.auth.UserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo fills every chart and table with something true: checked on a real store. */
class DemoSetupTest {
    @Test
    void demoDataGivesEveryPageSomethingToShow(@TempDir Path dir) throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 29);
        // The demo is set up on that day, whatever the real date.
        Clock clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (Store store = Store.open(dir, clock); UserStore users = new UserStore(dir.resolve("web.db"), 4, clock)) {
            DemoSetup.Result r = DemoSetup.fill(store, users, Path.of("..", "sample-reports"), today, 12);
            assertTrue(r.generated() > 12, "generated reports: " + r.generated());
            assertTrue(r.samples() > 10, "sample reports: " + r.samples());
            assertTrue(users.verify(r.user(), r.password().toCharArray()), "the printed login works");
            ReportFilter last90 = ReportFilter.lastDays(12, today);
            Totals t = store.queries().totals(last90);
            assertTrue(t.messages() > 1_000, "messages: " + t.messages());
            assertTrue(t.compliant() > 0 && t.forwarded() > 0 && t.misconfigured() > 0 && t.threat() > 0, t.toString());
            assertTrue(t.dispositionQuarantine() + t.dispositionReject() > 0, t.toString());
            assertTrue(store.queries().policyImpact(last90).stream().map(PolicyImpact::domain).distinct().count() >= 3,
                    "three demo domains");
            assertFalse(store.queries().forwardingSources(last90, Page.first(10)).isEmpty());
            assertFalse(store.queries().failureReports(last90, Page.first(10)).isEmpty());
            assertFalse(store.queries().tlsReports(last90, Page.first(10)).isEmpty());
            assertEquals(12, store.queries().daily(last90).size(), "data on every day");
        }
    }
}
