package io.dmarclens.store.query;

import java.time.LocalDate;

/** The first and last UTC day holding any messages. */
public record DateSpan(LocalDate first, LocalDate last) {
}
