package io.dmarclens.ingest.dkim;

import io.dmarclens.demo.SyntheticReports;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Report mails for the DKIM tests (aggregate, failure and TLS): any sender, any claimed reporter organisation. */
public final class ReportMails {
    private ReportMails() {
    }

    /**
     * The bytes of a mail from {@code from} carrying a zipped aggregate report whose organisation and
     * contact domain are {@code org}, covering 2025-11-28, with {@code records} records.
     */
    public static byte[] report(String from, String to, String org, String reportId, int records) {
        return report(from, to, org, reportId, records, null);
    }

    /** As {@link #report(String, String, String, String, int)}, each record giving the override reason {@code overrideType}. */
    public static byte[] report(String from, String to, String org, String reportId, int records, String overrideType) {
        try {
            Session session = Session.getInstance(new Properties());
            String name = org + "!example.com!1764288000!1764374399!" + reportId + ".zip";
            byte[] zip = zip(name.replace(".zip", ".xml"), SyntheticReports.aggregateXml(org, reportId, records, overrideType));
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            message.setSubject("Report domain: example.com Submitter: " + org + " Report-ID: " + reportId);
            message.setSentDate(new java.util.Date(1764374400_000L));
            MimeBodyPart text = new MimeBodyPart();
            text.setText("This is an aggregate report from " + org + ".");
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(zip, "application/zip")));
            attachment.setFileName(name);
            message.setContent(new MimeMultipart(text, attachment));
            message.saveChanges();
            return SyntheticReports.bytes(message);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes of an ARF failure report mail from {@code from} about a message from {@code sourceIp} that
     * claimed example.com, naming {@code reportingMta} as its Reporting-MTA (none when null).
     */
    public static byte[] failure(String from, String to, String reportingMta, String sourceIp) {
        String mta = reportingMta == null ? "" : "Reporting-MTA: dns; " + reportingMta + "\r\n";
        String mail = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: FW: Your invoice is overdue\r\n"
                + "Date: Sat, 29 Nov 2025 00:05:00 +0000\r\n"
                + "Message-ID: <ruf-" + sourceIp + "@reports.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"arf\"\r\n"
                + "\r\n"
                + "--arf\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "This is an authentication failure report for a message from " + sourceIp + ".\r\n"
                + "\r\n"
                + "--arf\r\n"
                + "Content-Type: message/feedback-report\r\n"
                + "\r\n"
                + "Feedback-Type: auth-failure\r\n"
                + "User-Agent: test-reporter/1.0\r\n"
                + "Version: 1\r\n"
                + "Original-Mail-From: <billing@example.com>\r\n"
                + "Arrival-Date: Sat, 29 Nov 2025 00:00:00 +0000\r\n"
                + mta
                + "Source-IP: " + sourceIp + "\r\n"
                + "Authentication-Results: mx.test; dmarc=fail header.from=example.com\r\n"
                + "Auth-Failure: dmarc\r\n"
                + "Identity-Alignment: none\r\n"
                + "Reported-Domain: example.com\r\n"
                + "\r\n"
                + "--arf\r\n"
                + "Content-Type: text/rfc822-headers\r\n"
                + "\r\n"
                + "From: Accounts <billing@example.com>\r\n"
                + "Subject: Your invoice is overdue\r\n"
                + "Message-ID: <spoof-" + sourceIp + "@example.com>\r\n"
                + "\r\n"
                + "--arf--\r\n";
        return mail.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The bytes of an SMTP TLS report mail (RFC 8460) from {@code from} whose report names organisation
     * {@code org} and contact {@code contact} (none when null), for example.com on 2025-11-28, with one failure
     * detail for sessions from {@code sendingIp}.
     */
    public static byte[] tls(String from, String to, String org, String contact, String reportId, String sendingIp) {
        String json = "{\"organization-name\": \"" + org + "\","
                + " \"date-range\": {\"start-datetime\": \"2025-11-28T00:00:00Z\","
                + " \"end-datetime\": \"2025-11-28T23:59:59Z\"},"
                + (contact == null ? "" : " \"contact-info\": \"" + contact + "\",")
                + " \"report-id\": \"" + reportId + "\","
                + " \"policies\": [{\"policy\": {\"policy-type\": \"sts\", \"policy-string\": [\"version: STSv1\"],"
                + " \"policy-domain\": \"example.com\", \"mx-host\": [\"mx1.example.com\"]},"
                + " \"summary\": {\"total-successful-session-count\": 10, \"total-failure-session-count\": 4},"
                + " \"failure-details\": [{\"result-type\": \"certificate-expired\", \"sending-mta-ip\": \""
                + sendingIp + "\", \"receiving-mx-hostname\": \"mx1.example.com\", \"failed-session-count\": 4}]}]}";
        try {
            Session session = Session.getInstance(new Properties());
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress(from));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            message.setSubject("Report Domain: example.com Submitter: " + org + " Report-ID: <" + reportId + ">");
            message.setSentDate(new java.util.Date(1764374400_000L));
            message.setHeader("TLS-Report-Domain", "example.com");
            message.setHeader("TLS-Report-Submitter", org);
            MimeBodyPart text = new MimeBodyPart();
            text.setText("This is an aggregate TLS report from " + org + ".");
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(json.getBytes(StandardCharsets.UTF_8),
                    "application/tlsrpt+json")));
            attachment.setFileName(org + "!example.com!1764288000!1764374399!" + reportId + ".json");
            MimeMultipart multipart = new MimeMultipart("report; report-type=\"tlsrpt\"", text, attachment);
            message.setContent(multipart);
            message.saveChanges();
            return SyntheticReports.bytes(message);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] zip(String entryName, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
