package io.dmarclens.opensearch;

import io.dmarclens.store.retention.RetentionPolicy;
import io.dmarclens.store.retention.RetentionResult;
import java.time.Instant;

/** Deletes what a retention policy says is too old. */
interface Retention {
    RetentionResult apply(RetentionPolicy policy, Instant now);
}
