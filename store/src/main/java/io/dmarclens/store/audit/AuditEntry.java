package io.dmarclens.store.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log: who did what to what, when, from where.
 *
 * @param at      when it happened
 * @param user    the user who acted (the name typed at a failed login; {@code cli} for the command line)
 * @param action  what was done, one of the {@code AuditAction} names ({@code login.failed}, {@code reveal}...)
 * @param subject what it was done to ({@code failure report 12}, {@code user bob}, a path), may be empty
 * @param address the client address, or {@code local} for the command line
 */
public record AuditEntry(Instant at, String user, String action, String subject, String address) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(address, "address");
    }
}
