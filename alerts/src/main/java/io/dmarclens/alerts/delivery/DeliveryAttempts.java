package io.dmarclens.alerts.delivery;

/**
 * Told of every attempt to deliver a notice to one channel (for metrics). Called on the delivery thread:
 * keep it short; a listener that throws is logged and does not stop delivery.
 */
@FunctionalInterface
public interface DeliveryAttempts {
    /** Listens to nothing. */
    DeliveryAttempts NONE = (kind, sent) -> { };

    /**
     * One attempt.
     *
     * @param channelKind the kind of channel, {@code mail} or {@code hook} (the part of its id before ':')
     * @param sent        whether the relay or hook took the notice; false means it is tried again later
     */
    void attempted(String channelKind, boolean sent);
}
