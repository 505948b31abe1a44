package io.dmarclens.demo;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo data is parsed by the real parser and must tell the story the generator promises: three
 * domains every day, example.com moving to quarantine, the spoofing week, the forwarder and the mailing
 * list, failure and TLS reports.
 */
class DemoDataGeneratorTest {
    private static final LocalDate END = LocalDate.of(2026, 11, 28);
    private static final int DAYS = 90;
    private static List<GeneratedReport> files;
    private static List<Report> reports;

    @BeforeAll
    static void generateAndParse() throws Exception {
        files = new DemoDataGenerator().generate(END, DAYS, 42);
        reports = new ArrayList<>();
        ReportParser parser = new ReportParser();
        for (GeneratedReport f : files) {
            List<Report> parsed = parser.parseAll(f.fileName(), f.content());
            assertFalse(parsed.isEmpty(), f.fileName());
            // The demo shows clean data: a warning here means the generator wrote something odd.
            parsed.forEach(r -> assertTrue(r.warnings().isEmpty(), () -> f.fileName() + ": " + r.warnings()));
            reports.addAll(parsed);
        }
    }

    /** Same seed, same bytes; and a day's files do not depend on how many days are generated. */
    @Test
    void deterministicFromTheSeed() {
        List<GeneratedReport> lastWeek = new DemoDataGenerator().generate(END, 7, 42);
        Map<String, byte[]> full = files.stream().collect(Collectors.toMap(GeneratedReport::fileName,
                GeneratedReport::content));
        assertTrue(lastWeek.size() > 7 * 10);
        for (GeneratedReport f : lastWeek) {
            assertArrayEquals(full.get(f.fileName()), f.content(), f.fileName());
        }
        List<GeneratedReport> otherSeed = new DemoDataGenerator().generate(END, 7, 43);
        assertFalse(java.util.Arrays.equals(lastWeek.get(0).content(), otherSeed.get(0).content()));
    }

    @Test
    void fileNamesAreUnique() {
        Set<String> names = new HashSet<>();
        files.forEach(f -> assertTrue(names.add(f.fileName()), "duplicate " + f.fileName()));
        assertThrows(IllegalArgumentException.class, () -> new DemoDataGenerator().generate(END, 0, 1));
    }

