package io.dmarclens.alerts.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How much a count (the quarantine, the inbox backlog) grew over the last whole period, remembered in the
 * rules' memory as {@code at value growth}: the snapshot moves on once a period has passed, so the answer
 * holds for a whole period and clears after one without growth.
 */
final class GrowingCount {
    private GrowingCount() {
    }

    /** The growth over the last whole period (0 until one has passed). */
    static long growth(RuleMemory memory, String key, long value, Instant now, Duration period) {
        Optional<String> saved = memory.get(key).filter(x -> !x.isBlank());
        if (saved.isEmpty()) {
            memory.put(key, now.toEpochMilli() + " " + value + " 0");
            return 0;
        }
        String[] parts = saved.get().split(" ");
        Instant at = Instant.ofEpochMilli(Long.parseLong(parts[0]));
        if (at.plus(period).isAfter(now)) {
            return Long.parseLong(parts[2]);
        }
        long growth = value - Long.parseLong(parts[1]);
        memory.put(key, now.toEpochMilli() + " " + value + " " + growth);
        return growth;
    }
}
