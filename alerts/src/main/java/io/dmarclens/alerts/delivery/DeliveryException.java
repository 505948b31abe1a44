package io.dmarclens.alerts.delivery;

/** A channel did not take a notice: the relay or hook is down, refused it, or answered too slowly. */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeliveryException(String message) {
        super(message);
    }
}
