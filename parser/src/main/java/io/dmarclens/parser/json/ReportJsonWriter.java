package io.dmarclens.parser.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.failure.OriginalMessage;
import io.dmarclens.parser.tlsrpt.TlsFailureDetail;
import io.dmarclens.parser.tlsrpt.TlsPolicyResult;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes every report it receives as one JSON object per line (or pretty-printed, one object after
 * another), field names in snake_case after the report's own element names. Aggregate records are
 * written as they arrive, never all held.
 *
 * <p>An aggregate report that is aborted half-way ({@link #abortAggregate}) must leave no trace, so each
 * aggregate object is written to a spool (memory up to 1 MiB, then a temporary file) and copied to the
 * output only when the report ends; an aborted report's spool is dropped, and the reason is printed as an
 * error line by whoever reports the unreadable part ({@link #unreadable} or {@link #error}). Every line
 * of the output is therefore a complete JSON object for a complete report, or an error line.
 *
 * <p>Every aggregate, failure and TLS object carries {@code "partial"}: true when the input stopped before the
 * report's end, with {@code "partial_reason"} (where and why); such a report is followed by an error line
 * for its source starting {@code "partial report: "}.
 *
 * <p>Error lines: <code>{"source": {"file": ..., "part": ...}, "error": "..."}</code>.
 */
public final class ReportJsonWriter implements ReportHandler, AutoCloseable {
    private static final int SPOOL_IN_MEMORY = 1 << 20;

    private final Writer out;
    private final boolean pretty;
    private final int spoolInMemory;
    private final JsonFactory factory = new JsonFactory();
    private CharSpool spool;
    private JsonGenerator aggregate;
    private ReportSource aggregateSource;

    /** @param pretty indent the objects (then one object spans several lines) */
    public ReportJsonWriter(Writer out, boolean pretty) {
        this(out, pretty, SPOOL_IN_MEMORY);
    }

    ReportJsonWriter(Writer out, boolean pretty, int spoolInMemory) {
        this.out = Objects.requireNonNull(out, "out");
        this.pretty = pretty;
        this.spoolInMemory = spoolInMemory;
        factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void beginAggregate(AggregateHeader header) {
        dropAggregate();
        try {
            spool = new CharSpool(spoolInMemory);
            aggregate = generator(spool);
            aggregateSource = header.source();
            JsonGenerator g = aggregate;
            g.writeStartObject();
            writeSource(g, header.source());
            g.writeStringField("type", "aggregate");
            ReportMetadata m = header.metadata();
            writeString(g, "version", header.version());
            writeString(g, "namespace", header.namespace());
            writeString(g, "org_name", m.orgName());
            writeString(g, "org_email", m.email());
            writeString(g, "extra_contact_info", m.extraContactInfo());
            writeString(g, "report_id", m.reportId());
            PolicyPublished p = header.policy();
            writeString(g, "policy_domain", p.domain());
            if (m.dateRange() != null) {
                g.writeNumberField("begin", m.dateRange().begin());
                g.writeNumberField("end", m.dateRange().end());
            }
            writeString(g, "generator", m.generator());
            writeStrings(g, "errors", m.errors());
            g.writeObjectFieldStart("policy");
            writeString(g, "p", p.p() == null ? null : p.p().token());
            writeString(g, "sp", p.sp() == null ? null : p.sp().token());
            writeString(g, "np", p.np() == null ? null : p.np().token());
            writeString(g, "adkim", p.adkim() == null ? null : p.adkim().token());
            writeString(g, "aspf", p.aspf() == null ? null : p.aspf().token());
            if (p.pct() != null) {
                g.writeNumberField("pct", p.pct());
            } else {
                g.writeNullField("pct");
            }
            writeString(g, "fo", p.fo());
            writeString(g, "testing", p.testing());
            writeString(g, "discovery_method", p.discoveryMethod());
            g.writeEndObject();
            g.writeArrayFieldStart("records");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void record(AggregateRecord r) {
        if (aggregate == null) {
            return;
        }
        JsonGenerator g = aggregate;
        try {
            g.writeStartObject();
            writeString(g, "source_ip", r.sourceIp());
            g.writeNumberField("count", r.count());
            writeString(g, "disposition", r.disposition() == null ? null : r.disposition().token());
            writeString(g, "dkim", r.dkim() == null ? null : r.dkim().token());
            writeString(g, "spf", r.spf() == null ? null : r.spf().token());
            g.writeArrayFieldStart("reasons");
            for (PolicyOverrideReason reason : r.reasons()) {
                g.writeStartObject();
                writeString(g, "type", reason.type() == null ? null : reason.type().token());
                writeString(g, "raw_type", reason.rawType());
                writeString(g, "comment", reason.comment());
                g.writeEndObject();
            }
            g.writeEndArray();
            writeString(g, "header_from", r.headerFrom());
            writeString(g, "envelope_from", r.envelopeFrom());
            writeString(g, "envelope_to", r.envelopeTo());
            g.writeArrayFieldStart("dkim_results");
            for (DkimAuthResult d : r.dkimResults()) {
                g.writeStartObject();
                writeString(g, "domain", d.domain());
                writeString(g, "selector", d.selector());
                writeString(g, "result", d.result() == null ? null : d.result().token());
                writeString(g, "raw_result", d.rawResult());
                writeString(g, "human_result", d.humanResult());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("spf_results");
            for (SpfAuthResult s : r.spfResults()) {
                g.writeStartObject();
                writeString(g, "domain", s.domain());
                writeString(g, "scope", s.scope());
                writeString(g, "result", s.result() == null ? null : s.result().token());
                writeString(g, "raw_result", s.rawResult());
                writeString(g, "human_result", s.humanResult());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        endAggregate(warnings, null);
    }

    /**
     * Writes the report as far as it could be read, marked {@code "partial": true} with the reason, then
     * an error line for its source that says where it stops and why: a cut-off input is never printed as
     * a clean one.
     */
    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        endAggregate(warnings, Objects.requireNonNull(truncation, "truncation"));
    }

    private void endAggregate(List<ParseWarning> warnings, Truncation truncation) {
        if (aggregate == null) {
            return;
        }
        ReportSource source = aggregateSource;
        try {
            JsonGenerator g = aggregate;
            g.writeEndArray();
            writeWarnings(g, warnings);
            writePartial(g, truncation);
            g.writeEndObject();
            g.close();
            spool.copyTo(out);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            dropAggregate();
        }
        if (truncation != null) {
            partialError(source, truncation);
        }
    }

    private static void writePartial(JsonGenerator g, Truncation truncation) throws IOException {
        g.writeBooleanField("partial", truncation != null);
        if (truncation != null) {
            g.writeStringField("partial_reason", truncation.reason());
        }
    }

    private void partialError(ReportSource source, Truncation truncation) {
        error(source, "partial report: " + truncation.reason());
    }

    /** Drops what was written of the report; the error itself is printed by whoever reports it. */
    @Override
    public void abortAggregate(String reason) {
        dropAggregate();
    }

    @Override
    public void failure(FailureReport f) {
        writeLine(g -> {
            g.writeStartObject();
            writeSource(g, f.source());
            g.writeStringField("type", "failure");
            writeString(g, "format", f.format());
            writeString(g, "feedback_type", f.feedbackType());
            writeString(g, "user_agent", f.userAgent());
            writeString(g, "version", f.version());
            writeString(g, "arrival_date", f.arrivalDate() == null ? null : f.arrivalDate().toString());
            writeString(g, "source_ip", f.sourceIp());
            writeString(g, "reporting_mta", f.reportingMta());
            writeString(g, "original_mail_from", f.originalMailFrom());
            writeStrings(g, "original_rcpt_to", f.originalRcptTo());
            writeStrings(g, "reported_domain", f.reportedDomain());
            writeStrings(g, "auth_failure", f.authFailure());
            writeStrings(g, "identity_alignment", f.identityAlignment());
            writeString(g, "delivery_result", f.deliveryResult());
            writeString(g, "dkim_domain", f.dkimDomain());
            writeString(g, "dkim_selector", f.dkimSelector());
            writeString(g, "dkim_identity", f.dkimIdentity());
            writeString(g, "spf_dns", f.spfDns());
            writeStrings(g, "authentication_results", f.authenticationResults());
            g.writeNumberField("incidents", f.incidents());
            g.writeObjectFieldStart("fields");
            for (Map.Entry<String, List<String>> field : f.fields().entrySet()) {
                writeStrings(g, field.getKey(), field.getValue());
            }
            g.writeEndObject();
            OriginalMessage o = f.original();
            if (o != null) {
                writeString(g, "original_from", o.from());
                writeString(g, "original_to", o.to());
                writeString(g, "original_subject", o.subject());
                writeString(g, "original_date", o.date());
                writeString(g, "original_message_id", o.messageId());
                g.writeArrayFieldStart("original_dkim_signatures");
                for (OriginalMessage.DkimSignatureRef sig : o.dkimSignatures()) {
                    g.writeStartObject();
                    writeString(g, "domain", sig.domain());
                    writeString(g, "selector", sig.selector());
                    g.writeEndObject();
                }
                g.writeEndArray();
                writeStrings(g, "original_authentication_results", o.authenticationResults());
                g.writeArrayFieldStart("original_headers");
                for (OriginalMessage.Header h : o.headers()) {
                    g.writeStartObject();
                    writeString(g, "name", h.name());
                    writeString(g, "value", h.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("sample_headers_only", o.headersOnly());
                g.writeNumberField("sample_body_bytes", o.bodyBytes());
            } else {
                g.writeNullField("original_headers");
                g.writeNullField("sample_headers_only");
            }
            writeString(g, "human_readable", f.humanReadable());
            writeWarnings(g, f.warnings());
            writePartial(g, f.truncation());
            g.writeEndObject();
        });
        if (f.partial()) {
            partialError(f.source(), f.truncation());
        }
    }

    @Override
    public void tls(TlsReport t) {
        writeLine(g -> {
            g.writeStartObject();
            writeSource(g, t.source());
            g.writeStringField("type", "tlsrpt");
            writeString(g, "organization_name", t.organizationName());
            g.writeObjectFieldStart("date_range");
            writeString(g, "start_datetime", instant(t.startDatetime()));
            writeString(g, "end_datetime", instant(t.endDatetime()));
            g.writeEndObject();
            writeString(g, "contact_info", t.contactInfo());
            writeString(g, "report_id", t.reportId());
            g.writeArrayFieldStart("policies");
            for (TlsPolicyResult p : t.policies()) {
                g.writeStartObject();
                g.writeObjectFieldStart("policy");
                writeString(g, "policy_type", p.policyType());
                writeStrings(g, "policy_string", p.policyString());
                writeString(g, "policy_domain", p.policyDomain());
                writeStrings(g, "mx_host", p.mxHost());
                g.writeEndObject();
                g.writeObjectFieldStart("summary");
                g.writeNumberField("total_successful_session_count", p.totalSuccessfulSessionCount());
                g.writeNumberField("total_failure_session_count", p.totalFailureSessionCount());
                g.writeEndObject();
                g.writeArrayFieldStart("failure_details");
                for (TlsFailureDetail d : p.failureDetails()) {
                    g.writeStartObject();
                    writeString(g, "result_type", d.resultType());
                    writeString(g, "sending_mta_ip", d.sendingMtaIp());
                    writeString(g, "receiving_mx_hostname", d.receivingMxHostname());
                    writeString(g, "receiving_mx_helo", d.receivingMxHelo());
                    writeString(g, "receiving_ip", d.receivingIp());
                    g.writeNumberField("failed_session_count", d.failedSessionCount());
                    writeString(g, "additional_information", d.additionalInformation());
                    writeString(g, "failure_reason_code", d.failureReasonCode());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            writeWarnings(g, t.warnings());
            writePartial(g, t.truncation());
            g.writeEndObject();
        });
        if (t.partial()) {
            partialError(t.source(), t.truncation());
        }
    }

    /** A part that could not be read, while others in the same input could: an error line. */
    @Override
    public void unreadable(ReportSource source, String reason) {
        error(source, reason);
    }

    /** Writes an error line for an input (or part) that gave no report. */
    public void error(ReportSource source, String message) {
        writeLine(g -> {
            g.writeStartObject();
            writeSource(g, source);
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    @Override
    public void close() throws IOException {
        dropAggregate();
        out.flush();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private void writeLine(Body body) {
        try {
            JsonGenerator g = generator(out);
            body.write(g);
            g.close();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonGenerator generator(Writer target) throws IOException {
        JsonGenerator g = factory.createGenerator(target);
        if (pretty) {
            g.useDefaultPrettyPrinter();
        }
        return g;
    }

    private void dropAggregate() {
        try {
            if (aggregate != null) {
                aggregate.close();
            }
            if (spool != null) {
                spool.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            aggregate = null;
            spool = null;
        }
    }

    private static void writeSource(JsonGenerator g, ReportSource source) throws IOException {
        g.writeObjectFieldStart("source");
        g.writeStringField("file", source == null ? "" : source.file());
        g.writeStringField("part", source == null ? "" : source.part());
        g.writeEndObject();
    }

    private static void writeWarnings(JsonGenerator g, List<ParseWarning> warnings) throws IOException {
        g.writeArrayFieldStart("warnings");
        for (ParseWarning w : warnings) {
            g.writeString(w.toString());
        }
        g.writeEndArray();
    }

    private static void writeString(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
