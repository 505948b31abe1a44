package io.dmarclens.ingest.posture;

import io.dmarclens.index.query.ReportFilter;
import io.dmarclens.index.query.SourceStats;
import io.dmarclens.index.query.StoreQueries;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@link PostureData} read from the store: selectors from raw records, volumes from the rollups. */
public final class StorePostureData implements PostureData {
    private final StoreQueries queries;

    public StorePostureData(StoreQueries queries) {
        this.queries = queries;
    }

    @Override
    public Set<String> dkimSelectors(String domain, LocalDate from, LocalDate to) {
        return queries.dkimSelectors(domain, new ReportFilter(from, to, Set.of(), Set.of()));
    }

    @Override
    public List<SourceVolume> sources(String domain, LocalDate from, LocalDate to) {
        List<SourceVolume> volumes = new ArrayList<>();
        queries.allSources(new ReportFilter(from, to, Set.of(domain), Set.of()), s -> volumes.add(volume(s)));
        return volumes;
    }

    private static SourceVolume volume(SourceStats s) {
        String name = s.senderName() != null ? s.senderName() : s.reverseDns();
        return new SourceVolume(s.ip(), name, s.classification(), s.classificationReason(), s.messages(), s.dmarcPass(),
                s.dkimAligned(), s.spfAligned());
    }
}
