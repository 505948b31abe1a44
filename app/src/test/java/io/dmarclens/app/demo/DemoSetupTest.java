package io.dmarclens.app.demo;

import io.dmarclens.index.users.SqliteAccounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import io.dmarclens.web.auth.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo fills every chart and table with something true: checked on a real store. */
class DemoSetupTest {
    @Test
    void demoDataGivesEveryPageSomethingToShow(@TempDir Path dir) throws Exception {
        LocalDate today = LocalDate.of(2026, 11, 29);
        // The demo is set up on that day, whatever the real date.
        Clock clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (Store store = EmbeddedStore.open(dir, clock); UserStore users = new UserStore(SqliteAccounts.open(dir), 4, clock)) {
            DemoSetup.Result r = DemoSetup.fill(store, users, Path.of("..", "sample-reports"), today, 12);
            assertTrue(r.generated() > 12, "generated reports: " + r.generated());
            assertTrue(r.samples() > 10, "sample reports: " + r.samples());
            assertTrue(users.verify(r.user(), r.password().toCharArray()), "the printed login works");
            ReportFilter last90 = ReportFilter.lastDays(12, today);
            Totals t = store.overview().totals(last90);
            assertTrue(t.messages() > 1_000, "messages: " + t.messages());
            assertTrue(t.compliant() > 0 && t.forwarded() > 0 && t.misconfigured() > 0 && t.threat() > 0, t.toString());
            assertTrue(t.dispositionQuarantine() + t.dispositionReject() > 0, t.toString());
            assertTrue(store.domains().policyImpact(last90).stream().map(PolicyImpact::domain).distinct().count() >= 3,
                    "three demo domains");
            assertFalse(store.forwarding().forwardingSources(last90, Page.first(10)).isEmpty());
            assertFalse(store.failureReports().failureReports(last90, Page.first(10)).isEmpty());
            assertFalse(store.tlsReports().tlsReports(last90, Page.first(10)).isEmpty());
            assertEquals(12, store.overview().daily(last90).size(), "data on every day");
        }
    }
}
