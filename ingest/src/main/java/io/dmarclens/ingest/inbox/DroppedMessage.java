package io.dmarclens.ingest.inbox;

/**
 * A quarantined message dropped to keep the quarantine within its bounds, and why (which bound).
 *
 * @param id     the message's inbox id
 * @param reason which bound dropped it, in words for the ingest log
 */
public record DroppedMessage(String id, String reason) {
}
