package io.dmarclens.ingest.testing;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** A Jakarta Mail SMTP client for the receiver under test. */
public final class SmtpSender implements AutoCloseable {
    private final Session session;
    private final Transport transport;

    public SmtpSender(int port, Properties extra) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "30000");
        props.putAll(extra);
        session = Session.getInstance(props);
        transport = session.getTransport("smtp");
        transport.connect();
    }

    public SmtpSender(int port) throws MessagingException {
        this(port, new Properties());
    }

    public Session session() {
        return session;
    }

    public void send(MimeMessage message) throws MessagingException {
        transport.sendMessage(message, message.getAllRecipients());
    }

    @Override
    public void close() throws MessagingException {
        transport.close();
    }
}
