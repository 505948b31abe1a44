package io.dmarclens.posture;

import java.io.PrintWriter;
import java.util.Locale;

/** The human-readable form of a {@link PostureReport}, as {@code dmarc-lens check} prints it. */
public final class PostureText {

    public void print(PostureReport report, PrintWriter out) {
        out.println("== " + report.domain());
        PostureReport.Dmarc dmarc = report.dmarc();
        if (dmarc.records().isEmpty()) {
            out.println("DMARC   no record (" + String.join(", ", dmarc.psl().queried()) + ")");
        } else if (!dmarc.conflicting()) {
            out.println("DMARC   _dmarc." + dmarc.foundAt() + ": " + dmarc.record().raw());
            record(dmarc.record(), dmarc, 1, out);
            out.println("        (* = default)");
        } else {
            out.println("DMARC   _dmarc." + dmarc.foundAt() + ": " + dmarc.records().size()
                    + " records, receivers apply none of them");
            for (int i = 0; i < dmarc.records().size(); i++) {
                out.println("        record " + (i + 1) + ": " + dmarc.records().get(i).raw());
                record(dmarc.records().get(i), dmarc, i + 1, out);
            }
            out.println("        (* = default)");
        }
        SpfNode spf = report.spf().root();
        out.printf(Locale.ROOT, "SPF     %d of %d DNS lookups, %d void%n", spf.totalLookups(), SpfAnalyzer.MAX_LOOKUPS, spf.voidLookups());
        tree(spf, out, "        ");
        if (!report.dkim().isEmpty()) {
            out.println("DKIM");
            for (DkimKey key : report.dkim()) {
                String state = key.record() == null ? "no key published" : key.revoked() ? "revoked"
                        : key.keyType() + " " + key.keyBits() + " bits" + (key.testing() ? ", testing" : "");
                out.printf(Locale.ROOT, "        %-20s %s%s%n", key.selector(), state, key.seenInReports() ? "  (seen in reports)" : "");
            }
        }
        PostureReport.Mail mail = report.mail();
        out.println("MAIL    MX " + (mail.mx().isEmpty() ? "none" : String.join(", ", mail.mx()))
                + "; TLS-RPT " + (mail.tlsRpt() == null ? "no" : "yes") + "; MTA-STS " + (mail.mtaSts() == null ? "no" : "yes"));
        Readiness r = report.readiness();
        if (r != null) {
            out.printf(Locale.ROOT, "READY   %,d messages in %d days, %.1f%% DMARC compliant; policy %s%n", r.messages(), r.days(),
                    r.compliantShare() * 100, r.currentPolicy() == null ? "none published" : "p=" + r.currentPolicy());
            for (PostureData.SourceVolume s : r.atRisk()) {
                out.printf(Locale.ROOT, "        %-16s %-28s %-13s %,d failing%n", s.sourceIp(), s.name() == null ? "" : s.name(),
                        s.classification(), s.failing());
            }
            out.println("NEXT    " + r.nextStep());
            if (r.recordToPublish() != null) {
                out.println("        publish: _dmarc." + report.domain() + " TXT \"" + r.recordToPublish() + "\"");
            }
        }
        out.println("FINDINGS");
        for (Finding f : report.findings()) {
            out.printf(Locale.ROOT, "  %-7s %-30s %s%n", f.severity().name(), f.code(), f.message());
        }
        out.println();
    }

    /** The tags of record number {@code n} and the authorisation of its external destinations. */
    private static void record(DmarcRecord record, PostureReport.Dmarc dmarc, int n, PrintWriter out) {
        for (DmarcRecord.TagExplanation tag : record.tags()) {
            out.printf(Locale.ROOT, "        %-6s %-14s %s%n", tag.tag(), tag.value() == null ? "-" : tag.value()
                    + (tag.published() ? "" : "*"), tag.meaning());
        }
        for (ReportAuthorization a : dmarc.destinations()) {
            if (a.record() == n) {
                out.println("        " + a.tag() + " " + a.address() + ": " + (a.authorized() ? "authorised" : "NOT authorised")
                        + " (" + a.queryName() + ")");
            }
        }
    }

    private static void tree(SpfNode node, PrintWriter out, String indent) {
        String head = node.via().isEmpty() ? node.domain() : node.via();
        out.printf(Locale.ROOT, "%s%s [%d lookups, %d with includes]: %s%n", indent, head, node.lookups(), node.totalLookups(),
                node.record() == null ? "(no record)" : node.record());
        for (SpfNode child : node.children()) {
            tree(child, out, indent + "  ");
        }
    }
}
