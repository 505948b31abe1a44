package io.dmarclens.store;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clock every test and the code under test read: it is the real time moved by {@value Clocks#SHIFT_PROPERTY},
 * so the CI run with {@code -Ddmarclens.clock.shift=P1000D} really runs 1,000 days ahead.
 */
class ClocksTest {
    @Test
    void systemClockIsTheRealTimeMovedByTheShiftProperty() {
        String property = System.getProperty(Clocks.SHIFT_PROPERTY, "").trim();
        Duration expected = property.isEmpty() ? Duration.ZERO : Duration.parse(property);
        assertEquals(expected, Clocks.shift());

        // The real time, read here only to measure the shift (main code never reads it but through Clocks).
        long before = Clock.systemUTC().millis();
        Clock shifted = Clocks.system();
        long read = shifted.millis();
        long after = Clock.systemUTC().millis();
        assertTrue(read >= before + expected.toMillis() && read <= after + expected.toMillis(),
                "Clocks.system() read " + shifted.instant() + ", expected the real time moved by " + expected);
        assertEquals(ZoneOffset.UTC, shifted.getZone());
    }
}
