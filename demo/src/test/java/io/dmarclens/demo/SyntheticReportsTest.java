package io.dmarclens.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.aggregate.DmarcResult;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The mails the SMTP, IMAP and end-to-end tests and bench smtp send are reports our parser reads in full. */
class SyntheticReportsTest {

    @Test
    void aMailCarriesTheZippedReportWithEveryRecord() throws Exception {
        MimeMessage mail = SyntheticReports.aggregateMail(SyntheticReports.session(new Properties()),
                "dmarc@example.com", "bench-1-7", 50);
        assertEquals("dmarc@example.com", mail.getAllRecipients()[0].toString());
        byte[] raw = SyntheticReports.bytes(mail);
        List<Report> reports = new ReportParser().parseAll("mail.eml", raw);
        assertEquals(1, reports.size());
        AggregateReport report = (AggregateReport) reports.get(0);
        assertTrue(report.warnings().isEmpty(), report.warnings().toString());
        assertEquals("bench-1-7", report.metadata().reportId());
        assertEquals("reporter.example", report.metadata().orgName());
        assertEquals(50, report.records().size());
        assertEquals(50 * 51 / 2, report.messageCount(), "record i has 1 + i messages");
        AggregateRecord last = report.records().get(49);
        assertEquals("192.0.2.50", last.sourceIp());
        assertEquals(DmarcResult.PASS, last.dkim());
        assertEquals(DmarcResult.FAIL, last.spf());
        assertEquals("s49", last.dkimResults().get(0).selector());
    }

    @Test
    void theSameReportIdGivesTheSameBytes() throws Exception {
        var session = SyntheticReports.session(new Properties());
        assertEquals(new String(SyntheticReports.bytes(SyntheticReports.aggregateMail(session, "a@example.com", "x", 3))),
                new String(SyntheticReports.bytes(SyntheticReports.aggregateMail(session, "a@example.com", "x", 3))));
    }
}
