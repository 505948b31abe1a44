package io.dmarclens.ingest.smtp;

import java.util.HashMap;
import java.util.Map;

/**
 * Open connections per sender ({@link io.dmarclens.ingest.inbox.SenderAddress}: IPv4 address or IPv6 /64),
 * so that one sender cannot take every slot of the receiver.
 */
final class AddressSlots {
    private final int perAddress;
    private final Map<String, Integer> open = new HashMap<>();

    AddressSlots(int perAddress) {
        this.perAddress = perAddress;
    }

    /** Counts one more connection from {@code sender}; false when that is more than it may hold. */
    synchronized boolean take(String sender) {
        return open.merge(sender, 1, Integer::sum) <= perAddress;
    }

    synchronized void release(String sender) {
        open.computeIfPresent(sender, (k, n) -> n <= 1 ? null : n - 1);
    }
}
