package io.dmarclens.posture;

import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceQueries;
import io.dmarclens.store.query.SourceStats;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@link PostureData} read from the store: selectors from raw records, volumes from the rollups. */
public final class StorePostureData implements PostureData {
    private final SourceQueries queries;
    private final boolean excludeUnverified;

    public StorePostureData(SourceQueries queries) {
        this(queries, false);
    }

    /**
     * @param excludeUnverified leave reports of unverified origin out of the volumes, as the dashboard's
     *                          figures do when {@code reports.exclude_unverified} is set
     */
    public StorePostureData(SourceQueries queries, boolean excludeUnverified) {
        this.queries = queries;
        this.excludeUnverified = excludeUnverified;
    }

    @Override
    public Set<String> dkimSelectors(String domain, LocalDate from, LocalDate to) {
        return queries.dkimSelectors(domain, new ReportFilter(from, to, Set.of(), Set.of()));
    }

    @Override
    public List<SourceVolume> sources(String domain, LocalDate from, LocalDate to) {
        List<SourceVolume> volumes = new ArrayList<>();
        queries.allSources(new ReportFilter(from, to, Set.of(domain), Set.of()).excludingUnverified(excludeUnverified),
                s -> volumes.add(volume(s)));
        return volumes;
    }

    private static SourceVolume volume(SourceStats s) {
        String name = s.senderName() != null ? s.senderName() : s.reverseDns();
        return new SourceVolume(s.ip(), name, s.classification(), s.classificationReason(), s.messages(), s.dmarcPass(),
                s.dkimAligned(), s.spfAligned());
    }
}
