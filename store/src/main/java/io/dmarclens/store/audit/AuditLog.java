package io.dmarclens.store.audit;

import java.util.List;

/**
 * The append-only record of what users did (#12): logins, user changes, tokens, reveals of personal data,
 * exports, downloads and quarantine actions. There is deliberately no way to change or remove an entry.
 *
 * <p>Every method throws {@link io.dmarclens.store.StoreException} when the log cannot be read or written.
 */
public interface AuditLog extends AutoCloseable {
    /** Appends one entry. */
    void append(AuditEntry entry);

    /** The entries matching {@code query}, newest first. */
    List<AuditEntry> find(AuditQuery query);

    @Override
    void close();
}
