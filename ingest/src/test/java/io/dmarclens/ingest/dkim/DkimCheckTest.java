package io.dmarclens.ingest.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.Authenticity.Verdict;
import io.dmarclens.testdns.LoopbackDnsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

/**
 * DKIM checks of report mails against keys served by a real DNS server on loopback, signed with the test's
 * own keys: who may vouch for a report, and what each failure is called.
 */
class DkimCheckTest {
    private static final String RCPT = "dmarc@reports.example.com";
    private static final DomainNames NAMES = new DomainNames();
    private static final ReportMetadata GOOGLE = metadata("google.com", "noreply-dmarc-support@google.com");

    private LoopbackDnsServer dns;
    private final MovableClock clock = new MovableClock(Instant.parse("2025-11-29T00:00:00Z"));
    private DkimCheck check;

    @BeforeEach
    void start() throws IOException {
        dns = new LoopbackDnsServer();
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofMillis(500));
        check = new DkimCheck(new DkimKeys(resolver, clock));
    }

    @AfterEach
    void stop() throws IOException {
        dns.close();
    }

    @Test
    void aSignatureOfTheReportersDomainOrASubdomainVerifiesTheReport() throws IOException {
        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        DkimTestKeys mail = new DkimTestKeys("mail.google.com", "s1").publish(dns);
        byte[] report = ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com", "r1", 2);

        Authenticity direct = verdict(google.sign(report), GOOGLE);
        assertEquals(Verdict.VERIFIED, direct.verdict(), direct.reason());
        assertEquals("DKIM signature of google.com", direct.reason());
        Authenticity sub = verdict(mail.sign(report), GOOGLE);
        assertEquals(Verdict.VERIFIED, sub.verdict(), sub.reason());
    }

    @Test
    void aStrangersValidSignatureDoesNotVouchForAnotherOrganisationsReport() throws IOException {
        DkimTestKeys evil = new DkimTestKeys("evil.test", "k").publish(dns);
        byte[] forged = evil.sign(ReportMails.report("attacker@evil.test", RCPT, "google.com", "forged", 2));

        MailSignatures signatures = check.check(new ByteArrayInputStream(forged));
        assertEquals(List.of("evil.test"), signatures.validDomains());
        Authenticity a = signatures.verdictFor(GOOGLE, NAMES);
        assertEquals(Verdict.UNVERIFIED, a.verdict());
        assertEquals("signed by evil.test, not by the reporter's domain google.com", a.reason());
        // The same signature does vouch for the attacker's own domain's report.
        assertEquals(Verdict.VERIFIED, signatures.verdictFor(metadata("evil.test", "dmarc@evil.test"), NAMES).verdict());
    }

    @Test
    void noSignatureABrokenOneOrAMissingKeyLeaveTheReportUnverifiedWithTheReason() throws IOException {
        byte[] report = ReportMails.report("attacker@evil.test", RCPT, "google.com", "r2", 2);
        assertEquals(Authenticity.unverified("no DKIM signature"), verdict(report, GOOGLE));

        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        byte[] tampered = new String(google.sign(report), StandardCharsets.ISO_8859_1)
                .replace("This is an aggregate report", "This is an aggregate rePort").getBytes(StandardCharsets.ISO_8859_1);
        Authenticity broken = verdict(tampered, GOOGLE);
        assertEquals(Verdict.UNVERIFIED, broken.verdict());
        assertTrue(broken.reason().startsWith("DKIM signature does not verify"), broken.reason());

        DkimTestKeys unpublished = new DkimTestKeys("google.com", "gone");
        Authenticity missing = verdict(unpublished.sign(report), GOOGLE);
        assertEquals(Verdict.UNVERIFIED, missing.verdict());
        assertTrue(missing.reason().startsWith("DKIM signature does not verify"), missing.reason());
    }

    @Test
    void aKeyIsLookedUpOncePerTtlAndAFailingResolverIsReportedAsSuch() throws IOException {
        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        byte[] signed = google.sign(ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com", "r3", 1));
        assertEquals(Verdict.VERIFIED, verdict(signed, GOOGLE).verdict());

        // From now on the name fails: a verdict within the record's TTL (300 s) comes from the cache...
        dns.servfail("20230601._domainkey.google.com");
        clock.advance(Duration.ofSeconds(299));
        assertEquals(Verdict.VERIFIED, verdict(signed, GOOGLE).verdict());
        // ...and once it expired the lookup is made again and its failure named.
        clock.advance(Duration.ofSeconds(2));
        Authenticity failed = verdict(signed, GOOGLE);
        assertEquals(Verdict.UNVERIFIED, failed.verdict());
        assertTrue(failed.reason().startsWith("DKIM key could not be fetched"), failed.reason());
    }

    @Test
    void offlineMailsAreNotCheckedAndAReportNamingNoDomainCannotBeVerified() throws IOException {
        byte[] report = ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com", "r4", 1);
        Authenticity offline = DkimCheck.offline().check(new ByteArrayInputStream(report)).verdictFor(GOOGLE, NAMES);
        assertEquals(Authenticity.notChecked("offline"), offline);
        assertEquals("not checked (offline)", offline.reason());

        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        Authenticity nameless = check.check(new ByteArrayInputStream(google.sign(report)))
                .verdictFor(metadata("Some Reporter", ""), NAMES);
        assertEquals(Verdict.UNVERIFIED, nameless.verdict());
    }

    @Test
    void aMailWithManySignaturesOrASilentNameServerCostsBoundedWork() throws IOException {
        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        byte[] mail = ReportMails.report("noreply-dmarc-support@google.com", RCPT, "google.com", "r5", 1);
        for (int i = 0; i <= DkimCheck.MAX_SIGNATURES; i++) {
            mail = google.sign(mail);
        }
        assertEquals(Authenticity.unverified("more than 5 DKIM signatures (6): not checked"), verdict(mail, GOOGLE));

        // A key whose name server never answers: one lookup waits for the timeout (500 ms here), the next
        // mails naming it within a minute get the cached failure at once.
        DkimTestKeys silent = new DkimTestKeys("silent.test", "s");
        dns.silent("s._domainkey.silent.test");
        byte[] stalled = silent.sign(ReportMails.report("dmarc@silent.test", RCPT, "silent.test", "r6", 1));
        ReportMetadata reporter = metadata("silent.test", "dmarc@silent.test");
        Authenticity first = verdict(stalled, reporter);
        assertEquals(Verdict.UNVERIFIED, first.verdict());
        assertTrue(first.reason().startsWith("DKIM key could not be fetched"), first.reason());
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertEquals(first, verdict(stalled, reporter));
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        // Without the cache that would be 20 timeouts (10 s); the bound leaves room for a loaded machine.
        assertTrue(millis < 3000, "20 mails naming the silent key took " + millis + " ms");
    }

    @Test
    void theFromDomainIsTheOneAddressOfTheOneFromFieldOrNone() {
        assertEquals("yahoo.com", DkimCheck.fromDomain("To: a@example.com\r\nFrom: \"DMARC, reports\"\r\n"
                + " <dmarc-ruf@Yahoo.COM>\r\nSubject: x"));
        assertEquals("box.example.org", DkimCheck.fromDomain("from:opendmarc@box.example.org"));
        // Two From fields (a signature covers one; readers show either) or two addresses: nobody to align with.
        assertEquals(null, DkimCheck.fromDomain("From: a@yahoo.com\r\nFrom: b@evil.test"));
        assertEquals(null, DkimCheck.fromDomain("From: a@yahoo.com, b@evil.test"));
        assertEquals(null, DkimCheck.fromDomain("Subject: no sender"));
    }

    @Test
    void aFailureReportIsVerifiedBySignaturesOfItsSenderAndItsReportingMtaMustBeOfTheSameOrganisation()
            throws Exception {
        DkimTestKeys yahoo = new DkimTestKeys("yahoo.com", "s1").publish(dns);
        DkimTestKeys evil = new DkimTestKeys("evil.test", "k").publish(dns);
        byte[] genuine = yahoo.sign(ReportMails.failure("dmarc-ruf@yahoo.com", RCPT, "mta1.mail.yahoo.com", "192.0.2.1"));
        assertEquals(Authenticity.verified("DKIM signature of yahoo.com"), failureVerdict(genuine));
        // The attacker signs their own mail, and the report claims Yahoo's mail server.
        byte[] claimsYahoo = evil.sign(ReportMails.failure("attacker@evil.test", RCPT, "mta1.mail.yahoo.com", "192.0.2.2"));
        assertEquals(Authenticity.unverified("signed by evil.test, but the report names Reporting-MTA"
                + " mta1.mail.yahoo.com of another domain"), failureVerdict(claimsYahoo));
        // A From of Yahoo signed by the attacker's domain.
        byte[] fromYahoo = evil.sign(ReportMails.failure("dmarc-ruf@yahoo.com", RCPT, null, "192.0.2.3"));
        assertEquals(Authenticity.unverified("signed by evil.test, not by the sender's domain yahoo.com"),
                failureVerdict(fromYahoo));
        // The attacker's own report about their own server is theirs: verified as coming from evil.test.
        byte[] own = evil.sign(ReportMails.failure("attacker@evil.test", RCPT, "mx.evil.test", "192.0.2.4"));
        assertEquals(Authenticity.verified("DKIM signature of evil.test"), failureVerdict(own));
    }

    @Test
    void aTlsReportIsVerifiedBySignaturesOfTheDomainItNamesWhateverTheMailsSender() throws Exception {
        DkimTestKeys google = new DkimTestKeys("google.com", "20230601").publish(dns);
        DkimTestKeys evil = new DkimTestKeys("evil.test", "k").publish(dns);
        // contact-info as an address, a mailto: URI or an https: URI all name the reporter's domain.
        Map<String, String> named = Map.of("smtp-tls-reporting@google.com", "google.com", "mailto:tls@google.com",
                "google.com", "https://support.google.com/a/answer/9276511", "support.google.com");
        for (Map.Entry<String, String> contact : named.entrySet()) {
            byte[] mail = google.sign(ReportMails.tls("noreply@google.com", RCPT, "Google Inc.", contact.getKey(), "r",
                    "198.51.100.1"));
            assertEquals(Authenticity.verified("DKIM signature of google.com"), tlsVerdict(mail), contact.getKey());
            byte[] forged = evil.sign(ReportMails.tls("noreply@google.com", RCPT, "Google Inc.", contact.getKey(), "r",
                    "198.51.100.1"));
            assertEquals(Authenticity.unverified("signed by evil.test, not by the reporter's domain " + contact.getValue()),
                    tlsVerdict(forged), contact.getKey());
        }
        // A report naming no domain: the mail's sender is the only one to align with.
        byte[] noDomain = evil.sign(ReportMails.tls("attacker@evil.test", RCPT, "Some Org", null, "r", "198.51.100.1"));
        assertEquals(Authenticity.verified("DKIM signature of evil.test"), tlsVerdict(noDomain));
        assertEquals(Authenticity.unverified("signed by evil.test, not by the sender's domain google.com"), tlsVerdict(
                evil.sign(ReportMails.tls("noreply@google.com", RCPT, "Some Org", null, "r", "198.51.100.1"))));
    }

    private Authenticity failureVerdict(byte[] mail) throws Exception {
        ParsedReports parsed = ParsedReports.of(mail);
        return check.check(new ByteArrayInputStream(mail)).verdictFor(parsed.failure, NAMES);
    }

    private Authenticity tlsVerdict(byte[] mail) throws Exception {
        ParsedReports parsed = ParsedReports.of(mail);
        return check.check(new ByteArrayInputStream(mail)).verdictFor(parsed.tls, NAMES);
    }

    /** The failure or TLS report the parser reads from a mail. */
    private static final class ParsedReports implements ReportHandler {
        FailureReport failure;
        TlsReport tls;

        static ParsedReports of(byte[] mail) throws Exception {
            ParsedReports out = new ParsedReports();
            new ReportParser().parse(ReportSource.of("mail.eml"), new ByteArrayInputStream(mail), out);
            assertTrue(out.failure != null || out.tls != null, "no failure or TLS report in the mail");
            return out;
        }

        @Override
        public void beginAggregate(AggregateHeader header) {
        }

        @Override
        public void record(AggregateRecord record) {
        }

        @Override
        public void endAggregate(List<ParseWarning> warnings) {
        }

        @Override
        public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        }

        @Override
        public void failure(FailureReport report) {
            failure = report;
        }

        @Override
        public void tls(TlsReport report) {
            tls = report;
        }
    }

    private Authenticity verdict(byte[] mail, ReportMetadata metadata) throws IOException {
        return check.check(new ByteArrayInputStream(mail)).verdictFor(metadata, NAMES);
    }

    private static ReportMetadata metadata(String org, String email) {
        return new ReportMetadata(org, email, null, "id", null, List.of(), null);
    }

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
