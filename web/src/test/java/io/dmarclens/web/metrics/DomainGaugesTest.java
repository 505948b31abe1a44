package io.dmarclens.web.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.Totals;
import io.dmarclens.web.TestApp;
import io.dmarclens.web.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-domain gauges on a real SQLite store (the web tests' data: example.com and example.org every day):
 * the figures are those of the last two report days, the labels are bounded, the rest is summed under
 * {@code _other}, and a scrape within the refresh interval does not ask the store again.
 */
class DomainGaugesTest {
    @TempDir
    Path dir;

    @Test
    void theBusiestDomainsGetLabelsTheRestIsSummedAndTheCacheHolds() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            ReportFilter window = ReportFilter.lastDays(2, TestData.TODAY);
            Totals com = app.store.overview().totals(window.withDomains(java.util.Set.of("example.com")));
            Totals org = app.store.overview().totals(window.withDomains(java.util.Set.of("example.org")));
            assertTrue(com.messages() > org.messages() && org.messages() > 0, "the data has a busier domain");

            try (DmarcMetrics one = new DmarcMetrics(MetricsSettings.defaults().withDomains(1, Duration.ofHours(1)))) {
                one.watchStore(app.store, TestData.CLOCK, false);
                String text = one.scrape();
                assertEquals(com.messages(), value(text, "dmarclens_domain_messages{domain=\"example.com\"}"));
                assertEquals(org.messages(), value(text, "dmarclens_domain_messages{domain=\"_other\"}"));
                assertFalse(text.contains("domain=\"example.org\""), "only one domain has a label of its own");
                assertEquals(2, value(text, "dmarclens_domains"));
                assertEquals((double) com.dmarcPass() / com.messages(),
                        value(text, "dmarclens_domain_dmarc_pass_ratio{domain=\"example.com\"}"), 1e-9);
                assertEquals(1, value(text, "dmarclens_domain_gauges_refresh_seconds_count"));
                one.scrape();
                String cached = one.scrape();
                assertEquals(1, value(cached, "dmarclens_domain_gauges_refresh_seconds_count"),
                        "served from the cache within the refresh interval");
            }
            try (DmarcMetrics all = new DmarcMetrics(MetricsSettings.defaults().withDomains(100, Duration.ZERO))) {
                all.watchStore(app.store, TestData.CLOCK, false);
                String text = all.scrape();
                assertEquals(org.messages(), value(text, "dmarclens_domain_messages{domain=\"example.org\"}"));
                assertEquals(1.0, value(text, "dmarclens_domain_dmarc_pass_ratio{domain=\"example.org\"}"));
                assertFalse(text.contains("_other"));
                all.scrape();
                assertEquals(3, value(all.scrape(), "dmarclens_domain_gauges_refresh_seconds_count"),
                        "a zero refresh interval reads the store at every scrape");
            }
        }
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), "no series " + series + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
