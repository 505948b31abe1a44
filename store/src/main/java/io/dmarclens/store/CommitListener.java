package io.dmarclens.store;

/** Told after each commit of a store (see {@link Store#addCommitListener}); later features such as alerts subscribe. */
@FunctionalInterface
public interface CommitListener {
    /** Called after {@code commit} is durable in the store's own terms; runs on the committing thread. */
    void committed(StoreCommit commit);
}
