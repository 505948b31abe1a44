package io.dmarclens.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the Ingest page needs from the ingest side: the ingest log, the quarantine and a way to hand in
 * an uploaded file. {@code serve} adapts the durable inbox, quarantine and ingest log to it.
 */
public interface IngestConsole {

    /** The newest ingest log entries first. */
    List<LogEntry> log(int offset, int limit) throws IOException;

    long logSize() throws IOException;

    /** Files that could not be read, newest first. */
    List<Quarantined> quarantine() throws IOException;

    /**
     * Quarantined files dropped, oldest first, to keep the quarantine within its size and age bounds,
     * ever; 0 where there is no bound.
     */
    default long droppedFromQuarantine() throws IOException {
        return 0;
    }

    /** The bytes of a quarantined file, empty when there is no such entry. */
    Optional<InputStream> openQuarantined(String id) throws IOException;

    /**
     * Runs a quarantined file through the pipeline again; returns what happened in words, or empty when the
     * quarantine holds no message with this id (never held, deleted, dropped to keep within its bounds).
     */
    Optional<String> retry(String id) throws IOException;

    /**
     * Accepts an uploaded report file or mail into the durable inbox; returns an identifier of the
     * accepted item. The pipeline picks it up from there as for any received mail.
     */
    String accept(String user, String fileName, InputStream data) throws IOException;

    /**
     * Why received mail cannot be processed now (an inbox directory not writable, an inbox worker not
     * running, the store failing), in words, or empty when it can. {@code /ready} answers 503 with it.
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** The nodes of the cluster by their last heartbeats (none when the store has no node registry). */
    default NodeView nodes() {
        return NodeView.NONE;
    }

    /** The retention policy and its last run, for the Ingest page (empty: the page says nothing of it). */
    default Optional<RetentionView> retention() {
        return Optional.empty();
    }

    /**
     * Retention as the Ingest page shows it: the policy and the last run in the cluster.
     *
     * @param policy  the policy in words ({@code reports 400d, raw sources forever})
     * @param lastAt  when retention last ran, null before its first run
     * @param node    where it last ran: a node's name, or {@code command line}
     * @param removed what that run removed, in words
     */
    record RetentionView(String policy, Instant lastAt, String node, String removed) {
    }

    /**
     * The nodes of a cluster as the Ingest page shows them.
     *
     * @param nodes      every node by its last heartbeat, by name
     * @param now        the time the page compares heartbeats with
     * @param staleAfter how old a heartbeat may be before its node is marked stale
     * @param self       the name of the node answering
     */
    record NodeView(List<io.dmarclens.store.cluster.NodeStatus> nodes, Instant now, java.time.Duration staleAfter,
                    String self) {
        /** No registry: the page shows no node list. */
        public static final NodeView NONE = new NodeView(List.of(), Instant.EPOCH, java.time.Duration.ZERO, "");

        public NodeView {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * One line of the ingest log.
     *
     * @param at      when
     * @param origin  smtp, imap, upload, import
     * @param name    file or message name
     * @param outcome stored, duplicate, quarantined, ...
     * @param detail  counts or the error, in words (a partial report: where and why it stops)
     * @param partial reports of the message stored as partial (cut off before their end)
     * @param node    the node that received it (empty before nodes had names)
     */
    record LogEntry(Instant at, String origin, String name, String outcome, String detail, int partial, String node) {
    }

    /**
     * One quarantined file.
     *
     * @param id     identifier for download and retry
     * @param at     when it was quarantined
     * @param origin where it came from
     * @param name   its name
     * @param reason what is wrong and where
     * @param size   bytes
     * @param node   the node that received it (empty before nodes had names)
     */
    record Quarantined(String id, Instant at, String origin, String name, String reason, long size, String node) {
    }
}
