package io.dmarclens.ingest.smtp;

import io.dmarclens.ingest.inbox.MessageIntake;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The built-in SMTP receiver (SubEthaSMTP): accepts reports addressed to the configured recipients and
 * hands each message to the durable inbox. It never relays.
 */
public final class SmtpReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpReceiver.class);

    private final SmtpSettings settings;
    private final SMTPServer server;

    private SmtpReceiver(SmtpSettings settings, SMTPServer server) {
        this.settings = settings;
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @throws IllegalArgumentException when no recipient is configured and the address is not loopback
     *                                  (an open receiver on the internet would store anybody's mail)
     */
    public static SmtpReceiver start(SmtpSettings settings, MessageIntake intake) throws IOException {
        InetAddress bind = InetAddress.getByName(settings.host());
        RecipientPolicy recipients = new RecipientPolicy(settings.recipients());
        if (recipients.acceptsAll() && !bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("smtp.recipients is empty: set the addresses or domains that receive "
                    + "reports (e.g. --recipients dmarc@example.com) before listening on " + settings.host());
        }
        SMTPServer.Builder builder = SMTPServer.port(settings.port())
                .bindAddress(bind)
                .hostName(settings.hostName())
                .softwareName("DMARC Lens")
                .maxConnections(settings.maxConnections())
                .connectionTimeout((int) Math.min(Integer.MAX_VALUE, settings.readTimeout().toMillis()),
                        TimeUnit.MILLISECONDS)
                .maxMessageSize((int) settings.maxMessageSize())
                // No Received header of our own: a message delivered twice (an MTA retrying after a lost
                // 250) must keep identical bytes, so that the store recognises it. The envelope is in the
                // ingest log.
                .insertReceivedHeaders(false)
                .messageHandlerFactory(ctx -> new InboxMessageHandler(ctx, intake, recipients,
                        settings.maxMessageSize()));
        if (settings.tlsCertificate() != null) {
            SSLContext tls = PemTls.serverContext(settings.tlsCertificate(), settings.tlsKey());
            builder.enableTLS().startTlsSocketFactory(tls).requireTLS(settings.requireTls());
        }
        SMTPServer server = builder.build();
        try {
            server.start();
        } catch (RuntimeException e) {
            String why = e.getCause() instanceof java.net.BindException
                    ? "the address is in use (another program listens there: stop it, or set smtp.listen / --smtp-listen)"
                    : e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IOException("cannot listen for SMTP on " + settings.host() + ":" + settings.port() + ": " + why, e);
        }
        LOG.info("SMTP receiver listening on {}:{}{}{}", settings.host(), server.getPortAllocated(),
                settings.tlsCertificate() != null ? (settings.requireTls() ? " (STARTTLS required)" : " (STARTTLS)") : "",
                recipients.acceptsAll() ? ", accepting every recipient (loopback only)" : "");
        return new SmtpReceiver(settings, server);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPortAllocated();
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** Stops listening; transactions in progress are cut, and their senders retry (nothing was acknowledged). */
    @Override
    public void close() {
        server.stop();
    }
}
