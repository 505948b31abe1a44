package io.dmarclens.alerts.delivery;

import io.dmarclens.store.alerts.Outbox.QueuedNotice;

/**
 * One place a notice goes: a mail recipient or a web hook. The deliverer records each channel a notice
 * reached, so a retry after a partial failure sends only to the channels still missing it.
 */
public interface Channel {
    /**
     * A stable name, recorded in the outbox for each channel a notice reached (never a secret: web hook
     * addresses are shown as host and a digest of the address).
     */
    String id();

    /**
     * Sends the notice.
     *
     * @throws DeliveryException when the relay or hook did not take it (it will be tried again)
     */
    void send(QueuedNotice notice) throws DeliveryException;
}
