package io.dmarclens.demo;

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

/** Aggregate reports made up for tests and benchmarks: XML with a chosen report id and number of records, zipped, mailed. */
public final class SyntheticReports {
    private SyntheticReports() {
    }

    public static String aggregateXml(String org, String reportId, int records) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <feedback>
                  <report_metadata>
                    <org_name>%s</org_name>
                    <email>noreply-dmarc@%s</email>
                    <report_id>%s</report_id>
                    <date_range><begin>1764288000</begin><end>1764374399</end></date_range>
                  </report_metadata>
                  <policy_published>
                    <domain>example.com</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct>
                  </policy_published>
                """.formatted(org, org, reportId));
        for (int i = 0; i < records; i++) {
            xml.append("""
                      <record>
                        <row>
                          <source_ip>192.0.2.%d</source_ip>
                          <count>%d</count>
                          <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated>
                        </row>
                        <identifiers><header_from>example.com</header_from></identifiers>
                        <auth_results>
                          <dkim><domain>example.com</domain><selector>s%d</selector><result>pass</result></dkim>
                          <spf><domain>bounce.example.com</domain><result>fail</result></spf>
                        </auth_results>
                      </record>
                    """.formatted(1 + i % 250, 1 + i, i));
        }
        return xml.append("</feedback>\n").toString();
    }

    public static byte[] zip(String entryName, String content) {
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

    /** A report mail as a provider sends it: a short text and the zipped XML attached. */
    public static MimeMessage aggregateMail(Session session, String to, String reportId, int records)
            throws MessagingException {
        String org = "reporter.example";
        String name = org + "!example.com!1764288000!1764374399!" + reportId + ".zip";
        byte[] zip = zip(name.replace(".zip", ".xml"), aggregateXml(org, reportId, records));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("noreply-dmarc@reporter.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("Report domain: example.com Submitter: " + org + " Report-ID: " + reportId);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("This is an aggregate report from " + org + ".");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(zip, "application/zip")));
        attachment.setFileName(name);
        MimeMultipart multipart = new MimeMultipart(text, attachment);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    /** A mail that is not a report at all. */
    public static MimeMessage plainMail(Session session, String to, String text) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("someone@elsewhere.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("Hello");
        message.setText(text);
        message.saveChanges();
        return message;
    }

    public static byte[] bytes(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Session session(Properties props) {
        return Session.getInstance(props);
    }
}