    @Test
    void everyDomainIsReportedEveryDayByGoogleAndMicrosoft() {
        for (String domain : List.of("example.com", "example.org", "example.net")) {
            for (String org : List.of("google.com", "Enterprise Outlook")) {
                Set<Long> days = aggregates().filter(r -> r.policy().domain().equals(domain))
                        .filter(r -> r.metadata().orgName().equals(org))
                        .map(r -> r.metadata().dateRange().begin() / 86400).collect(Collectors.toSet());
                assertEquals(DAYS, days.size(), domain + " by " + org);
            }
        }
        Set<String> reporters = aggregates().map(r -> r.metadata().orgName()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("google.com", "Enterprise Outlook", "Yahoo", "comcast.net", "Mail.Ru",
                "Fastmail Pty Ltd", "GMX")), reporters);
    }

    @Test
    void yahooHasAThreeDayGap() {
        long first = END.minusDays(15).toEpochDay();
        Set<Long> yahooDays = aggregates().filter(r -> r.metadata().orgName().equals("Yahoo"))
                .map(r -> r.metadata().dateRange().begin() / 86400).collect(Collectors.toSet());
        assertEquals(DAYS - 3, yahooDays.size());
        assertFalse(yahooDays.contains(first) || yahooDays.contains(first + 1) || yahooDays.contains(first + 2));
        assertTrue(yahooDays.contains(first - 1) && yahooDays.contains(first + 3));
    }

    @Test
    void exampleComMovesFromNoneToQuarantine() {
        long switchDay = END.minusDays(40).toEpochDay();
        Map<Long, Set<Disposition>> policyByDay = new TreeMap<>();
        aggregates().filter(r -> r.policy().domain().equals("example.com")).forEach(r -> policyByDay
                .computeIfAbsent(r.metadata().dateRange().begin() / 86400, d -> new HashSet<>()).add(r.policy().p()));
        policyByDay.forEach((day, policies) -> assertEquals(
                Set.of(day < switchDay ? Disposition.NONE : Disposition.QUARANTINE), policies, "day " + day));
        assertTrue(aggregates().allMatch(r -> !r.policy().domain().equals("example.org")
                || r.policy().p() == Disposition.REJECT));
    }

    @Test
    void misconfiguredSendGridIsQuarantinedOnceExampleComEnforces() {
        long switchDay = END.minusDays(40).toEpochDay();
        List<AggregateRecord> sendgrid = new ArrayList<>();
        List<AggregateRecord> after = new ArrayList<>();
        aggregates().filter(r -> r.policy().domain().equals("example.com")).forEach(r -> r.records().stream()
                .filter(x -> x.sourceIp().equals("198.51.100.63") || x.sourceIp().equals("198.51.100.64"))
                .forEach(x -> (r.metadata().dateRange().begin() / 86400 >= switchDay ? after : sendgrid).add(x)));
        assertFalse(sendgrid.isEmpty());
        assertTrue(sendgrid.stream().allMatch(x -> x.disposition() == Disposition.NONE
                && x.spfResults().get(0).result() == io.dmarclens.parser.aggregate.AuthResult.PASS
                && x.spf() == io.dmarclens.parser.aggregate.DmarcResult.FAIL
                && x.dkim() == io.dmarclens.parser.aggregate.DmarcResult.FAIL));
        assertTrue(after.stream().allMatch(x -> x.disposition() == Disposition.QUARANTINE));
    }

    @Test
    void theSpoofingWeekIsThereAndOnlyThere() {
        long first = END.minusDays(30).toEpochDay();
        Map<Long, Long> spoofed = new TreeMap<>();
        aggregates().filter(r -> r.policy().domain().equals("example.com")).forEach(r -> {
            long n = r.records().stream().filter(x -> DemoWorld.CAMPAIGN_IPS.contains(x.sourceIp()))
                    .mapToLong(AggregateRecord::count).sum();
            if (n > 0) {
                spoofed.merge(r.metadata().dateRange().begin() / 86400, n, Long::sum);
            }
        });
        assertEquals(List.of(first, first + 1, first + 2, first + 3, first + 4, first + 5, first + 6),
                new ArrayList<>(spoofed.keySet()));
        assertTrue(spoofed.values().stream().allMatch(n -> n > 500), spoofed.toString());
        List<FailureReport> campaignRuf = reports.stream().filter(FailureReport.class::isInstance)
                .map(FailureReport.class::cast).filter(f -> DemoWorld.CAMPAIGN_IPS.contains(f.sourceIp())).toList();
        assertTrue(campaignRuf.size() >= 7 * 3, "failure reports for the campaign: " + campaignRuf.size());
        assertTrue(campaignRuf.stream().allMatch(f -> f.reportedDomain().equals(List.of("example.com"))
                && f.authFailure().equals(List.of("dmarc")) && f.original() != null
                && f.original().headersOnly()));
    }

    @Test
    void forwarderAndMailingListCarryTheirOverrideReasons() {
        Set<PolicyOverride> reasons = aggregates().flatMap(r -> r.records().stream())
                .flatMap(x -> x.reasons().stream()).map(x -> x.type()).collect(Collectors.toSet());
        assertEquals(Set.of(PolicyOverride.FORWARDED, PolicyOverride.MAILING_LIST), reasons);
        assertTrue(aggregates().flatMap(r -> r.records().stream())
                .filter(x -> x.sourceIp().equals("203.0.113.23"))
                .anyMatch(x -> x.dkim() == io.dmarclens.parser.aggregate.DmarcResult.PASS
                        && x.spf() == io.dmarclens.parser.aggregate.DmarcResult.FAIL), "DKIM survives forwarding");
    }

    @Test
    void tlsReportsShowTheExpiredCertificate() {
        List<TlsReport> tls = reports.stream().filter(TlsReport.class::isInstance).map(TlsReport.class::cast).toList();
        assertEquals(DAYS * 2 * 2, tls.size(), "Google and Microsoft, example.com and example.org, daily");
        long expired = tls.stream().flatMap(t -> t.policies().stream())
                .flatMap(p -> p.failureDetails().stream())
                .filter(d -> d.resultType().equals("certificate-expired"))
                .mapToLong(d -> d.failedSessionCount()).sum();
        assertTrue(expired > 100, "certificate-expired sessions: " + expired);
        assertTrue(tls.stream().flatMap(t -> t.policies().stream()).mapToLong(TlsPolicyResult::totalSuccessfulSessionCount)
                .sum() > 100_000);
    }

    @Test
    void writesIntoADirectory(@TempDir Path dir) throws Exception {
        int n = new DemoDataGenerator().writeTo(dir.resolve("demo"), END, 3, 7);
        try (var listing = Files.list(dir.resolve("demo"))) {
            assertEquals(n, listing.count());
        }
        assertAll(() -> assertTrue(n > 20), () -> assertTrue(Files.size(dir.resolve("demo").resolve(
                new DemoDataGenerator().generate(END, 3, 7).get(0).fileName())) > 0));
    }

    private static java.util.stream.Stream<AggregateReport> aggregates() {
        return reports.stream().filter(AggregateReport.class::isInstance).map(AggregateReport.class::cast);
    }
}
