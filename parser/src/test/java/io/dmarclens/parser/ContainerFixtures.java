package io.dmarclens.parser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds small reports and the containers providers wrap them in, inside the tests (nothing committed).
 * Shared with the other modules' tests through the parser test-jar.
 */
public final class ContainerFixtures {
    private ContainerFixtures() {
    }

    /** A small RFC 7489 aggregate report with {@code records} records of {@code count} messages each. */
    public static byte[] aggregateXml(String reportId, String domain, int records) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8" ?>
                <feedback>
                  <report_metadata>
                    <org_name>google.com</org_name>
                    <email>noreply-dmarc-support@google.com</email>
                    <report_id>%s</report_id>
                    <date_range><begin>1700006400</begin><end>1700092799</end></date_range>
                  </report_metadata>
                  <policy_published>
                    <domain>%s</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>reject</sp><pct>100</pct>
                  </policy_published>
                """.formatted(reportId, domain));
        for (int i = 0; i < records; i++) {
            xml.append("""
                      <record>
                        <row>
                          <source_ip>192.0.2.%d</source_ip><count>%d</count>
                          <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated>
                        </row>
                        <identifiers><header_from>%s</header_from></identifiers>
                        <auth_results>
                          <dkim><domain>%s</domain><selector>s1</selector><result>pass</result></dkim>
                          <spf><domain>%s</domain><result>pass</result></spf>
                        </auth_results>
                      </record>
                    """.formatted(i % 250 + 1, i + 1, domain, domain, domain));
        }
        xml.append("</feedback>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An RFC 8460 TLS report. */
    public static byte[] tlsJson(String reportId) {
        return """
                {"organization-name":"Google Inc.","date-range":{"start-datetime":"2024-01-01T00:00:00Z",
                 "end-datetime":"2024-01-01T23:59:59Z"},"contact-info":"smtp-tls-reporting@google.com",
                 "report-id":"%s","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1",
                 "mode: enforce","mx: mx.example.com","max_age: 86400"],"policy-domain":"example.com"},
                 "summary":{"total-successful-session-count":42,"total-failure-session-count":1},
                 "failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"203.0.113.7",
                 "receiving-mx-hostname":"mx.example.com","failed-session-count":1}]}]}
                """.formatted(reportId).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A zip archive with the members in order. */
    public static byte[] zip(Map<String, byte[]> members) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey()));
                zip.write(m.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] zip(String name, byte[] data) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put(name, data);
        return zip(members);
    }

    /** Base64 in lines of 76 characters, as mail and pasted files carry it. */
    public static String base64(byte[] data) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
    }

    public static byte[] ascii(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static String headers(String subject) {
        return """
                Return-Path: <noreply-dmarc-support@google.com>
                Received: from mail-sor-f69.google.com (mail-sor-f69.google.com [209.85.220.69])
                        by mx.example.com with SMTPS id abc123 for <dmarc@example.com>; Wed, 15 Nov 2023 03:12:45 -0800
                Date: Wed, 15 Nov 2023 03:12:44 -0800
                From: noreply-dmarc-support@google.com
                To: dmarc@example.com
                Message-ID: <%d@google.com>
                Subject: %s
                MIME-Version: 1.0
                """.formatted(Math.abs(subject.hashCode()), subject);
    }

    /** Google's shape: the whole body is the zip, base64. */
    public static byte[] googleZipMail(String reportId, String domain) {
        String name = "google.com!" + domain + "!1700006400!1700092799.zip";
        return ascii(headers("Report domain: " + domain + " Submitter: google.com Report-ID: " + reportId) + """
                Content-Type: application/zip;\s
                \tname="%s"
                Content-Disposition: attachment;\s
                \tfilename="%s"
                Content-Transfer-Encoding: base64

                %s
                """.formatted(name, name, base64(zip(name.replace(".zip", ".xml"), aggregateXml(reportId, domain, 2)))));
    }

    /** One MIME part: its header lines, a blank line, its body. */
    public static String part(String headerLines, String body) {
        return headerLines.strip() + "\n\n" + body + "\n";
    }

    /** A multipart body with the given parts (each from {@link #part}). */
    public static String multipart(String boundary, String... parts) {
        StringBuilder s = new StringBuilder("This is a multi-part message in MIME format.\n\n");
        for (String p : parts) {
            s.append("--").append(boundary).append('\n').append(p);
        }
        return s.append("--").append(boundary).append("--\n").toString();
    }

    public static String base64Part(String contentType, String filename, byte[] data) {
        return part("Content-Type: " + contentType + (filename == null ? "" : "; name=\"" + filename + "\"") + "\n"
                + "Content-Transfer-Encoding: base64\n"
                + (filename == null ? "" : "Content-Disposition: attachment; filename=\"" + filename + "\"\n"),
                base64(data));
    }

    public static String textPart(String text) {
        return part("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit", text);
    }

    /** A mail with the given top-level multipart/mixed parts. */
    public static byte[] mixedMail(String subject, String... parts) {
        return ascii(headers(subject) + "Content-Type: multipart/mixed; boundary=\"outer-b0undary\"\n\n"
                + multipart("outer-b0undary", parts));
    }

    /** An ARF (RFC 5965/6591) failure report for a DMARC failure of {@code example.com}, with the original headers. */
    public static byte[] arfMail() {
        return ascii("""
                From: dmarc-noreply@receiver.example
                To: ruf@example.com
                Subject: FW: Earn money
                Date: Wed, 15 Nov 2023 03:12:44 +0000
                Message-ID: <arf-1@receiver.example>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report;
                \tboundary="arf-boundary"

                --arf-boundary
                Content-Type: text/plain; charset="US-ASCII"

                This is an authentication failure report for an email message received from IP
                192.0.2.1 on Wed, 15 Nov 2023 03:12:40 +0000.

                --arf-boundary
                Content-Type: message/feedback-report

                Feedback-Type: auth-failure
                User-Agent: SomeGenerator/1.0
                Version: 1
                Original-Mail-From: <somespammer@example.net>
                Original-Rcpt-To: <user@receiver.example>
                Arrival-Date: Wed, 15 Nov 2023 03:12:40 +0000
                Source-IP: 192.0.2.1
                Reported-Domain: example.com
                Auth-Failure: dmarc
                Identity-Alignment: none
                Delivery-Result: reject

                --arf-boundary
                Content-Type: text/rfc822-headers

                From: <ceo@example.com>
                To: <user@receiver.example>
                Subject: Earn money
                Date: Wed, 15 Nov 2023 03:12:30 +0000
                Message-ID: <spam-1@example.net>
                DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=sel1; h=from:to; bh=abc=; b=def=

                --arf-boundary--
                """);
    }
}
