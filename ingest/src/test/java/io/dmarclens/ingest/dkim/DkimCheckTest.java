package io.dmarclens.ingest.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.ReportMetadata;
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
