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

/** Report mails for the DKIM tests: any sender, any claimed reporter organisation. */
public final class ReportMails {
    private ReportMails() {
    }

    /**
     * The bytes of a mail from {@code from} carrying a zipped aggregate report whose organisation and
     * contact domain are {@code org}, covering 2025-11-28, with {@code records} records.
     */
    public static byte[] report(String from, String to, String org, String reportId, int records) {
        try {
            Session session = Session.getInstance(new Properties());
            String name = org + "!example.com!1764288000!1764374399!" + reportId + ".zip";
            byte[] zip = zip(name.replace(".zip", ".xml"), SyntheticReports.aggregateXml(org, reportId, records));
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
