package io.dmarclens.ingest.smtp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/**
 * Reads a connection line by line against a deadline: from the first read that waits for a line, the
 * whole line must arrive within the deadline. The socket's read timeout alone is per read, so a client
 * sending one byte now and then could hold a connection for ever; here each read waits at most until
 * the deadline, and a read past it fails as a timeout (SubEthaSMTP then answers 421 and closes).
 * While DATA is read, the socket's DATA deadline bounds every read as well.
 */
final class DeadlineInputStream extends FilterInputStream {
    private final GuardedSocket socket;
    private final long lineDeadlineNanos;
    private final int readTimeoutMillis;
    private boolean waitingForLine;
    private long deadline;

    DeadlineInputStream(InputStream in, GuardedSocket socket, long lineDeadlineNanos, int readTimeoutMillis) {
        super(in);
        this.socket = socket;
        this.lineDeadlineNanos = lineDeadlineNanos;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long now = System.nanoTime();
        if (!waitingForLine) {
            waitingForLine = true;
            deadline = now + lineDeadlineNanos;
        }
        long remainingMillis = (deadline - now) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("the line did not arrive whole within its deadline");
        }
        long dataDeadline = socket.dataDeadline();
        if (dataDeadline != 0) {
            long dataMillis = (dataDeadline - now) / 1_000_000;
            if (dataMillis <= 0) {
                throw new SocketTimeoutException("DATA did not end within its deadline");
            }
            remainingMillis = Math.min(remainingMillis, dataMillis);
        }
        socket.setSoTimeout((int) Math.min(readTimeoutMillis, remainingMillis));
        int n = in.read(b, off, len);
        for (int i = off; i < off + n; i++) {
            if (b[i] == '\n') {
                waitingForLine = false;
                break;
            }
        }
        return n;
    }
}
