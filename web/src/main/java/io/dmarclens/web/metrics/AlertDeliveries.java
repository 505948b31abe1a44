package io.dmarclens.web.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;

/**
 * The counter of alert and digest deliveries, for the alerts' delivery to call: one call per attempt,
 * with its channel and how it went. The label takes four values whatever is passed ({@code email} for mail,
 * {@code webhook} for every hook format, {@code dashboard}, else {@code other}), so it stays small.
 */
public final class AlertDeliveries {
    /** How one delivery attempt went. */
    public enum Outcome {
        /** The relay or hook took it. */
        SENT,
        /** The attempt failed; it will be tried again. */
        FAILED,
        /** Given up after the last retry. */
        ABANDONED
    }

    static final Set<String> CHANNELS = Set.of("email", "webhook", "dashboard", "other");

    private final MeterRegistry registry;

    AlertDeliveries(MeterRegistry registry) {
        this.registry = registry;
        for (String channel : CHANNELS) {
            for (Outcome o : Outcome.values()) {
                counter(channel, o);
            }
        }
    }

    /** Counts one delivery attempt of an alert or digest. */
    public void record(String channel, Outcome outcome) {
        String c = channel == null ? "other" : switch (channel.toLowerCase(Locale.ROOT)) {
            case "mail", "email", "smtp" -> "email";
            case "hook", "webhook", "slack", "teams", "mattermost" -> "webhook";
            case "dashboard" -> "dashboard";
            default -> "other";
        };
        counter(c, outcome).increment();
    }

    private Counter counter(String channel, Outcome outcome) {
        return Counter.builder("dmarclens.alert.deliveries")
                .description("Delivery attempts of alerts and digests, by channel and outcome")
                .tag("channel", channel).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
