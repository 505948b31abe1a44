package io.dmarclens.demo;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Aggregate reports made up for tests and benchmarks: XML with a chosen report id and number of records, zipped, mailed. */
public final class SyntheticReports {
    private static final long BEGIN = 1764288000L;
    private static final long END = 1764374399L;

    private SyntheticReports() {
    }

    /**
     * A report from {@code org} about example.com with {@code records} records: record {@code i} comes
     * from 192.0.2.(1 + i % 250) with 1 + i messages, DKIM aligned and passing (selector s<i>), SPF failing.
     */
    public static String aggregateXml(String org, String reportId, int records) {
        return aggregateXml(org, reportId, records, null);
    }

    /**
     * As {@link #aggregateXml(String, String, int)}, each record giving the policy override reason
     * {@code overrideType} (e.g. {@code trusted_forwarder}), or none when null.
     */
    public static String aggregateXml(String org, String reportId, int records, String overrideType) {
        List<FeedbackRecord.Reason> reasons = overrideType == null ? List.of()
                : List.of(new FeedbackRecord.Reason(overrideType, null));
        FeedbackHeader header = new FeedbackHeader(null, null,
                new FeedbackHeader.Metadata(org, "noreply-dmarc@" + org, null, reportId, BEGIN, END),
                FeedbackHeader.Policy.rfc7489("example.com", "none", "none", "100", null));
        List<FeedbackRecord> rows = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            rows.add(new FeedbackRecord("192.0.2." + (1 + i % 250), 1 + i, "none", "pass", "fail", reasons,
                    "example.com", null, null, List.of(new FeedbackRecord.Dkim("example.com", "s" + i, "pass")),
                    List.of(new FeedbackRecord.Spf("bounce.example.com", null, "fail"))));
        }
        return new String(AggregateXmlWriter.toBytes(XmlLayout.PRETTY, header, rows), StandardCharsets.UTF_8);
    }

    /** A report mail as a provider sends it: a short text and the zipped XML attached. */
    public static MimeMessage aggregateMail(Session session, String to, String reportId, int records)
            throws MessagingException {
        String org = "reporter.example";
        String name = org + "!example.com!" + BEGIN + "!" + END + "!" + reportId;
        byte[] zip = Packaging.zip(name + ".xml", aggregateXml(org, reportId, records).getBytes(StandardCharsets.UTF_8),
                END + 1);
        byte[] mail = Packaging.mailWithAttachment(
                Packaging.headers("noreply-dmarc@" + org, new InternetAddress(to).toString(),
                        "Report domain: example.com Submitter: " + org + " Report-ID: " + reportId, END + 1,
                        reportId + "@" + org),
                "This is an aggregate report from " + org + ".", "application/zip", name + ".zip", zip,
                "report_" + Integer.toHexString(reportId.hashCode()));
        return new MimeMessage(session, new ByteArrayInputStream(mail));
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
