package io.dmarclens.parser.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FailureReportParserTest {
    private static final ReportSource SOURCE = ReportSource.of("test.eml");
    private final FailureReportParser parser = new FailureReportParser(ParserLimits.DEFAULT);

    static final String FULL_FEEDBACK = """
            Feedback-Type: auth-failure
            User-Agent: ExampleDMARC/2.1
            Version: 1
            Original-Mail-From: <bounce@mail.example.com>
            Original-Rcpt-To: <alice@example.net>
            Original-Rcpt-To: <bob@example.net>
            Arrival-Date: Sun, 8 Nov 2026 14:00:00 EDT
            Reporting-MTA: dns; mx1.example.net
            Source-IP: 192.0.2.17 (unknown.example.org)
            Incidents: 3
            Authentication-Results: mx1.example.net; dmarc=fail (p=reject)
                header.from=example.com
            Authentication-Results: mx1.example.net; spf=fail smtp.mailfrom=mail.example.com
            Auth-Failure: dmarc
            Identity-Alignment: dkim, spf
            Delivery-Result: Reject
            DKIM-Domain: example.com
            DKIM-Selector: s2026
            DKIM-Identity: @example.com
            SPF-DNS: txt : mail.example.com : "v=spf1 -all"
            Reported-Domain: example.com
            Reported-Domain: mail.example.com
            X-Reporter-Note: second pass
            """;

    static final String SAMPLE = """
            Received: from relay.example.org (relay.example.org [192.0.2.17])
            \tby mx1.example.net with ESMTP id 4711; Sun, 8 Nov 2026 14:00:00 -0400
            DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;
            \ts=s2026; h=From:To:Subject:Date; bh=AAAA; b=BBBB
            DKIM-Signature: v=1; a=ed25519-sha256; d=esp.example.org; s=ed;
            \th=From; bh=CCCC; b=DDDD
            Authentication-Results: mx1.example.net; dkim=fail header.d=example.com
            From: "Example Billing" <billing@example.com>
            To: alice@example.net
            Subject: =?UTF-8?B?WW91ciBpbnZvaWNlIOKCrCAxMg==?=
            Date: Sun, 8 Nov 2026 13:59:58 -0400
            Message-ID: <invoice-12@example.com>
            MIME-Version: 1.0
            Content-Type: text/plain

            Please pay 12 EUR.
            """;

    static byte[] arf(String contentType, String feedbackHeaders, String feedback, String sampleType, String sample) {
        StringBuilder m = new StringBuilder();
        m.append("From: dmarc-reports@example.net\nTo: ruf@example.com\nSubject: Report\n");
        m.append("Date: Sun, 8 Nov 2026 15:00:00 +0000\nMIME-Version: 1.0\n");
        m.append("Content-Type: ").append(contentType).append("; boundary=\"b1\"\n\n");
        m.append("--b1\nContent-Type: text/plain; charset=us-ascii\n\n");
        m.append("This is an authentication failure report for a message received from IP 192.0.2.17.\n\n");
        if (feedback != null) {
            m.append("--b1\n").append(feedbackHeaders).append("\n\n").append(feedback).append("\n");
        }
        if (sample != null) {
            m.append("--b1\nContent-Type: ").append(sampleType).append("\n\n").append(sample).append("\n");
        }
        m.append("--b1--\n");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] arf(String feedback, String sampleType, String sample) {
        return arf("multipart/report; report-type=feedback-report", "Content-Type: message/feedback-report",
                feedback, sampleType, sample);
    }

    private static boolean hasWarning(FailureReport r, String location, String words) {
        return r.warnings().stream().anyMatch(w -> w.location().equals(location) && w.message().contains(words));
    }

    @Test
    void readsEveryFieldOfAFullMessageReport() throws Exception {
        FailureReport r = parser.parseArf(SOURCE, arf(FULL_FEEDBACK, "message/rfc822", SAMPLE));
        assertEquals("arf", r.format());
        assertEquals("auth-failure", r.feedbackType());
        assertEquals("ExampleDMARC/2.1", r.userAgent());
        assertEquals("1", r.version());
        assertEquals(Instant.parse("2026-11-08T18:00:00Z"), r.arrivalDate());
        assertEquals("192.0.2.17", r.sourceIp());
        assertEquals("mx1.example.net", r.reportingMta());
        assertEquals("<bounce@mail.example.com>", r.originalMailFrom());
        assertEquals(List.of("<alice@example.net>", "<bob@example.net>"), r.originalRcptTo());
        assertEquals(List.of("example.com", "mail.example.com"), r.reportedDomain());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("dkim", "spf"), r.identityAlignment());
        assertEquals("reject", r.deliveryResult());
        assertEquals("example.com", r.dkimDomain());
        assertEquals("s2026", r.dkimSelector());
        assertEquals("@example.com", r.dkimIdentity());
        assertEquals("txt : mail.example.com : \"v=spf1 -all\"", r.spfDns());
        assertEquals(List.of("mx1.example.net; dmarc=fail (p=reject) header.from=example.com",
                "mx1.example.net; spf=fail smtp.mailfrom=mail.example.com"), r.authenticationResults());
        assertEquals(3, r.incidents());
        assertEquals(List.of("second pass"), r.fields().get("x-reporter-note"), "unknown fields are kept");
        assertEquals(List.of("192.0.2.17 (unknown.example.org)"), r.fields().get("source-ip"), "raw value kept");
        assertEquals("feedback-type", r.fields().keySet().iterator().next(), "fields keep their order");
        assertTrue(r.humanReadable().startsWith("This is an authentication failure report"));
        assertEquals(List.of(), r.warnings());

        OriginalMessage o = r.original();
        assertFalse(o.headersOnly());
        assertEquals("\"Example Billing\" <billing@example.com>", o.from());
        assertEquals("alice@example.net", o.to());
        assertEquals("Your invoice \u20ac 12", o.subject(), "RFC 2047 decoded");
        assertEquals("Sun, 8 Nov 2026 13:59:58 -0400", o.date());
        assertEquals("<invoice-12@example.com>", o.messageId());
        assertEquals(List.of(new OriginalMessage.DkimSignatureRef("example.com", "s2026"),
                new OriginalMessage.DkimSignatureRef("esp.example.org", "ed")), o.dkimSignatures());
        assertEquals(List.of("mx1.example.net; dkim=fail header.d=example.com"), o.authenticationResults());
        assertEquals(List.of("Received", "DKIM-Signature", "DKIM-Signature", "Authentication-Results", "From", "To",
                "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"),
                o.headers().stream().map(OriginalMessage.Header::name).toList());
        assertEquals("Please pay 12 EUR.\n".length(), o.bodyBytes());
    }

    @Test
    void headersOnlySample() throws Exception {
        String headers = SAMPLE.substring(0, SAMPLE.indexOf("\n\n") + 1);
        FailureReport r = parser.parseArf(SOURCE, arf(FULL_FEEDBACK, "text/rfc822-headers", headers));
        assertTrue(r.original().headersOnly());
        assertEquals(0, r.original().bodyBytes());
        assertEquals("<invoice-12@example.com>", r.original().messageId());
        assertEquals(11, r.original().headers().size());
    }

    @Test
    void base64FeedbackPartWithCrlfAsNeteaseSendsIt() throws Exception {
        String feedback = FULL_FEEDBACK.replace("\n", "\r\n");
        String b64 = Base64.getMimeEncoder().encodeToString(feedback.getBytes(StandardCharsets.UTF_8));
        byte[] mail = new String(arf("multipart/mixed", "Content-Type: message/feedback-report; name=\"ATT00001\"\n"
                + "Content-Transfer-Encoding: base64", b64, "message/rfc822", SAMPLE), StandardCharsets.UTF_8)
                .replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        FailureReport r = parser.parseArf(SOURCE, mail);
        assertEquals("192.0.2.17", r.sourceIp());
        assertEquals(List.of("dkim", "spf"), r.identityAlignment());
        assertEquals(List.of("example.com", "mail.example.com"), r.reportedDomain());
        assertEquals(List.of(), r.warnings());
        assertEquals("Your invoice \u20ac 12", r.original().subject());
    }

    @Test
    void base64FeedbackPartWithoutTransferEncodingIsDecodedWithAWarning() throws Exception {
        String b64 = Base64.getMimeEncoder().encodeToString(FULL_FEEDBACK.getBytes(StandardCharsets.UTF_8));
        FailureReport r = parser.parseArf(SOURCE, arf(b64, "message/rfc822", SAMPLE));
        assertEquals("ExampleDMARC/2.1", r.userAgent());
        assertTrue(hasWarning(r, "part 2", "base64"), r.warnings().toString());
    }

    @Test
    void feedbackReportInATextPlainPart() throws Exception {
        byte[] mail = arf("multipart/report; report-type=feedback-report", "Content-Type: text/plain",
                FULL_FEEDBACK, "message/rfc822", SAMPLE);
        FailureReport r = parser.parseArf(SOURCE, mail);
        assertEquals("arf", r.format());
        assertEquals("192.0.2.17", r.sourceIp());
        assertTrue(r.humanReadable().startsWith("This is an authentication failure report"),
                "the human-readable part is still the first text part");
        assertTrue(hasWarning(r, "part 2", "text/plain"), r.warnings().toString());
    }

    @Test
    void missingRequiredFieldsAreDefaultedWithWarnings() throws Exception {
        String feedback = """
                User-Agent: Sparse/0.1
                Source-IP: 198.51.100.9
                Arrival-Date: the day before yesterday
                Incidents: lots
                Reported-Domain: example.com
                this line is not a field
                """;
        FailureReport r = parser.parseArf(SOURCE, arf(feedback, "message/rfc822", SAMPLE));
        assertEquals("auth-failure", r.feedbackType());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("none"), r.identityAlignment());
        assertNull(r.arrivalDate());
        assertEquals(1, r.incidents());
        assertTrue(hasWarning(r, "feedback-report/Feedback-Type", "missing"));
        assertTrue(hasWarning(r, "feedback-report/Auth-Failure", "missing"));
        assertTrue(hasWarning(r, "feedback-report/Identity-Alignment", "missing"));
        assertTrue(hasWarning(r, "feedback-report/Arrival-Date", "unreadable date 'the day before yesterday'"));
        assertTrue(hasWarning(r, "feedback-report/Incidents", "not a number"));
        assertTrue(hasWarning(r, "feedback-report line 6", "not a 'Name: value' field"));
    }

    @Test
    void unusedPartsAndNonAddressSourceIpAreReported() throws Exception {
        String withImage = new String(arf(FULL_FEEDBACK.replace("192.0.2.17 (unknown.example.org)", "unknown"),
                "message/rfc822", SAMPLE), StandardCharsets.UTF_8)
                .replace("--b1--", "--b1\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b1--");
        FailureReport r = parser.parseArf(SOURCE, withImage.getBytes(StandardCharsets.UTF_8));
        assertEquals("unknown", r.sourceIp());
        assertTrue(hasWarning(r, "feedback-report/Source-IP", "not an IP address"), r.warnings().toString());
        assertTrue(hasWarning(r, "part 4", "image/png, 8 bytes"), r.warnings().toString());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(ArfFieldReader.isIpLiteral("2001:db8::25"));
        assertTrue(ArfFieldReader.isIpLiteral("::ffff:192.0.2.1"));
        assertFalse(ArfFieldReader.isIpLiteral("192.0.2.256"));
        assertFalse(ArfFieldReader.isIpLiteral("mx.example.net"));
    }

    @Test
    void abuseReportsGetNoAuthFailureDefaults() throws Exception {
        FailureReport r = parser.parseArf(SOURCE, arf("Feedback-Type: abuse\nUser-Agent: X/1\nVersion: 1\n", null, null));
        assertEquals("abuse", r.feedbackType());
        assertEquals(List.of(), r.authFailure());
        assertEquals(List.of(), r.identityAlignment());
        assertNull(r.original());
        assertTrue(hasWarning(r, "original", "neither"));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
    }

    @Test
    void linkedInStyleCrlfWithMboxFromLineAndEmptyMailFrom() throws Exception {
        String feedback = """
                Feedback-Type: auth-failure
                User-Agent: Lua/1.0
                Version: 1.0
                Original-Mail-From:
                Original-Rcpt-To: recipient@example.net
                Arrival-Date: Tue, 30 Apr 2026 02:09:00 +0000
                Message-ID: <0101@host.example.com>
                Authentication-Results: dmarc=fail (p=none; dis=none) header.from=example.com
                Source-IP: 203.0.113.10
                Delivery-Result: delivered
                Auth-Failure: dmarc
                Reported-Domain: example.com
                """;
        String mail = "From dmarc-noreply@example.net Tue Apr 30 02:09:16 2026\n"
                + new String(arf(feedback, "message/rfc822", SAMPLE), StandardCharsets.UTF_8);
        FailureReport r = parser.parseArf(SOURCE, mail.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        assertNull(r.originalMailFrom(), "an empty Original-Mail-From is the null reverse-path");
        assertEquals(List.of(""), r.fields().get("original-mail-from"));
        assertEquals(List.of("<0101@host.example.com>"), r.fields().get("message-id"));
        assertEquals(Instant.parse("2026-04-30T02:09:00Z"), r.arrivalDate());
        assertEquals("1.0", r.version());
        assertEquals("delivered", r.deliveryResult());
        assertEquals(List.of("none"), r.identityAlignment());
        assertEquals("<invoice-12@example.com>", r.original().messageId());
        assertEquals("Please pay 12 EUR.\r\n".length(), r.original().bodyBytes());
    }

    static final String EXIM_NOTICE = """
            Content-Type: multipart/report;
             boundary="===============4242=="
            MIME-Version: 1.0
            Subject: DMARC Forensic Report for example.com from IP 203.0.113.68
            From: no-reply@mailgate.example.net
            To: dmarc@example.com
            Date: Mon, 09 Nov 2026 23:16:09 +0200

            --===============4242==
            Content-Type: text/plain; charset="us-ascii"
            Content-Transfer-Encoding: 7bit

            A message claiming to be from you has failed the published DMARC policy for your domain.

              Sender Domain: example.com
              Sender IP Address: 203.0.113.68
              Received Date: Mon, 09 Nov 2026 23:16:09 +0200
              SPF Alignment: no
              DKIM Alignment: yes
              DMARC Results: None, Accept

            ------ This is a copy of the headers that were received before the error was detected.

            Received: from [203.0.113.68] (helo=client.example.org)
            \tby mailgate.example.net with esmtp (Exim 4.96)
            \tid 1u1tpA-00AAwZ-CR; Mon, 09 Nov 2026 23:16:08 +0200
            From: <user@example.com>
            Date: Mon, 9 Nov 2026 15:10:06 -0600
            Subject: Payment from your account.
            Message-Id: <1341@example.com>
            To: <user@example.com>
            Authentication-Results: mailgate.example.net;
            \tspf=softfail smtp.mailfrom=example.com;
            \tdmarc=fail header.from=example.com

            --===============4242==--
            """;

    @Test
    void eximPlainTextNotice() throws Exception {
        byte[] mail = EXIM_NOTICE.getBytes(StandardCharsets.UTF_8);
        assertTrue(FailureReportParser.looksLikeFailureNotice("DMARC Forensic Report for example.com from IP 203.0.113.68",
                EXIM_NOTICE));
        FailureReport r = parser.parsePlainTextNotice(SOURCE, mail);
        assertEquals("plain-text", r.format());
        assertEquals("203.0.113.68", r.sourceIp());
        assertEquals(Instant.parse("2026-11-09T21:16:09Z"), r.arrivalDate());
        assertEquals(List.of("example.com"), r.reportedDomain());
        assertEquals(List.of("dmarc"), r.authFailure());
        assertEquals(List.of("dkim"), r.identityAlignment());
        assertEquals(List.of("None, Accept"), r.fields().get("dmarc-results"));
        assertEquals(List.of("203.0.113.68"), r.fields().get("sender-ip-address"));
        assertTrue(r.humanReadable().startsWith("A message claiming to be from you"));
        assertFalse(r.humanReadable().contains("Received: from"), "the copied headers are not the reporter's words");
        OriginalMessage o = r.original();
        assertNotNull(o);
        assertTrue(o.headersOnly());
        assertEquals("<user@example.com>", o.from());
        assertEquals("Payment from your account.", o.subject());
        assertEquals("<1341@example.com>", o.messageId());
        assertEquals(1, o.authenticationResults().size());
        assertEquals(o.authenticationResults(), r.authenticationResults());
        assertTrue(hasWarning(r, "feedback-report/Feedback-Type", "read as auth-failure"));
        assertFalse(r.warnings().stream().anyMatch(w -> w.message().startsWith("no ")), r.warnings().toString());

        // parseArf on the same mail finds no feedback part and reads it as the notice it is.
        FailureReport viaArf = parser.parseArf(SOURCE, mail);
        assertEquals("plain-text", viaArf.format());
        assertEquals("203.0.113.68", viaArf.sourceIp());
        assertTrue(hasWarning(viaArf, "feedback-report", "no message/feedback-report part"));
    }

    @Test
    void neteaseStyleNoticeWithoutFeedbackPart() throws Exception {
        String mail = """
                From: <abuse@mail.example.net>
                Subject: [Example DMARC Failure Report] Rent Reminder
                Date: Fri, 13 Nov 2026 16:48:43 +0800
                To: <dmarc@example.com>
                MIME-Version: 1.0
                Content-type: multipart/mixed; boundary="B_1"

                --B_1
                Content-type: text/plain; charset="UTF-8"

                This is a spf/dkim authentication-failure report for an email message received from IP 198.51.100.24 on Fri, 13 Nov 2026 16:48:42 +0800.
                Below is some detail information about this message:
                 1. SPF-authenticated Identifiers: bounce.example.org;
                 2. DKIM-authenticated Identifiers: example.org;
                 3. DMARC Mechanism Check Result: Identifier non-aligned, DMARC mechanism check failures;

                --B_1
                Content-type: message/rfc822

                From: Example Rentals <info@example.com>
                To: tenant@mail.example.net
                Subject: Rent Reminder
                Message-ID: <rent-1@example.com>

                Rent is due.
                --B_1--
                """;
        assertTrue(FailureReportParser.looksLikeFailureNotice("[Example DMARC Failure Report] Rent Reminder", mail));
        FailureReport r = parser.parsePlainTextNotice(SOURCE, mail.getBytes(StandardCharsets.UTF_8));
        assertEquals("198.51.100.24", r.sourceIp());
        assertEquals(Instant.parse("2026-11-13T08:48:42Z"), r.arrivalDate());
        assertEquals(List.of("example.com"), r.reportedDomain(), "from the failed message's From");
        assertTrue(hasWarning(r, "notice", "reported domain taken from the failed message's From"));
        assertFalse(r.original().headersOnly());
        assertEquals("Rent Reminder", r.original().subject());
        // the line break before the closing boundary belongs to the boundary (RFC 2046 5.1.1)
        assertEquals("Rent is due.".length(), r.original().bodyBytes());
    }

    @Test
    void plainTextNoticeMissingFactsSaysSo() throws Exception {
        String mail = "Subject: DMARC failure report\nContent-Type: text/plain\n\n"
                + "A message claiming to be from you has failed the published DMARC policy for your domain.\n";
        FailureReport r = parser.parsePlainTextNotice(SOURCE, mail.getBytes(StandardCharsets.UTF_8));
        assertNull(r.sourceIp());
        assertTrue(hasWarning(r, "notice", "no source IP address"));
        assertTrue(hasWarning(r, "notice", "no arrival date"));
        assertTrue(hasWarning(r, "notice", "no reported domain"));
        assertTrue(hasWarning(r, "original", "neither"));
    }

    @Test
    void encodedSubjectIsDecodedBeforeItIsRead() throws Exception {
        String mail = "Subject: =?UTF-8?Q?DMARC_Forensic_Report_for_example.org_from_IP_203.0.113.9?=\n"
                + "Content-Type: text/plain\n\n"
                + "A message claiming to be from you has failed the published DMARC policy for your domain.\n";
        FailureReport r = parser.parsePlainTextNotice(SOURCE, mail.getBytes(StandardCharsets.UTF_8));
        assertEquals("203.0.113.9", r.sourceIp());
        assertEquals(List.of("example.org"), r.reportedDomain());
        FailureReport viaArf = parser.parseArf(SOURCE, mail.getBytes(StandardCharsets.UTF_8));
        assertEquals("203.0.113.9", viaArf.sourceIp());
    }

    @Test
    void looksLikeFailureNoticeIsSpecific() {
        assertFalse(FailureReportParser.looksLikeFailureNotice(null, null));
        assertFalse(FailureReportParser.looksLikeFailureNotice("Report Domain: example.com Submitter: google.com",
                "This is an aggregate report from google.com."));
        assertFalse(FailureReportParser.looksLikeFailureNotice("Invoice", "Your invoice received from IP desk on Monday"));
        assertTrue(FailureReportParser.looksLikeFailureNotice("DMARC Failure Report for example.com",
                "received from IP 192.0.2.1 on Mon, 9 Nov 2026 10:00:00 +0000"));
        assertTrue(FailureReportParser.looksLikeFailureNotice(null,
                "This is an authentication-failure report for an email message"));
    }

    @Test
    void base64EncodedSampleAndHtmlOnlyExplanation() throws Exception {
        String sample = Base64.getMimeEncoder().encodeToString(SAMPLE.getBytes(StandardCharsets.UTF_8));
        String mail = "Subject: report\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"q\"\n\n"
                + "--q\nContent-Type: text/html; charset=utf-8\n\n"
                + "<html><body><p>Authentication failure for <b>example.com</b> &amp; friends</p></body></html>\n"
                + "--q\nContent-Type: message/feedback-report\n\n" + FULL_FEEDBACK
                + "--q\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + sample + "\n--q--\n";
        FailureReport r = parser.parseArf(SOURCE, mail.getBytes(StandardCharsets.UTF_8));
        assertEquals("Authentication failure for example.com & friends", r.humanReadable());
        assertEquals("<invoice-12@example.com>", r.original().messageId());
        assertEquals("Please pay 12 EUR.\n".length(), r.original().bodyBytes());
    }

    @Test
    void mailWithoutAnyReportIsRejectedWithItsParts() {
        byte[] mail = "Subject: hello\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhi\n--x\nContent-Type: image/png\n\nPNG\n--x--\n"
                .getBytes(StandardCharsets.UTF_8);
        ReportParseException e = assertThrows(ReportParseException.class, () -> parser.parseArf(SOURCE, mail));
        assertEquals("not a failure report: no message/feedback-report part and no failure notice text (parts: text/plain, image/png)",
                e.getMessage());
        ReportParseException empty = assertThrows(ReportParseException.class, () -> parser.parseArf(SOURCE, new byte[0]));
        assertTrue(empty.getMessage().startsWith("zero-byte input"));
        assertThrows(ReportParseException.class, () -> parser.parsePlainTextNotice(SOURCE, new byte[0]));
    }

    @Test
    void longValuesAreCutToTheTextCapWithAWarning() throws Exception {
        FailureReportParser small = new FailureReportParser(new ParserLimits(1 << 20, 10, 8, 64, 100));
        FailureReport r = small.parseArf(SOURCE, arf(FULL_FEEDBACK + "DKIM-Canonicalized-Body: " + "A".repeat(500) + "\n",
                "message/rfc822", SAMPLE));
        assertEquals(100, r.fields().get("dkim-canonicalized-body").get(0).length());
        assertTrue(hasWarning(r, "feedback-report/DKIM-Canonicalized-Body", "cut to 100"));
    }

    @Test
    void decodedPartsAreCapped() {
        FailureReportParser tiny = new FailureReportParser(new ParserLimits(500, 10, 8, 64, 1000));
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> tiny.parseArf(SOURCE, arf(FULL_FEEDBACK, "message/rfc822", SAMPLE + "x".repeat(2000))));
        assertInstanceOf(LimitExceededException.class, e);
    }

    @Test
    void deeplyNestedMultipartsHitACap() {
        StringBuilder m = new StringBuilder("Subject: deep\n");
        int depth = 60;
        for (int i = 0; i < depth; i++) {
            m.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\n\n--b").append(i).append("\n");
        }
        m.append("Content-Type: text/plain\n\nx\n");
        for (int i = depth - 1; i >= 0; i--) {
            m.append("--b").append(i).append("--\n");
        }
        ReportParseException e = assertThrows(ReportParseException.class,
                () -> parser.parseArf(SOURCE, m.toString().getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(LimitExceededException.class, e);
    }

    /**
     * Notices whose text is built to make regular expressions backtrack: long blank runs, thousands of
     * unclosed tags and separator lines. The timeout only guards against a hang (quadratic matching would
     * take hours on these inputs); it is not a performance figure.
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void hostileNoticeTextIsReadInLinearTime() throws Exception {
        String head = "Subject: DMARC failure report\nContent-Type: text/%s\n\n"
                + "A message claiming to be from you has failed the published DMARC policy for your domain.\n";
        String spaces = head.formatted("plain") + "Sender IP Address: 192.0.2.1" + " ".repeat(2_000_000) + "x\n"
                + "\n".repeat(500_000) + "source ip\n" + "-----\n".repeat(200_000) + "no headers here\n";
        FailureReport r = parser.parsePlainTextNotice(SOURCE, spaces.getBytes(StandardCharsets.UTF_8));
        assertTrue(r.sourceIp().startsWith("192.0.2.1"));
        assertNull(r.original());
        String tags = head.formatted("html") + "<p>Sender IP Address: 198.51.100.9</p>" + "<script".repeat(300_000)
                + "<".repeat(1_000_000);
        FailureReport h = parser.parsePlainTextNotice(SOURCE, tags.getBytes(StandardCharsets.UTF_8));
        assertEquals("198.51.100.9", h.sourceIp());
        assertTrue(FailureReportParser.looksLikeFailureNotice("x", "received from " + " ".repeat(1_000_000) + "y"
                + "claiming to be from you has failed"));
    }

    @Test
    void arbitraryInputNeverEscapesAsAnotherException() {
        Random random = new Random(5965);
        byte[] valid = arf(FULL_FEEDBACK, "message/rfc822", SAMPLE);
        for (int i = 0; i < 200; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(600)];
                random.nextBytes(input);
            } else {
                input = valid.clone();
                for (int k = 0; k < 5; k++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                parser.parseArf(SOURCE, input);
            } catch (ReportParseException expected) {
                assertNotNull(expected.getMessage());
            }
            try {
                parser.parsePlainTextNotice(SOURCE, input);
            } catch (ReportParseException expected) {
                assertNotNull(expected.getMessage());
            }
        }
    }
}
