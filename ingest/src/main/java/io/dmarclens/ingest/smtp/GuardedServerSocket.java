package io.dmarclens.ingest.smtp;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/** The receiver's listening socket: hands out {@link GuardedSocket}s, counted per sender address. */
final class GuardedServerSocket extends ServerSocket {
    private final AddressSlots slots;
    private final long lineDeadlineNanos;
    private final int readTimeoutMillis;

    GuardedServerSocket(AddressSlots slots, long lineDeadlineNanos, int readTimeoutMillis) throws IOException {
        this.slots = slots;
        this.lineDeadlineNanos = lineDeadlineNanos;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public Socket accept() throws IOException {
        GuardedSocket socket = new GuardedSocket(slots, lineDeadlineNanos, readTimeoutMillis);
        implAccept(socket);
        socket.admitted();
        return socket;
    }
}
