package io.dmarclens.store;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;

/**
 * A stored aggregate record with what is needed to classify it again, handed to the classifier of
 * {@link io.dmarclens.store.Store#reclassify}.
 *
 * @param recordId  the record's database id
 * @param reporter  the reporting organisation
 * @param policy    the policy the report published
 * @param record    the record as the reporter wrote it (index = position in its report)
 * @param sender    the sender as now stored for the record's source IP
 * @param current   the enrichment stored now
 */
public record StoredRecordFacts(long recordId, String reporter, PolicyPublished policy, AggregateRecord record,
                                SenderInfo sender, RecordEnrichment current) {
}
