package io.dmarclens.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The stable JSON form of a {@link PostureReport} ({@code check --json}, the dashboard's API), written
 * field by field so that refactoring the model never changes it. Documented in docs/posture.md.
 */
public final class PostureJson {
    private final ObjectMapper mapper;

    public PostureJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode toJson(PostureReport report) {
        ObjectNode root = mapper.createObjectNode();
        root.put("domain", report.domain());
        root.put("checked_at", report.checkedAt().toString());
        List<Finding> findings = report.findings();
        ObjectNode summary = root.putObject("summary");
        for (Finding.Severity severity : Finding.Severity.values()) {
            summary.put(severity.token(), findings.stream().filter(f -> f.severity() == severity).count());
        }
        findings(root.putArray("findings"), findings);
        root.set("dmarc", dmarc(report.dmarc()));
        ObjectNode spf = root.putObject("spf");
        SpfNode tree = report.spf().root();
        spf.put("lookups", tree.totalLookups());
        spf.put("lookup_limit", SpfAnalyzer.MAX_LOOKUPS);
        spf.put("void_lookups", tree.voidLookups());
        spf.put("void_lookup_limit", SpfAnalyzer.MAX_VOID_LOOKUPS);
        spf.set("tree", spfNode(tree));
        ArrayNode dkim = root.putArray("dkim");
        report.dkim().forEach(k -> dkim.add(dkim(k)));
        ObjectNode mail = root.putObject("mail");
        strings(mail.putArray("mx"), report.mail().mx());
        mail.put("tls_rpt", report.mail().tlsRpt());
        mail.put("mta_sts", report.mail().mtaSts());
        root.set("readiness", report.readiness() == null ? mapper.nullNode() : readiness(report.readiness()));
        return root;
    }

    private JsonNode dmarc(PostureReport.Dmarc dmarc) {
        ObjectNode node = mapper.createObjectNode();
        ObjectNode discovery = node.putObject("discovery");
        discovery.set("psl", discovery(dmarc.psl()));
        discovery.set("treewalk", discovery(dmarc.treeWalk()));
        // "record" is the one receivers apply (null when none or several are published); "records" lists all
        DmarcRecord applied = dmarc.record();
        if (applied == null) {
            node.putNull("record");
        } else {
            node.set("record", record(applied, dmarc.destinations(), 1));
        }
        ArrayNode records = node.putArray("records");
        for (int i = 0; i < dmarc.records().size(); i++) {
            records.add(record(dmarc.records().get(i), dmarc.destinations(), i + 1));
        }
        node.put("applied_by_receivers", applied != null);
        ArrayNode external = node.putArray("external_destinations");
        dmarc.destinations().forEach(a -> external.add(destination(a)));
        return node;
    }

    private ObjectNode record(DmarcRecord record, List<ReportAuthorization> destinations, int n) {
        ObjectNode r = mapper.createObjectNode();
        r.put("raw", record.raw());
        ArrayNode tags = r.putArray("tags");
        for (DmarcRecord.TagExplanation tag : record.tags()) {
            tags.addObject().put("tag", tag.tag()).put("value", tag.value()).put("published", tag.published())
                    .put("meaning", tag.meaning());
        }
        uris(r.putArray("rua"), record.rua());
        uris(r.putArray("ruf"), record.ruf());
        ArrayNode external = r.putArray("external_destinations");
        destinations.stream().filter(a -> a.record() == n).forEach(a -> external.add(destination(a)));
        return r;
    }

    private ObjectNode destination(ReportAuthorization a) {
        ObjectNode d = mapper.createObjectNode().put("record", a.record()).put("tag", a.tag()).put("address", a.address())
                .put("host", a.host()).put("query", a.queryName()).put("authorized", a.authorized());
        strings(d.putArray("records"), a.records());
        return d;
    }

    private JsonNode discovery(DmarcDiscovery.Result result) {
        ObjectNode node = mapper.createObjectNode();
        strings(node.putArray("queried"), result.queried());
        node.put("found_at", result.foundAt());
        strings(node.putArray("records"), result.records());
        node.put("dns_error", result.failure() == null ? null : result.failure().describe());
        return node;
    }

    private void uris(ArrayNode array, List<DmarcRecord.ReportUri> uris) {
        for (DmarcRecord.ReportUri uri : uris) {
            array.addObject().put("uri", uri.uri()).put("address", uri.address()).put("host", uri.host())
                    .put("size_limit", uri.sizeLimit());
        }
    }

    private JsonNode spfNode(SpfNode spf) {
        ObjectNode node = mapper.createObjectNode();
        node.put("domain", spf.domain());
        node.put("via", spf.via());
        node.put("record", spf.record());
        node.put("lookups", spf.lookups());
        node.put("total_lookups", spf.totalLookups());
        node.put("void_lookups", spf.voidLookups());
        ArrayNode terms = node.putArray("terms");
        for (SpfTerm term : spf.terms()) {
            terms.addObject().put("raw", term.raw()).put("qualifier", term.qualifier()).put("name", term.name())
                    .put("value", term.value()).put("modifier", term.modifier()).put("dns_lookup", term.dnsLookup());
        }
        ArrayNode children = node.putArray("children");
        spf.children().forEach(c -> children.add(spfNode(c)));
        return node;
    }

    private JsonNode dkim(DkimKey key) {
        ObjectNode node = mapper.createObjectNode();
        node.put("selector", key.selector());
        node.put("domain", key.domain());
        node.put("query", key.queryName());
        node.put("record", key.record());
        node.put("key_type", key.keyType());
        node.put("key_bits", key.keyBits());
        node.put("revoked", key.revoked());
        node.put("testing", key.testing());
        node.put("seen_in_reports", key.seenInReports());
        ObjectNode tags = node.putObject("tags");
        key.tags().forEach(tags::put);
        return node;
    }

    private JsonNode readiness(Readiness r) {
        ObjectNode node = mapper.createObjectNode();
        node.put("days", r.days());
        node.put("messages", r.messages());
        node.put("compliant", r.compliant());
        node.put("compliant_share", r.compliantShare());
        node.put("current_policy", r.currentPolicy());
        node.put("next_step", r.nextStep());
        node.put("record_to_publish", r.recordToPublish());
        ArrayNode atRisk = node.putArray("at_risk");
        for (PostureData.SourceVolume s : r.atRisk()) {
            atRisk.addObject().put("source_ip", s.sourceIp()).put("name", s.name())
                    .put("classification", s.classification()).put("reason", s.reason()).put("messages", s.messages())
                    .put("failing", s.failing()).put("dkim_aligned", s.dkimAligned()).put("spf_aligned", s.spfAligned());
        }
        return node;
    }

    private static void findings(ArrayNode array, List<Finding> findings) {
        for (Finding f : findings) {
            array.addObject().put("severity", f.severity().token()).put("code", f.code()).put("message", f.message());
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
