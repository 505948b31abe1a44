package io.dmarclens.store;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit listeners of a store, told as {@link Store#addCommitListener} promises: in order, on the
 * committing thread, a listener that throws logged without failing the import or the other listeners.
 * Every store implementation keeps its listeners here, so that the promise is kept once.
 */
public final class CommitListeners {
    private static final Logger LOG = LoggerFactory.getLogger(CommitListeners.class);

    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener, told of every later commit. */
    public void add(CommitListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Tells every listener of one commit. */
    public void tell(StoreCommit commit) {
        for (CommitListener l : listeners) {
            try {
                l.committed(commit);
            } catch (RuntimeException e) {
                LOG.warn("a commit listener failed: {}", e.toString());
                LOG.debug("commit listener failure", e);
            }
        }
    }
}
