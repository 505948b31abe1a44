package io.dmarclens.store.query;

import java.time.LocalDate;

/** Forwarded messages on one UTC day, and how many of them kept an aligned DKIM pass. */
public record DailyForwarding(LocalDate day, long messages, long dkimSurvived) {
}
