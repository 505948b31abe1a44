package io.dmarclens.store;

/** How far a {@link Store#reindex(ReindexProgress) reindex} has come, for a progress bar. */
@FunctionalInterface
public interface ReindexProgress {
    /** Tells nobody. */
    ReindexProgress NONE = (done, total, what) -> { };

    /**
     * @param done  units rebuilt so far (on a resumed reindex, counting what the interrupted run did)
     * @param total units to rebuild (may grow while reports keep arriving)
     * @param what  what a unit is, for the bar ("reports", "failure reports", ...)
     */
    void update(long done, long total, String what);
}
