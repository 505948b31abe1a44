package io.dmarclens.ingest.smtp;

import io.dmarclens.ingest.inbox.SenderAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An accepted SMTP connection that holds one of its sender's {@link AddressSlots} until it is closed,
 * and reads through a {@link DeadlineInputStream}, so a command line must arrive whole in time.
 */
final class GuardedSocket extends Socket {
    private final AddressSlots slots;
    private final long lineDeadlineNanos;
    private final int readTimeoutMillis;
    private final AtomicBoolean released = new AtomicBoolean();
    private String sender;
    private boolean withinLimit;
    private InputStream input;
    private volatile long dataDeadline;

    GuardedSocket(AddressSlots slots, long lineDeadlineNanos, int readTimeoutMillis) {
        this.slots = slots;
        this.lineDeadlineNanos = lineDeadlineNanos;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Called once accepted: takes a slot of the sender's address. */
    void admitted() {
        sender = SenderAddress.of(getInetAddress());
        withinLimit = slots.take(sender);
    }

    /** False when the sender already held all its slots when this connection came. */
    boolean withinLimit() {
        return withinLimit;
    }

    String sender() {
        return sender;
    }

    /** From now until {@link #dataEnded}, every read must end by {@code nanoTime} ({@link System#nanoTime}). */
    void dataStarted(long nanoTime) {
        dataDeadline = nanoTime == 0 ? 1 : nanoTime;
    }

    void dataEnded() {
        dataDeadline = 0;
    }

    /** The {@link System#nanoTime} by which DATA must end, or 0 outside DATA. */
    long dataDeadline() {
        return dataDeadline;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new DeadlineInputStream(super.getInputStream(), this, lineDeadlineNanos, readTimeoutMillis);
        }
        return input;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (sender != null && released.compareAndSet(false, true)) {
                slots.release(sender);
            }
        }
    }
}
