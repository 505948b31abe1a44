package io.dmarclens.alerts.delivery;

import io.dmarclens.store.alerts.Notice;

/**
 * The HTML document of a mail: an alert's fragment inside a table layout with inline styles (mail clients
 * drop style sheets and scripts), a digest's document as it is; links made absolute to the dashboard.
 */
final class MailHtml {
    private MailHtml() {
    }

    static String document(Notice n, String dashboardUrl) {
        String html = n.html();
        // Links in notices are paths into the dashboard; a mail needs the full address. The fragments are
        // written by NoticeWriter/DigestWriter with every value escaped, so href="/ only comes from them.
        String base = escape(dashboardUrl);
        html = html.replace("href=\"/", "href=\"" + base + "/");
        if (html.startsWith("<!DOCTYPE")) {
            return html;
        }
        html = html.replace("<h2>", "<h2 style=\"font-size:18px;margin:0 0 12px 0;color:#111827\">")
                .replace("<h3>", "<h3 style=\"font-size:15px;margin:16px 0 6px 0;color:#111827\">")
                .replace("<table>", "<table cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:14px\">")
                .replace("<th align=\"left\">", "<th align=\"left\" valign=\"top\" style=\"padding:4px 12px 4px 0;color:#4b5563;white-space:nowrap\">")
                .replace("<a href=", "<a style=\"color:#1d4ed8\" href=");
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + escape(n.subject()) + "</title></head>"
                + "<body style=\"margin:0;padding:16px;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;"
                + "color:#1f2937;font-size:14px;line-height:1.4\">"
                + "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:680px\">"
                + "<tr><td style=\"background:#ffffff;border:1px solid #d1d5db;padding:20px\">" + html + "</td></tr>"
                + "<tr><td style=\"padding:8px 4px;font-size:12px;color:#6b7280\">DMARC Lens &middot; <a style=\"color:#6b7280\" href=\""
                + base + "/alerts\">" + base + "/alerts</a></td></tr></table></body></html>";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
