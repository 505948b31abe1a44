package io.dmarclens.store;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The one place in DMARC Lens that reads the system clock. Everything that asks "what time is it" takes a
 * {@link Clock} in its constructor; {@code app} passes {@link #system()} and tests pass a fixed clock or
 * {@link #system()} too. A build rule forbids reading the system clock anywhere else.
 *
 * <p>The system property {@value #SHIFT_PROPERTY} (an ISO-8601 duration such as {@code P1000D}) moves the
 * clock: CI runs the whole suite a second time with the clock 1,000 days ahead, so that no test depends on
 * the date it runs on.
 */
public final class Clocks {
    /** System property with an ISO-8601 duration added to the system clock, for tests run "in the future". */
    public static final String SHIFT_PROPERTY = "dmarclens.clock.shift";

    private Clocks() {
    }

    /** The UTC system clock, moved by {@value #SHIFT_PROPERTY} when that is set. */
    public static Clock system() {
        Duration shift = shift();
        return shift.isZero() ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), shift);
    }

    /**
     * The system clock as third-party libraries read it (never shifted), only to turn the absolute times they
     * hand back (a token's expiry) into durations; what time it is for DMARC Lens is {@link #system()}'s.
     */
    public static Clock libraries() {
        return Clock.systemUTC();
    }

    /** The shift set by {@value #SHIFT_PROPERTY}, zero when unset. */
    public static Duration shift() {
        String value = System.getProperty(SHIFT_PROPERTY, "").trim();
        if (value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(SHIFT_PROPERTY + " must be an ISO-8601 duration such as P1000D, not '"
                    + value + "'", e);
        }
    }
}
