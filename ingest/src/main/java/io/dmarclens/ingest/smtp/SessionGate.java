package io.dmarclens.ingest.smtp;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/** Greets a connection with 421 instead of 220 when its sender already holds all its slots. */
final class SessionGate implements SessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGate.class);

    private final int perAddress;
    // The sockets as accepted: after STARTTLS a session's own socket is the TLS one layered over them.
    private final Map<Session, GuardedSocket> sockets = Collections.synchronizedMap(new WeakHashMap<>());

    SessionGate(int perAddress) {
        this.perAddress = perAddress;
    }

    /** The connection a session runs on, as accepted. */
    Optional<GuardedSocket> socket(MessageContext session) {
        return Optional.ofNullable(session instanceof Session s ? sockets.get(s) : null);
    }

    @Override
    public SessionAcceptance accept(Session session) {
        if (!(session.getSocket() instanceof GuardedSocket socket)) {
            return SessionAcceptance.success();
        }
        sockets.put(session, socket);
        if (!socket.withinLimit()) {
            // debug: a stranger could otherwise write a log line per connection attempt
            LOG.debug("Refused a connection from {}: it already holds {} connections", socket.sender(), perAddress);
            return SessionAcceptance.failure(421, "4.7.0 Too many connections from your address, try again later");
        }
        return SessionAcceptance.success();
    }

    @Override
    public void onSessionEnd(Session session) {
        // the slot is given back when the socket closes, which happens on every path
        sockets.remove(session);
    }
}
