package io.dmarclens.alerts.rules;

import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.TlsReportSummary;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SMTP TLS reports show more failed sessions for the domain in the window than {@code factor} times its
 * baseline's daily average (and at least {@code minSessions}): an expired certificate, a broken MTA-STS
 * policy, an MX that stopped offering STARTTLS.
 */
public final class TlsFailuresRising implements AlertRule {
    public static final String ID = "tls-failures";

    /**
     * @param minSessions failed sessions in the window
     * @param factor      times the baseline's failed sessions per day (scaled to the window)
     * @param cooldown    hold-back after a resolution
     */
    public record Settings(int minSessions, int factor, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(10, 3, Duration.ofHours(12));
        }
    }

    private final Settings settings;

    public TlsFailuresRising(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "TLS-RPT failures rising";
    }

    @Override
    public String why() {
        return "Senders report that they could not deliver to the domain's MX over TLS as its policy asks: with"
                + " MTA-STS enforcing, that mail is not delivered at all.";
    }

    @Override
    public Scope scope() {
        return Scope.DOMAIN;
    }

    @Override
    public boolean afterCommits() {
        return true;
    }

    @Override
    public Duration cooldown() {
        return settings.cooldown();
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("alerts.tls_failures.min_sessions", String.valueOf(settings.minSessions()),
                        "failed TLS sessions in the window"),
                new Threshold("alerts.tls_failures.factor", String.valueOf(settings.factor()),
                        "times the baseline's failed sessions per day"));
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        List<TlsReportSummary> now = reports(c, c.window(domain));
        long failed = now.stream().mapToLong(TlsReportSummary::failedSessions).sum();
        if (failed < settings.minSessions()) {
            return Optional.empty();
        }
        List<TlsReportSummary> base = reports(c, c.baseline(domain));
        long baseFailed = base.stream().mapToLong(TlsReportSummary::failedSessions).sum();
        double expected = (double) baseFailed / c.baselineDays() * c.windowDays();
        if (failed <= settings.factor() * expected) {
            return Optional.empty();
        }
        long sessions = now.stream().mapToLong(r -> r.failedSessions() + r.successfulSessions()).sum();
        LocalDate since = now.stream().filter(r -> r.failedSessions() > 0)
                .map(r -> r.begin().atZone(java.time.ZoneOffset.UTC).toLocalDate()).min(LocalDate::compareTo)
                .orElse(c.windowStart());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window", Map.of("from", c.windowStart().toString(), "to", c.today().toString()));
        evidence.put("failed_sessions", failed);
        evidence.put("sessions", sessions);
        evidence.put("baseline_failed_per_day", Math.round(expected / c.windowDays() * 10) / 10.0);
        evidence.put("reports", now.stream().filter(r -> r.failedSessions() > 0)
                .map(r -> Map.of("organization", r.organization(), "failed", r.failedSessions())).toList());
        return Optional.of(new Condition(Words.count(failed) + " failed TLS sessions",
                "SMTP TLS reports show " + Words.count(failed) + " failed TLS sessions to " + domain
                        + "'s mail servers, against about " + Words.points(expected / c.windowDays())
                        + " a day before.",
                RuleContext.start(since.isBefore(c.windowStart()) ? c.windowStart() : since), failed,
                Words.count(failed) + " of " + Words.count(sessions) + " sessions failed",
                "Open the TLS reports for the result types (certificate-expired, sts-policy-invalid, starttls-not-supported"
                        + " ...) and the MX hosts they name; renew the certificate or fix the MTA-STS policy.",
                List.of(Links.page("TLS reports of " + domain + ", " + c.windowStart() + " to " + c.today(), "/tls", domain,
                        c.windowStart(), c.today())),
                now.stream().filter(r -> r.failedSessions() > 0).limit(10)
                        .map(r -> r.organization() + " " + r.begin() + ": " + Words.count(r.failedSessions()) + " failed, "
                                + Words.count(r.successfulSessions()) + " successful").toList(),
                evidence));
    }

    private static List<TlsReportSummary> reports(RuleContext c, ReportFilter filter) {
        return c.store().tlsReports().tlsReports(filter, Page.first(Page.MAX_LIMIT));
    }
}
