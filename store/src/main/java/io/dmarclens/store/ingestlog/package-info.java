/**
 * The ingest log ({@link io.dmarclens.store.ingestlog.IngestLog}) and the values it records: messages
 * accepted into the inbox, where they came from, and what became of them.
 */
package io.dmarclens.store.ingestlog;
