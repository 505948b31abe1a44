package io.dmarclens.store.query;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaySplitTest {
    static final long DAY = 86_400;
    static final long T = 19_844 * DAY; // 2024-05-01

    @Test
    void oneDayReportsStayOnTheirDayWhetherTheEndIsInclusiveOrExclusive() {
        assertEquals(1, DaySplit.of(T, T + DAY - 1).days());
        assertEquals(1, DaySplit.of(T, T + DAY).days());
        assertEquals(19_844, DaySplit.of(T, T + DAY).firstDay());
        assertArrayEquals(new long[]{7}, DaySplit.of(T, T + DAY).apply(7));
    }

    @Test
    void threeEqualDaysSplitWithRemainderOnEarlierDays() {
        DaySplit s = DaySplit.of(T, T + 3 * DAY);
        assertEquals(3, s.days());
        assertArrayEquals(new long[]{4, 3, 3}, s.apply(10));
        assertArrayEquals(new long[]{1, 1, 0}, s.apply(2));
        assertArrayEquals(new long[]{0, 0, 0}, s.apply(0));
    }

    @Test
    void partialDaysWeighByTheirSeconds() {
        // 18h on the first day, 6h on the second: 3/4 and 1/4.
        DaySplit s = DaySplit.of(T + 6 * 3600, T + DAY + 6 * 3600);
        assertArrayEquals(new long[]{75, 25}, s.apply(100));
        assertArrayEquals(new long[]{1, 0}, s.apply(1));
    }

    @Test
    void sumsAreExactForRandomRangesAndCountsIncludingHugeOnes() {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            long begin = T + rnd.nextInt((int) (5 * DAY));
            long end = begin + rnd.nextInt((int) (9 * DAY));
            long count = i % 100 == 0 ? Long.MAX_VALUE / 3 - rnd.nextInt(1000) : rnd.nextInt(100_000);
            long[] split = DaySplit.of(begin, end).apply(count);
            long sum = 0;
            for (long v : split) {
                assertTrue(v >= 0);
                sum += v;
            }
            assertEquals(count, sum, "begin " + begin + " end " + end);
            assertArrayEquals(split, DaySplit.of(begin, end).apply(count), "deterministic");
        }
    }

    @Test
    void absurdRangesAreCutToMaxDays() {
        assertEquals(DaySplit.MAX_DAYS, DaySplit.of(T, T + 3650 * DAY).days());
        long sum = 0;
        for (long v : DaySplit.of(T, T + 3650 * DAY).apply(1_000_003)) {
            sum += v;
        }
        assertEquals(1_000_003, sum);
    }
}
