package io.dmarclens.alerts.delivery;

import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.alerts.Outbox.QueuedNotice;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * Mails a notice to one recipient through the SMTP relay: multipart/alternative with the plain text and the
 * HTML (in multipart/related with its inline images, referenced as {@code cid:}). The Message-ID is made
 * from the notice and the recipient, so a mail repeated after a crash between sending and recording it
 * carries the same Message-ID and mail clients can tell it is the same mail.
 */
public final class MailChannel implements Channel {
    private final MailRelay relay;
    private final InternetAddress recipient;
    private final String dashboardUrl;
    private final InlineImages images;
    private final Clock clock;
    private final Session session;

    /**
     * @param relay        the relay
     * @param recipient    one address
     * @param dashboardUrl the dashboard's base address links in mails start with (no trailing /)
     * @param images       the inline images of a notice (a digest's chart)
     * @param clock        the Date header's clock
     */
    public MailChannel(MailRelay relay, String recipient, String dashboardUrl, InlineImages images, Clock clock) {
        this.relay = relay;
        try {
            this.recipient = new InternetAddress(recipient, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("not a mail address: " + recipient, e);
        }
        this.dashboardUrl = dashboardUrl.endsWith("/") ? dashboardUrl.substring(0, dashboardUrl.length() - 1)
                : dashboardUrl;
        this.images = images;
        this.clock = clock;
        this.session = Session.getInstance(properties(relay));
    }

    /** The inline images of a notice's HTML, by content id. */
    @FunctionalInterface
    public interface InlineImages {
        /** PNG images by content id (without {@code cid:}); empty when the HTML has none. */
        Map<String, byte[]> of(Notice notice);
    }

    @Override
    public String id() {
        return "mail:" + recipient.getAddress().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void send(QueuedNotice queued) throws DeliveryException {
        Notice n = queued.notice();
        try {
            MimeMessage message = new FixedIdMessage(session, messageId(queued));
            message.setFrom(new InternetAddress(relay.from(), true));
            message.setRecipient(Message.RecipientType.TO, recipient);
            message.setSubject(n.subject(), "UTF-8");
            message.setSentDate(Date.from(clock.instant()));
            message.setHeader("Auto-Submitted", "auto-generated");
            message.setHeader("X-DmarcLens-Notice", Long.toString(queued.id()));

            MimeBodyPart text = new MimeBodyPart();
            text.setText(n.text() + footerText(), "UTF-8", "plain");
            MimeMultipart related = new MimeMultipart("related");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(MailHtml.document(n, dashboardUrl), "UTF-8", "html");
            related.addBodyPart(html);
            for (Map.Entry<String, byte[]> image : images.of(n).entrySet()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(image.getValue(), "image/png")));
                part.setContentID("<" + image.getKey() + ">");
                part.setDisposition(MimeBodyPart.INLINE);
                part.setFileName(image.getKey());
                related.addBodyPart(part);
            }
            MimeBodyPart htmlWithImages = new MimeBodyPart();
            htmlWithImages.setContent(related);
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(htmlWithImages);
            message.setContent(alternative);
            message.saveChanges();
            try (Transport transport = session.getTransport(relay.security() == MailRelay.Security.TLS ? "smtps" : "smtp")) {
                transport.connect(relay.host(), relay.port(), relay.user(), relay.password());
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (MessagingException e) {
            throw new DeliveryException("the relay " + relay.host() + ":" + relay.port() + " did not take the mail to "
                    + recipient.getAddress() + ": " + e.getMessage(), e);
        }
    }

    private String footerText() {
        return "\n--\nDMARC Lens, " + dashboardUrl + "\n";
    }

    private String messageId(QueuedNotice queued) {
        String domain = relay.from().substring(relay.from().lastIndexOf('@') + 1).replaceAll("[^A-Za-z0-9.-]", "");
        return "<dmarclens.notice-" + queued.id() + "." + digest(id()).substring(0, 12) + "@"
                + (domain.isEmpty() ? "dmarc-lens.invalid" : domain) + ">";
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java", e);
        }
    }

    private static Properties properties(MailRelay relay) {
        Properties p = new Properties();
        String proto = relay.security() == MailRelay.Security.TLS ? "smtps" : "smtp";
        String ms = Long.toString(relay.timeout().toMillis());
        p.put("mail.transport.protocol", proto);
        p.put("mail." + proto + ".connectiontimeout", ms);
        p.put("mail." + proto + ".timeout", ms);
        p.put("mail." + proto + ".writetimeout", ms);
        p.put("mail." + proto + ".auth", Boolean.toString(relay.user() != null));
        if (relay.security() == MailRelay.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (relay.security() != MailRelay.Security.NONE) {
            p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    /** Keeps the Message-ID made from the notice (saveChanges would replace it with a random one). */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
