package io.dmarclens.ingest.smtp;

import io.dmarclens.ingest.inbox.AcceptedMessage;
import io.dmarclens.ingest.inbox.DiskLowException;
import io.dmarclens.ingest.inbox.InboxWriteException;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.ingest.inbox.SenderThrottledException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
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
    private final Duration dataDeadline;
    private final Optional<GuardedSocket> socket;
    /** Recipients kept per message (the origin in the ingest log); duplicates are dropped, the rest counted. */
    static final int MAX_RECIPIENTS_KEPT = 20;
    /** Refused recipients logged one by one per transaction; the rest become one summary line. */
    static final int MAX_REFUSALS_LOGGED = 3;
    /** Longest piece of a stranger's text (an address) put into a log line. */
    static final int MAX_LOGGED_TEXT = 100;

    private final Set<String> seen = new LinkedHashSet<>();
    private final List<String> accepted = new ArrayList<>();
    private int acceptedOverflow;
    private int refused;
    private String mailFrom = "";

    InboxMessageHandler(MessageContext context, MessageIntake intake, RecipientPolicy recipients, long maxMessageSize,
                        Duration dataDeadline, Optional<GuardedSocket> socket) {
        this.context = context;
        this.intake = intake;
        this.recipients = recipients;
        this.maxMessageSize = maxMessageSize;
        this.dataDeadline = dataDeadline;
        this.socket = socket;
    }

    /** Refuses the transaction at once, before any DATA is sent, when the inbox could not take it. */
    @Override
    public void from(String from) throws RejectException {
        if (intake.diskLow()) {
            LOG.warn("Refused mail from {} with 452: the disk is below its free-space threshold", peer());
            throw new RejectException(452, "4.3.1 Insufficient system storage, please try again later");
        }
        if (!intake.allows(MessageOrigin.smtp(peer(), "", "", List.of()))) {
            LOG.info("Refused mail from {} with 450: too much junk from it within the hour", peer());
            throw new RejectException(450, "4.7.1 Too many messages without a report from your address, "
                    + "try again later");
        }
        mailFrom = from == null ? "" : from;
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (!recipients.accepts(recipient)) {
            // A stranger may send a thousand RCPT TOs: the first few are logged, the rest counted (done()).
            if (++refused <= MAX_REFUSALS_LOGGED) {
                LOG.info("Refused recipient <{}> from {}", loggable(recipient), peer());
            }
            throw new RejectException(550, "5.1.1 <" + loggable(recipient) + ">: recipient not accepted here");
        }
        // The same address given a thousand times is one recipient; many addresses of an accepted domain are
        // kept up to a bound, so that the origin in the ingest log stays a line, not 17 KB.
        String normal = recipient.strip().toLowerCase(Locale.ROOT);
        if (!seen.contains(normal)) {
            if (accepted.size() < MAX_RECIPIENTS_KEPT) {
                seen.add(normal);
                accepted.add(recipient);
            } else {
                acceptedOverflow++;
            }
        }
    }

    /** The recipients for the message's origin: the distinct ones kept, and how many more there were. */
    private List<String> recipientsKept() {
        List<String> list = new ArrayList<>(accepted);
        if (acceptedOverflow > 0) {
            list.add("(+" + acceptedOverflow + " more)");
        }
        return list;
    }

    /** A stranger's text for a log line or reply: printable ASCII only, bounded. */
    static String loggable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_LOGGED_TEXT + 1));
        for (int i = 0; i < text.length() && b.length() < MAX_LOGGED_TEXT; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_LOGGED_TEXT) {
            b.append('\u2026');
        }
        return b.toString();
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        MessageOrigin origin = MessageOrigin.smtp(peer(), context.getHelo().orElse(""), mailFrom, recipientsKept());
        try {
            long deadline = System.nanoTime() + dataDeadline.toNanos();
            socket.ifPresent(s -> s.dataStarted(deadline));
            AcceptedMessage message = intake.accept(origin, "", data, maxMessageSize);
            return "2.0.0 Ok: queued as " + message.message().id();
        } catch (MessageTooLargeException e) {
            // SubEthaSMTP reads the rest of DATA only when data() returns normally: drain it here, so the
            // rest of the message is not taken for commands.
            drain(data);
            LOG.info("Refused a message over {} bytes from {}", maxMessageSize, peer());
            throw new RejectException(552, "5.3.4 Message too big: the limit is " + maxMessageSize + " bytes");
        } catch (DiskLowException e) {
            drain(data);
            throw new RejectException(452, "4.3.1 Insufficient system storage, please try again later");
        } catch (SenderThrottledException e) {
            drain(data);
            throw new RejectException(450, "4.7.1 Too many messages without a report from your address, "
                    + "try again later");
        } catch (InboxWriteException e) {
            LOG.error("Cannot store a message from {} in the inbox; answered 451: {}", peer(), e.getMessage());
            drain(data);
            throw new RejectException(451, "4.3.0 Cannot store the message now, please try again later");
        } finally {
            socket.ifPresent(GuardedSocket::dataEnded);
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
        if (refused > MAX_REFUSALS_LOGGED) {
            LOG.info("Refused {} more recipients from {} in one transaction", refused - MAX_REFUSALS_LOGGED, peer());
        }
    }
}
