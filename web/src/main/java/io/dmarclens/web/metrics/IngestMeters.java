package io.dmarclens.web.metrics;

import io.dmarclens.store.ingestlog.IngestStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The counters of messages, per channel ({@code smtp}, {@code imap}, {@code upload}, {@code file}) and
 * outcome. Every channel and outcome is registered at the start, at zero, so that a rate over them is
 * defined before the first message and a scrape always shows the same series.
 */
final class IngestMeters {
    static final List<String> CHANNELS = List.of("smtp", "imap", "upload", "file");

    private final MeterRegistry registry;
    private final Map<IngestStatus, String> outcomes = new EnumMap<>(IngestStatus.class);

    IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        for (IngestStatus s : List.of(IngestStatus.STORED, IngestStatus.DUPLICATE, IngestStatus.QUARANTINED)) {
            outcomes.put(s, s.name().toLowerCase(Locale.ROOT));
        }
        for (String channel : CHANNELS) {
            accepted(channel, 0);
            rejected(channel, 0);
            partial(channel, 0, 0);
            stored(channel, 0);
            outcomes.values().forEach(o -> processed(channel, o, 0));
        }
        dropped(0);
    }

    void accepted(String channel) {
        accepted(channel, 1);
    }

    void finished(String channel, IngestStatus status, int reports, int partialReports) {
        String outcome = outcomes.get(status);
        if (outcome != null) {
            processed(channel, outcome, 1);
        }
        stored(channel, reports);
        if (partialReports > 0) {
            partial(channel, 1, partialReports);
        }
    }

    void rejected(String channel) {
        rejected(channel, 1);
    }

    void dropped() {
        dropped(1);
    }

    private void accepted(String channel, double n) {
        Counter.builder("dmarclens.messages.accepted")
                .description("Messages accepted into the durable inbox")
                .tag("channel", channel).register(registry).increment(n);
    }

    private void processed(String channel, String outcome, double n) {
        Counter.builder("dmarclens.messages.processed")
                .description("Messages processed, by outcome: stored (a report newly stored), duplicate (every report"
                        + " stored before), quarantined (no readable report)")
                .tag("channel", channel).tag("outcome", outcome).register(registry).increment(n);
    }

    private void partial(String channel, double messages, double reports) {
        Counter.builder("dmarclens.messages.partial")
                .description("Messages with at least one report stored as partial (its input stopped before its end)")
                .tag("channel", channel).register(registry).increment(messages);
        Counter.builder("dmarclens.reports.partial")
                .description("Reports stored as partial")
                .tag("channel", channel).register(registry).increment(reports);
    }

    private void stored(String channel, double reports) {
        Counter.builder("dmarclens.reports.stored")
                .description("Reports of any kind (aggregate, failure, TLS) newly stored from messages")
                .tag("channel", channel).register(registry).increment(reports);
    }

    private void rejected(String channel, double n) {
        Counter.builder("dmarclens.messages.rejected")
                .description("Messages refused before they were accepted (too large, disk low, inbox not writable)")
                .tag("channel", channel).register(registry).increment(n);
    }

    private void dropped(double n) {
        Counter.builder("dmarclens.quarantine.dropped")
                .description("Quarantined messages dropped to keep the quarantine within its size and age bounds")
                .register(registry).increment(n);
    }
}
