package io.dmarclens.store.query;

import java.math.BigInteger;

/**
 * Spreads a report's message counts over the UTC days its date range covers, so that daily rollups
 * of multi-day reports still sum exactly to the report's counts.
 *
 * <p>The range is read as {@code [begin, end)}; each day is weighted by the seconds of the range that
 * fall on it. A count is split by the largest-remainder method: every day gets
 * {@code floor(count * weight / total)}, and the messages left over go one each to the days with the
 * largest remainders, earlier days first on ties. The result depends only on the range and the count,
 * so the same record always lands on the same days. Ranges longer than {@value #MAX_DAYS} days (never
 * seen from a real reporter) are cut to their first {@value #MAX_DAYS} days.
 *
 * <p>Every store splits with this one class: the stores' daily figures must agree to the message.
 */
public final class DaySplit {
    /** The most days one report is spread over. */
    public static final int MAX_DAYS = 31;
    private static final long DAY = 86_400;

    private final long firstDay;
    private final long[] weights;
    private final long totalWeight;

    private DaySplit(long firstDay, long[] weights) {
        this.firstDay = firstDay;
        this.weights = weights;
        long t = 0;
        for (long w : weights) {
            t += w;
        }
        this.totalWeight = t;
    }

    /** The split for a range in epoch seconds. */
    public static DaySplit of(long begin, long end) {
        long first = Math.floorDiv(begin, DAY);
        if (end <= begin) {
            return new DaySplit(first, new long[]{1});
        }
        long last = Math.floorDiv(end - 1, DAY);
        int days = (int) Math.min(MAX_DAYS, last - first + 1);
        long[] w = new long[days];
        for (int i = 0; i < days; i++) {
            long dayStart = (first + i) * DAY;
            w[i] = Math.min(end, dayStart + DAY) - Math.max(begin, dayStart);
        }
        return new DaySplit(first, w);
    }

    /** Epoch day of the first day. */
    public long firstDay() {
        return firstDay;
    }

    /** Number of days covered. */
    public int days() {
        return weights.length;
    }

    /** The count on each day, from {@link #firstDay()} on; sums exactly to {@code count}. */
    public long[] apply(long count) {
        int n = weights.length;
        long[] out = new long[n];
        if (n == 1) {
            out[0] = count;
            return out;
        }
        long[] remainder = new long[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            long base;
            long rem;
            try {
                long product = Math.multiplyExact(count, weights[i]);
                base = product / totalWeight;
                rem = product % totalWeight;
            } catch (ArithmeticException overflow) {
                BigInteger[] qr = BigInteger.valueOf(count).multiply(BigInteger.valueOf(weights[i]))
                        .divideAndRemainder(BigInteger.valueOf(totalWeight));
                base = qr[0].longValueExact();
                rem = qr[1].longValueExact();
            }
            out[i] = base;
            remainder[i] = rem;
            assigned += base;
        }
        long left = count - assigned;
        while (left > 0) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            out[best]++;
            remainder[best] = -1;
            left--;
        }
        return out;
    }
}
