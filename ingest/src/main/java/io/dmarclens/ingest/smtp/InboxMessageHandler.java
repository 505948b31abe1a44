package io.dmarclens.ingest.smtp;

import io.dmarclens.ingest.inbox.AcceptedMessage;
import io.dmarclens.ingest.inbox.InboxWriteException;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.parser.Bounded;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One SMTP mail transaction: checks each recipient, then streams DATA into the durable inbox. The
 * 250 reply SubEthaSMTP sends when {@link #data} returns therefore comes only after the message is on
 * disk; when it cannot be written the reply is 451 and the sending MTA keeps the message.
 */
final class InboxMessageHandler implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboxMessageHandler.class);

    private final MessageContext context;
    private final MessageIntake intake;
    private final RecipientPolicy recipients;
    private final long maxMessageSize;
    private final List<String> accepted = new ArrayList<>();
    private String mailFrom = "";

    InboxMessageHandler(MessageContext context, MessageIntake intake, RecipientPolicy recipients, long maxMessageSize) {
        this.context = context;
        this.intake = intake;
        this.recipients = recipients;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void from(String from) {
        mailFrom = from == null ? "" : from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (!recipients.accepts(recipient)) {
            LOG.info("Refused recipient <{}> from {}", Bounded.text(recipient, Bounded.ITEM), peer());
            throw new RejectException(550, "5.1.1 <" + recipient + ">: recipient not accepted here");
        }
        accepted.add(recipient);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        MessageOrigin origin = MessageOrigin.smtp(peer(), context.getHelo().orElse(""), mailFrom, accepted);
        try {
            AcceptedMessage message = intake.accept(origin, "", data, maxMessageSize);
            return "2.0.0 Ok: queued as " + message.message().id();
        } catch (MessageTooLargeException e) {
            // SubEthaSMTP reads the rest of DATA only when data() returns normally: drain it here, so the
            // rest of the message is not taken for commands.
            drain(data);
            LOG.info("Refused a message over {} bytes from {}", maxMessageSize, peer());
            throw new RejectException(552, "5.3.4 Message too big: the limit is " + maxMessageSize + " bytes");
        } catch (InboxWriteException e) {
            LOG.error("Cannot store a message from {} in the inbox; answered 451: {}", peer(), e.getMessage());
            drain(data);
            throw new RejectException(451, "4.3.0 Cannot store the message now, please try again later");
        }
    }

    private static void drain(InputStream data) throws IOException {
        byte[] discard = new byte[64 * 1024];
        while (data.read(discard) >= 0) {
            // the bytes are not kept
        }
    }

    private String peer() {
        SocketAddress address = context.getRemoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    @Override
    public void done() {
        // nothing held between transactions
    }
}
