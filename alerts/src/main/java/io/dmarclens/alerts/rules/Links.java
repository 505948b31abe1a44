package io.dmarclens.alerts.rules;

import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** Links into the dashboard, filtered to a domain and a range of days (the pages' own query parameters). */
public final class Links {
    private Links() {
    }

    /** {@code range=custom&from=..&to=..&domain=..}: the dashboard's filter bar as a query. */
    public static String filter(String domain, LocalDate from, LocalDate to) {
        return "range=custom&from=" + from + "&to=" + to + "&domain=" + enc(domain);
    }

    public static DashboardLink page(String label, String path, String domain, LocalDate from, LocalDate to) {
        return new DashboardLink(label, path + "?" + filter(domain, from, to));
    }

    /** One source's page, filtered. */
    public static DashboardLink source(String ip, String domain, LocalDate from, LocalDate to) {
        return new DashboardLink("Source " + ip + " for " + domain + ", " + from + " to " + to,
                "/sources/" + enc(ip) + "?" + filter(domain, from, to));
    }

    /** A search, e.g. {@code domain:example.com class:threat}. */
    public static DashboardLink search(String label, String query) {
        return new DashboardLink(label, "/search?q=" + enc(query));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
