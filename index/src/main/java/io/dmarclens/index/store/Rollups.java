package io.dmarclens.index.store;

import io.dmarclens.store.query.DaySplit;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Daily rollups of one report, aggregated in memory and written with one upsert per row, so that
 * dashboard queries never read raw records. Counts are split over the report's days per fine key
 * ({@link DaySplit}), and the coarse summary is the sum of those fine splits: both tables sum exactly
 * to the records, and a fine key's share can be taken back exactly when a source is re-classified.
 */
final class Rollups {
    /**
     * The fine rollup dimensions of one record. Absent values are empty strings. A class rather than a
     * record so that its hash, asked for at every record and again for every day and bucket it lands in,
     * is computed once.
     */
    static final class Key {
        private final String policyDomain;
        private final String headerFrom;
        private final String sourceIp;
        private final String reporter;
        private final String disposition;
        private final String dkim;
        private final String spf;
        private final boolean dkimAligned;
        private final boolean spfAligned;
        private final boolean dmarcPass;
        private final String classification;
        private final String reasons;
        /** From a report whose origin was checked and not verified ({@code Authenticity#unverified()}). */
        private final boolean unverified;
        private final int hash;

        Key(String policyDomain, String headerFrom, String sourceIp, String reporter, String disposition, String dkim,
            String spf, boolean dkimAligned, boolean spfAligned, boolean dmarcPass, String classification,
            String reasons, boolean unverified) {
            this.policyDomain = policyDomain;
            this.headerFrom = headerFrom;
            this.sourceIp = sourceIp;
            this.reporter = reporter;
            this.disposition = disposition;
            this.dkim = dkim;
            this.spf = spf;
            this.dkimAligned = dkimAligned;
            this.spfAligned = spfAligned;
            this.dmarcPass = dmarcPass;
            this.classification = classification;
            this.reasons = reasons;
            this.unverified = unverified;
            this.hash = Objects.hash(policyDomain, headerFrom, sourceIp, reporter, disposition, dkim, spf, dkimAligned,
                    spfAligned, dmarcPass, classification, reasons, unverified);
        }

        String policyDomain() {
            return policyDomain;
        }

        String headerFrom() {
            return headerFrom;
        }

        String sourceIp() {
            return sourceIp;
        }

        String reporter() {
            return reporter;
        }

        String disposition() {
            return disposition;
        }

        String dkim() {
            return dkim;
        }

        String spf() {
            return spf;
        }

        boolean dkimAligned() {
            return dkimAligned;
        }

        boolean spfAligned() {
            return spfAligned;
        }

        boolean dmarcPass() {
            return dmarcPass;
        }

        String classification() {
            return classification;
        }

        String reasons() {
            return reasons;
        }

        boolean unverified() {
            return unverified;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && dkimAligned == k.dkimAligned && spfAligned == k.spfAligned
                    && dmarcPass == k.dmarcPass && unverified == k.unverified && Objects.equals(sourceIp, k.sourceIp)
                    && Objects.equals(headerFrom, k.headerFrom) && Objects.equals(policyDomain, k.policyDomain)
                    && Objects.equals(reporter, k.reporter) && Objects.equals(disposition, k.disposition)
                    && Objects.equals(dkim, k.dkim) && Objects.equals(spf, k.spf)
                    && Objects.equals(classification, k.classification) && Objects.equals(reasons, k.reasons);
        }

        @Override
        public String toString() {
            return "Key[" + policyDomain + ", " + headerFrom + ", " + sourceIp + ", " + reporter + ", " + disposition
                    + ", " + dkim + ", " + spf + ", " + dkimAligned + ", " + spfAligned + ", " + dmarcPass + ", "
                    + classification + ", " + reasons + ", " + unverified + "]";
        }
    }

    private final Map<Key, long[]> counts = new HashMap<>();

    void add(Key key, long count) {
        counts.computeIfAbsent(key, k -> new long[1])[0] += count;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    void clear() {
        counts.clear();
    }

    /** Spreads the collected counts over the days of {@code split} into {@code into}. */
    void spread(DaySplit split, DailyRollups into) {
        for (Map.Entry<Key, long[]> e : counts.entrySet()) {
            long[] perDay = split.apply(e.getValue()[0]);
            for (int i = 0; i < perDay.length; i++) {
                into.add(split.firstDay() + i, e.getKey(), perDay[i]);
            }
        }
    }

    /**
     * Adds ({@code sign} 1) or takes back ({@code sign} -1) this report's counts, spread over its days
     * (see {@link DailyRollups#write}).
     */
    void write(Connection c, DaySplit split, int sign) throws SQLException {
        DailyRollups daily = new DailyRollups();
        spread(split, daily);
        daily.write(c, sign);
    }
}
