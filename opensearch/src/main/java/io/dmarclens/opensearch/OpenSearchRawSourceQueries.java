package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.RawSource;
import io.dmarclens.store.query.RawSourceQueries;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.query.ScopeResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** Raw sources as received: their document, and their bytes from the chunk documents in order. */
final class OpenSearchRawSourceQueries implements RawSourceQueries {
    private final Reads reads;
    private final ReportDocs docs;

    private final ScopeResolver scopes;

    OpenSearchRawSourceQueries(Reads reads, ReportDocs docs, ScopeResolver scopes) {
        this.scopes = scopes;
        this.reads = reads;
        this.docs = docs;
    }

    @Override
    public Optional<RawSource> rawSource(long id, DomainScope scope) {
        if (!inScope(id, scopes.resolve(scope))) {
            return Optional.empty();
        }
        JsonNode s = docs.one(Family.SOURCES, "source_id", id);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new RawSource(s.path("source_id").asLong(), Rows.text(s, "name"), Rows.text(s, "origin"),
                Rows.text(s, "sha256"), s.path("size").asLong(), Rows.seconds(s, "received_at"),
                s.path("available").asBoolean()));
    }

    /**
     * Whether a reader of this scope may have the raw source: every scope may when it is all; a limited one when
     * at least one report was stored from it and every report stored from it is in scope (the bytes hold them all).
     */
    private boolean inScope(long sourceId, ResolvedScope scope) {
        if (scope.isAll()) {
            return true;
        }
        boolean[] any = {false};
        boolean[] foreign = {false};
        ObjectNode reports = reads.visible(null);
        Reads.filters(reports).add(Dsl.term("source_ref", sourceId));
        reads.each(Family.REPORTS, reports, Order.sort("report_ref", "asc"), hit -> {
            any[0] = true;
            foreign[0] |= !scope.permitsAggregate(Rows.text(hit.path("_source"), "policy_domain"));
        });
        ObjectNode failures = reads.visible(null);
        Reads.filters(failures).add(Dsl.term("source_ref", sourceId));
        reads.each(Family.FAILURES, failures, Order.sort("failure_id", "asc"), hit -> {
            any[0] = true;
            foreign[0] |= !scope.permitsFailure(Rows.strings(hit.path("_source"), "reported_domain"));
        });
        ObjectNode tls = reads.visible(null);
        Reads.filters(tls).add(Dsl.term("source_ref", sourceId));
        reads.each(Family.TLS, tls, Order.sort("tls_ref", "asc"), hit -> {
            any[0] = true;
            foreign[0] |= !scope.permitsTlsReport(Rows.strings(hit.path("_source"), "policy_domains"));
        });
        return any[0] && !foreign[0];
    }

    @Override
    public boolean copyRawSource(long id, OutputStream out, DomainScope scope) {
        if (!inScope(id, scopes.resolve(scope))) {
            return false;
        }
        JsonNode s = docs.one(Family.SOURCES, "source_id", id);
        if (s == null || !s.path("available").asBoolean()) {
            return false;
        }
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ObjectNode query = reads.visible(null);
        Reads.filters(query).add(Dsl.term("source_ref", id));
        int[] chunks = {0};
        reads.each(Family.RAW, query, Order.sort("chunk", "asc"), hit -> {
            try {
                stored.write(hit.path("_source").path("data").binaryValue());
                chunks[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (chunks[0] == 0 && s.path("chunks").asInt(0) > 0) {
            return false;
        }
        try (InputStream in = "gzip".equals(Rows.text(s, "encoding"))
                ? new GZIPInputStream(new java.io.ByteArrayInputStream(stored.toByteArray()))
                : new java.io.ByteArrayInputStream(stored.toByteArray())) {
            in.transferTo(out);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy raw source " + id, e);
        }
    }
}
