package io.dmarclens.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.testdns.LoopbackDnsServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Posture checks against a real DNS server on loopback serving valid and broken zones. */
class PostureCheckerTest {
    private static LoopbackDnsServer dns;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestZones.start();
    }

    @AfterAll
    static void stopDns() throws Exception {
        dns.close();
    }

    private static PostureReport check(String domain, String... selectors) {
        return check(domain, PostureData.NONE, selectors);
    }

    private static PostureReport check(String domain, PostureData data, String... selectors) {
        DnsClient client = new DnsClient(dns.address(), Duration.ofMillis(700));
        return new PostureChecker(client, data, CLOCK).check(domain, List.of(selectors));
    }

    private static Finding only(PostureReport report, String code) {
        List<Finding> found = report.findings().stream().filter(f -> f.code().equals(code)).toList();
        assertEquals(1, found.size(), () -> "expected one " + code + " in " + report.findings());
        return found.get(0);
    }

    private static void absent(PostureReport report, String code) {
        assertTrue(report.findings().stream().noneMatch(f -> f.code().equals(code)),
                () -> "did not expect " + code + " in " + report.findings());
    }

    @Test
    void wellRunDomainHasNoErrorsAndEveryTagExplained() {
        PostureReport report = check("good.example", "s2048", "s1024", "ed", "old", "test");
        assertFalse(report.hasErrors(), () -> report.findings().toString());
        DmarcRecord record = report.dmarc().record();
        assertEquals("reject", record.value("p"));
        assertEquals("reject", record.value("sp"), "sp defaults to p");
        assertEquals("reject", record.value("np"), "np defaults to sp");
        assertEquals("s", record.value("adkim"));
        assertEquals("r", record.value("aspf"));
        assertEquals(14, record.tags().size());
        assertTrue(record.tags().stream().allMatch(t -> !t.meaning().isBlank()));
        assertEquals(Finding.Severity.OK, only(report, "dmarc.valid").severity());
        assertEquals("psl", report.dmarc().psl().method());
        assertEquals("good.example", report.dmarc().psl().foundAt());
        assertEquals("good.example", report.dmarc().treeWalk().foundAt());
        // The external rua is authorised, the internal one needs no check.
        assertEquals(1, report.dmarc().destinations().size());
        ReportAuthorization external = report.dmarc().destinations().get(0);
        assertTrue(external.authorized());
        assertEquals("good.example._report._dmarc.reports.example.net", external.queryName());
        // SPF: include followed, 1 lookup, the root's -all.
        assertEquals(1, report.spf().root().totalLookups());
        assertEquals("include:_spf.mail.example.org", report.spf().root().children().get(0).via());
        assertEquals("v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 ~all", report.spf().root().children().get(0).record());
        // DKIM keys: sizes and types read from the key material.
        DkimKey k2048 = key(report, "s2048");
        assertEquals("rsa", k2048.keyType());
        assertEquals(2048, k2048.keyBits());
        assertEquals(1024, key(report, "s1024").keyBits());
        assertEquals(Finding.Severity.WARNING, only(report, "dkim.short-key").severity());
        assertEquals("ed25519", key(report, "ed").keyType());
        assertEquals(256, key(report, "ed").keyBits());
        assertTrue(key(report, "old").revoked());
        assertEquals(Finding.Severity.INFO, only(report, "dkim.revoked").severity());
        assertTrue(key(report, "test").testing());
        only(report, "dkim.testing");
        assertEquals(List.of("10 mx.good.example"), report.mail().mx());
        assertNotNull(report.mail().tlsRpt());
        assertNotNull(report.mail().mtaSts());
    }

    private static DkimKey key(PostureReport report, String selector) {
        return report.dkim().stream().filter(k -> k.selector().equals(selector)).findFirst().orElseThrow();
    }

    @Test
    void missingRecordIsAnError() {
        PostureReport report = check("nothing.example");
        assertEquals(Finding.Severity.ERROR, only(report, "dmarc.missing").severity());
        assertNull(report.dmarc().record());
        assertEquals(Finding.Severity.WARNING, only(report, "spf.missing").severity());
        assertEquals(Finding.Severity.INFO, only(report, "tlsrpt.missing").severity());
        assertEquals(Finding.Severity.INFO, only(report, "mx.none").severity());
    }

    @Test
    void severalRecordsAreAnError() {
        assertTrue(only(check("multi.example"), "dmarc.multiple").message().contains("2 DMARC records"));
    }

    @Test
    void twoRecordsAreEachCheckedAndNeitherIsCalledValid() {
        PostureData data = new FixedData(Set.of(), List.of(
                new PostureData.SourceVolume("192.0.2.10", "Google", "compliant", "DMARC pass", 5_000, 5_000, 5_000, 5_000),
                new PostureData.SourceVolume("203.0.113.66", null, "threat", "unknown source fails both", 50, 0, 0, 0)));
        PostureReport report = check("twodmarc.example", data);
        PostureReport.Dmarc dmarc = report.dmarc();
        assertEquals(List.of("v=DMARC1; p=reject; rua=mailto:reports@reports.example.net",
                        "v=DMARC1; p=none; rua=mailto:d@collector.example.org; ruf=mailto:f@twodmarc.example"),
                dmarc.records().stream().map(DmarcRecord::raw).toList(), "both records, in DNS order");
        assertTrue(dmarc.conflicting());
        assertNull(dmarc.record(), "receivers apply neither");
        assertEquals("reject", dmarc.records().get(0).value("p"));
        assertEquals("none", dmarc.records().get(1).value("p"));
        assertEquals("_dmarc.twodmarc.example has 2 DMARC records: receivers apply none of them (no policy, no reports); "
                + "keep exactly one", only(report, "dmarc.multiple").message());
        absent(report, "dmarc.valid");
        // each record's external rua is checked against its own collector
        assertEquals(List.of(1, 2), dmarc.destinations().stream().map(ReportAuthorization::record).toList());
        ReportAuthorization first = dmarc.destinations().get(0);
        assertTrue(first.authorized());
        assertEquals("twodmarc.example._report._dmarc.reports.example.net", first.queryName());
        ReportAuthorization second = dmarc.destinations().get(1);
        assertFalse(second.authorized());
        assertEquals("twodmarc.example._report._dmarc.collector.example.org", second.queryName());
        Finding unauthorized = only(report, "dmarc.external-unauthorized");
        assertEquals(Finding.Severity.ERROR, unauthorized.severity());
        assertEquals("record 2: rua d@collector.example.org is outside twodmarc.example and collector.example.org has not "
                + "authorised it: publish TXT \"v=DMARC1\" at twodmarc.example._report._dmarc.collector.example.org, "
                + "or receivers will not send these reports", unauthorized.message());
        assertEquals("record 1: rua reports@reports.example.net is authorised by "
                + "twodmarc.example._report._dmarc.reports.example.net", only(report, "dmarc.external-authorized").message());
        assertEquals("record 2: p=none: monitoring only, failing mail is delivered as usual",
                only(report, "dmarc.monitoring").message(), "a record's own findings say which record");
        // readiness: no usable policy, whatever the stored mail says; nothing to publish but one record less
        Readiness r = report.readiness();
        assertNull(r.currentPolicy());
        assertNull(r.recordToPublish());
        assertEquals("Keep exactly one DMARC record: with 2 published, receivers apply none of them", r.nextStep());
        assertEquals(5_050, r.messages());
        assertEquals(Finding.Severity.ERROR, only(report, "readiness.no-usable-policy").severity());
        absent(report, "readiness.ready");
    }

    @Test
    void versionMustComeFirst() {
        // Not found as a DMARC record at all, since it does not start with v=DMARC1.
        PostureReport report = check("order.example");
        only(report, "dmarc.missing");
        DmarcRecord parsed = new DmarcRecordParser().parse("p=none; v=DMARC1");
        assertTrue(parsed.findings().stream().anyMatch(f -> f.code().equals("dmarc.version-not-first")));
    }

    @Test
    void unknownPolicyWord() {
        Finding f = only(check("word.example"), "dmarc.bad-policy");
        assertEquals(Finding.Severity.ERROR, f.severity());
        assertTrue(f.message().contains("p=block"));
    }

    @Test
    void sloppyRecordGetsEachWarning() {
        PostureReport report = check("sloppy.example");
        assertEquals(Finding.Severity.WARNING, only(report, "dmarc.pct").severity());
        assertTrue(only(report, "dmarc.size-suffix").message().contains("!10m"));
        assertTrue(only(report, "dmarc.unsupported-uri").message().contains("https:"));
        assertTrue(only(report, "dmarc.bad-uri").message().contains("not-an-address"));
        assertEquals(2, report.dmarc().record().rua().size(), "mailto and https kept, https flagged as unsupported");
    }

    @Test
    void noneWithoutRua() {
        assertEquals(Finding.Severity.WARNING, only(check("lonely.example"), "dmarc.none-without-rua").severity());
    }

    @Test
    void externalDestinationWithoutAuthorisation() {
        PostureReport report = check("unauth.example");
        ReportAuthorization auth = report.dmarc().destinations().get(0);
        assertFalse(auth.authorized());
        assertEquals("unauth.example._report._dmarc.reports.example.net", auth.queryName());
        assertEquals(Finding.Severity.ERROR, only(report, "dmarc.external-unauthorized").severity());
    }

    @Test
    void subdomainInheritsTheOrganisationalRecord() {
        PostureReport report = check("www.inherit.example");
        assertEquals("inherit.example", report.dmarc().psl().foundAt());
        assertEquals(List.of("_dmarc.www.inherit.example", "_dmarc.inherit.example"), report.dmarc().psl().queried());
        assertEquals(List.of("_dmarc.www.inherit.example", "_dmarc.inherit.example"), report.dmarc().treeWalk().queried());
        only(report, "dmarc.inherited");
    }

    @Test
    void treeWalkJumpsToSevenLabelsAndStopsAtTheTop() {
        DmarcDiscovery discovery = new DmarcDiscovery(new DnsClient(dns.address(), Duration.ofMillis(700)), new io.dmarclens.parser.DomainNames());
        DmarcDiscovery.Result walk = discovery.treeWalk("a.b.c.d.e.f.g.h.i.j.nothing.example");
        assertEquals(8, walk.queried().size());
        assertEquals("_dmarc.f.g.h.i.j.nothing.example", walk.queried().get(1), "jumps to the 7 right-most labels");
        assertEquals("_dmarc.g.h.i.j.nothing.example", walk.queried().get(2));
        assertEquals("_dmarc.example", walk.queried().get(7));
        assertFalse(walk.found());
    }

    @Test
    void spfOverTenLookupsThroughIncludes() {
        PostureReport report = check("toomany.example");
        SpfNode root = report.spf().root();
        // 3 includes at the root; a: 3, b: 2, c: 1 include + mx + a = 3 -> 3 + 3 + 2 + 3 = 11
        assertEquals(3, root.lookups());
        assertEquals(11, root.totalLookups());
        assertEquals(3, root.children().size());
        assertEquals(3, root.children().get(2).totalLookups());
        Finding f = only(report, "spf.too-many-lookups");
        assertEquals(Finding.Severity.ERROR, f.severity());
        assertTrue(f.message().contains("11 DNS lookups"));
    }

    @Test
    void spfVoidLookups() {
        PostureReport report = check("voids.example");
        assertEquals(3, report.spf().root().voidLookups());
        assertEquals(Finding.Severity.ERROR, only(report, "spf.void-lookups").severity());
    }

    @Test
    void spfPtrAndPlusAll() {
        PostureReport report = check("open.example");
        assertEquals(Finding.Severity.WARNING, only(report, "spf.ptr").severity());
        assertEquals(Finding.Severity.ERROR, only(report, "spf.plus-all").severity());
    }

    @Test
    void spfSeveralRecordsAndSyntaxErrors() {
        assertEquals(Finding.Severity.ERROR, only(check("twice.example"), "spf.multiple").severity());
        PostureReport typo = check("typo.example");
        List<Finding> syntax = typo.findings().stream().filter(f -> f.code().equals("spf.syntax")).toList();
        assertEquals(2, syntax.size(), syntax::toString);
        assertTrue(syntax.stream().anyMatch(f -> f.message().contains("ip4:300.1.1.1")));
        assertTrue(syntax.stream().anyMatch(f -> f.message().contains("foo:bar")));
        assertEquals(Finding.Severity.ERROR, only(typo, "spf.include-missing").severity());
    }

    @Test
    void dnsTimeoutAndServerFailureAreReportedAsSuch() {
        Finding timeout = only(check("slow.example"), "dmarc.dns");
        assertTrue(timeout.message().startsWith("timeout asking for _dmarc.slow.example"), timeout.message());
        absent(check("slow.example"), "dmarc.missing");
        Finding servfail = only(check("broken-server.example"), "dmarc.dns");
        assertTrue(servfail.message().contains("SERVFAIL"), servfail.message());
    }

    @Test
    void selectorsSeenInReportsAreChecked() {
        PostureData data = new FixedData(Set.of("s2048", "gone"), List.of());
        PostureReport report = check("good.example", data);
        assertEquals(2, report.dkim().size());
        DkimKey gone = key(report, "gone");
        assertTrue(gone.seenInReports());
        assertNull(gone.record());
        assertEquals(Finding.Severity.WARNING, only(report, "dkim.missing").severity());
    }

    @Test
    void readinessRecommendsFixingAMisconfiguredServiceFirst() {
        PostureData data = new FixedData(Set.of(), List.of(
                new PostureData.SourceVolume("192.0.2.10", "Google", "compliant", "DMARC pass", 9_000, 9_000, 9_000, 8_000),
                new PostureData.SourceVolume("198.51.100.7", "SendGrid", "misconfigured", "known service fails DKIM", 600, 0, 0, 0),
                new PostureData.SourceVolume("203.0.113.66", null, "threat", "unknown source fails both", 400, 0, 0, 0)));
        PostureReport report = check("sloppy.example", data);
        Readiness r = report.readiness();
        assertEquals(10_000, r.messages());
        assertEquals(0.9, r.compliantShare(), 1e-9);
        assertEquals("Fix SendGrid DKIM (sign with d=sloppy.example) before p=reject", r.nextStep());
        assertEquals(List.of("198.51.100.7", "203.0.113.66"), r.atRisk().stream().map(PostureData.SourceVolume::sourceIp).toList());
        assertNull(r.recordToPublish());
        only(report, "readiness.fix-first");
        only(report, "readiness.threats");
    }

    @Test
    void readinessRecommendsTheNextPolicyWithTheRecord() {
        PostureData data = new FixedData(Set.of(), List.of(
                new PostureData.SourceVolume("192.0.2.10", "Google", "compliant", "DMARC pass", 5_000, 5_000, 5_000, 5_000),
                new PostureData.SourceVolume("203.0.113.66", null, "threat", "unknown source fails both", 50, 0, 0, 0)));
        Readiness r = check("lonely.example", data).readiness();
        assertEquals("Move to p=quarantine", r.nextStep());
        assertEquals("v=DMARC1; p=quarantine", r.recordToPublish());
        Readiness noData = check("unauth.example", new FixedData(Set.of(), List.of())).readiness();
        assertTrue(noData.nextStep().startsWith("No aggregate reports"));
    }

    private record FixedData(Set<String> selectors, List<SourceVolume> volumes) implements PostureData {
        @Override
        public Set<String> dkimSelectors(String domain, LocalDate from, LocalDate to) {
            return selectors;
        }

        @Override
        public List<SourceVolume> sources(String domain, LocalDate from, LocalDate to) {
            return volumes;
        }
    }
}
