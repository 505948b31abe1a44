/** The append-only audit log of what users did ({@link io.dmarclens.store.audit.AuditLog}). */
package io.dmarclens.store.audit;
