package io.dmarclens.app.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.web.WebClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leak test of one reader of a limited scope (#12): over a server whose store holds many domains, it crawls
 * the dashboard from {@code /} with the reader's session and calls every API route of docs/api.md with the
 * reader's token, and collects every answer that names a foreign domain or a foreign source address, every
 * foreign object that does not answer 404, and every figure that differs from the same figure of a store
 * holding only the reader's own domains.
 *
 * <p>Static text may name a foreign domain by chance (the search help says {@code from:example.com}): a name
 * counts as leaked when an answer holds it more often than the same address answers on a server with an empty
 * store, which can only show static text.
 */
final class ScopeLeakCheck {
    static final int PER_KIND = 4;
    private static final Pattern API_ROUTE = Pattern.compile("^\\| `GET (/api/[^` ?]+)(?:\\?q=\\.\\.\\.)?` (\\(`\\.csv`\\))?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxPages;
    private final ScopeServer full;
    private final WebClient emptyRoot;
    private final WebClient referenceRoot;
    private final WebClient fullRoot;
    private final DomainScope scope;
    private final ForeignFacts facts;
    private final Map<String, Pattern> patterns;
    private final Map<String, String> baseline = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> kinds = new TreeSet<>();
    private int answers;

    ScopeLeakCheck(ScopeServer full, WebClient fullRoot, WebClient referenceRoot, WebClient emptyRoot, DomainScope scope,
                   int maxPages) {
        this.maxPages = maxPages;
        this.full = full;
        this.fullRoot = fullRoot;
        this.referenceRoot = referenceRoot;
        this.emptyRoot = emptyRoot;
        this.scope = scope;
        this.facts = ForeignFacts.of(full.store, scope);
        this.patterns = facts.patterns();
    }

    ForeignFacts facts() {
        return facts;
    }

    List<String> problems() {
        return problems;
    }

    /** The kinds of page the crawl reached. */
    Set<String> kinds() {
        return kinds;
    }

    int answers() {
        return answers;
    }

    /** Follows every link and GET form of the dashboard from {@code /}, bounded per kind of page. */
    void crawl(WebClient session, String who) throws Exception {
        Deque<String> next = new ArrayDeque<>(List.of("/"));
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Integer> perKind = new HashMap<>();
        int fetched = 0;
        while (!next.isEmpty() && fetched < maxPages) {
            String address = nextAddress(next, perKind);
            if (!seen.add(address)) {
                continue;
            }
            String kind = ScopeCrawler.kind(address);
            if (perKind.merge(kind, 1, Integer::sum) > PER_KIND) {
                continue;
            }
            fetched++;
            HttpResponse<String> r = session.get(address);
            inspect(who, address, r);
            if (r.statusCode() == 200) {
                kinds.add(kind);
                if (r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                    for (String n : ScopeCrawler.next(address, r.body())) {
                        if (!seen.contains(n)) {
                            next.add(n);
                        }
                    }
                }
            }
        }
    }

    /** The first waiting address of a kind not fetched yet, else the first waiting one: breadth before depth. */
    private static String nextAddress(Deque<String> waiting, Map<String, Integer> perKind) {
        for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
            String a = it.next();
            if (!perKind.containsKey(ScopeCrawler.kind(a))) {
                it.remove();
                return a;
            }
        }
        return waiting.poll();
    }

    /** Every GET route of docs/api.md (and its CSV twin) with the token, for its own objects and foreign ones. */
    void api(String token, String who) throws Exception {
        WebClient c = full.client();
        String auth = "Bearer " + token;
        String doc = Files.readString(repositoryRoot().resolve("docs").resolve("api.md"));
        List<String> routes = new ArrayList<>();
        for (String line : doc.split("\n")) {
            Matcher m = API_ROUTE.matcher(line);
            if (m.find()) {
                routes.add(m.group(1));
                if (m.group(2) != null) {
                    routes.add(m.group(1) + ".csv");
                }
            }
        }
        if (routes.size() < 30) {
            problems.add("docs/api.md lists only " + routes.size() + " GET routes: " + routes);
        }
        Map<String, List<String>> own = new TreeMap<>();
        Map<String, List<String>> foreign = new TreeMap<>();
        own.put("reports", strings(facts.ownReports()));
        foreign.put("reports", strings(facts.foreignReports()));
        own.put("failures", strings(facts.ownFailures()));
        foreign.put("failures", strings(facts.foreignFailures()));
        own.put("tls", strings(facts.ownTls()));
        foreign.put("tls", strings(facts.foreignTls()));
        own.put("sources", facts.ownIps());
        foreign.put("sources", new ArrayList<>(facts.foreignIps()));
        own.put("alerts", alertIds(c.get("/api/alerts", "Authorization", auth), true));
        foreign.put("alerts", alertIds(fullRoot.get("/api/alerts"), false));
        own.put("ingest", List.of());
        foreign.put("ingest", ids(fullRoot.get("/api/ingest/quarantine"), "id"));
        for (String route : routes) {
            if (!route.contains("{")) {
                if (route.startsWith("/api/search")) {
                    for (String q : ScopeCrawler.TYPED) {
                        tokenGet(c, auth, who, route + "?range=365&q=" + enc(q));
                    }
                    for (String d : first(new ArrayList<>(facts.foreignDomains()), 3)) {
                        // asking for a foreign domain by name finds nothing
                        expectNothing(who, route, tokenGet(c, auth, who, route + "?range=365&q=" + enc("domain:" + d)));
                    }
                } else {
                    tokenGet(c, auth, who, route + "?range=365");
                }
                continue;
            }
            String family = route.split("/")[2];
            for (String id : first(own.getOrDefault(family, List.of()), 2)) {
                tokenGet(c, auth, who, fill(route, id));
            }
            for (String id : first(foreign.getOrDefault(family, List.of()), 4)) {
                HttpResponse<String> r = tokenGet(c, auth, who, fill(route, id));
                expectNothing(who, fill(route, id), r);
            }
        }
    }

    /** The objects of foreign reports answer 404 on every page and route that shows one, to the session too. */
    void foreignObjects(WebClient session, String who) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (String id : first(strings(facts.foreignReports()), 5)) {
            addresses.addAll(List.of("/reports/" + id, "/api/reports/" + id, "/api/reports/" + id + "/records",
                    "/api/reports/" + id + "/records.csv", "/reports/" + id + "/original", "/api/reports/" + id + "/original"));
        }
        for (String id : first(strings(facts.foreignFailures()), 5)) {
            addresses.addAll(List.of("/failures/" + id, "/api/failures/" + id, "/failures/" + id + "/original"));
        }
        for (String id : first(strings(facts.foreignTls()), 5)) {
            addresses.addAll(List.of("/tls/" + id, "/api/tls/" + id, "/tls/" + id + "/original",
                    "/api/tls/" + id + "/policies/1/failures"));
        }
        for (String ip : first(new ArrayList<>(facts.foreignIps()), 5)) {
            addresses.addAll(List.of("/sources/" + enc(ip), "/api/sources/" + enc(ip)));
        }
        for (String id : alertIds(fullRoot.get("/api/alerts"), false)) {
            addresses.addAll(List.of("/alerts/" + id, "/api/alerts/" + id));
        }
        for (String id : ids(fullRoot.get("/api/ingest/quarantine"), "id")) {
            addresses.addAll(List.of("/ingest/quarantine/" + id, "/api/ingest/quarantine/" + id));
        }
        for (String a : addresses) {
            HttpResponse<String> r = session.get(a);
            inspect(who, a, r);
            if (r.statusCode() != 404) {
                problems.add(who + " " + a + ": " + r.statusCode() + " instead of 404");
            }
        }
    }

    /** A foreign domain named in the filters answers exactly as a domain that was never stored. */
    void foreignDomainAsUnknown(WebClient session, String who) throws Exception {
        String never = "never-stored.example";
        for (String d : first(new ArrayList<>(facts.foreignDomains()), 3)) {
            for (String path : List.of("/api/overview?range=365&domain=", "/api/sources?range=365&domain=",
                    "/api/reports?range=365&domain=", "/?range=365&domain=", "/api/domains/policy-history?range=365&domain=",
                    "/api/search?range=365&q=dmarc:fail&domain=", "/posture?domain=", "/api/alerts?domain=")) {
                HttpResponse<String> foreign = session.get(path + enc(d));
                HttpResponse<String> unknown = session.get(path + never);
                if (foreign.statusCode() != unknown.statusCode()
                        || !named(foreign.body(), d).equals(named(unknown.body(), never))) {
                    problems.add(who + " " + path + d + " answers otherwise than a domain never stored ("
                            + foreign.statusCode() + " vs " + unknown.statusCode() + ")");
                }
            }
        }
    }

    /** The answer with the whole name {@code domain} (not as part of a longer one) written as X. */
    private static String named(String body, String domain) {
        return Pattern.compile("(?<![A-Za-z0-9.-])" + Pattern.quote(domain) + "(?![A-Za-z0-9-]|\\.[A-Za-z0-9])")
                .matcher(body).replaceAll("X");
    }

    /** Figures the reader sees equal those of a store holding only the reader's domains. */
    void totals(WebClient session, String who) throws Exception {
        List<String> paths = new ArrayList<>();
        for (String range : List.of("range=30", "range=365")) {
            for (String p : List.of("/api/overview", "/api/charts/volume", "/api/charts/alignment",
                    "/api/charts/disposition", "/api/charts/classification", "/api/charts/top-failing",
                    "/api/charts/forwarding", "/api/sources", "/api/sources/failing", "/api/forwarding", "/api/domains",
                    "/api/domains/policy-history", "/api/reporters")) {
                paths.add(p + "?size=500&" + range);
            }
            for (String p : List.of("/api/reports.csv", "/api/records.csv", "/api/failures.csv", "/api/tls.csv",
                    "/api/tls/failures.csv", "/api/sources.csv")) {
                paths.add(p + "?" + range);
            }
        }
        paths.add("/api/reports?size=1&range=365");
        for (String p : paths) {
            HttpResponse<String> mine = session.get(p);
            HttpResponse<String> ref = referenceRoot.get(p);
            if (mine.statusCode() != 200 || ref.statusCode() != 200) {
                problems.add(who + " " + p + ": " + mine.statusCode() + " / reference " + ref.statusCode());
                continue;
            }
            if (p.contains(".csv")) {
                long a = mine.body().lines().count();
                long b = ref.body().lines().count();
                if (a != b) {
                    problems.add(who + " " + p + ": " + (a - 1) + " rows, a store of own domains only has " + (b - 1));
                }
            } else {
                JsonNode a = normal(JSON.readTree(mine.body()));
                JsonNode b = normal(JSON.readTree(ref.body()));
                if (!a.equals(b)) {
                    problems.add(who + " " + p + " differs from a store of own domains only:\n  " + a + "\n  " + b);
                }
            }
        }
    }

    private HttpResponse<String> tokenGet(WebClient c, String auth, String who, String address) throws Exception {
        HttpResponse<String> r = c.get(address, "Authorization", auth);
        inspect(who + " (token)", address, r);
        kinds.add("token " + ScopeCrawler.kind(address));
        return r;
    }

    private void expectNothing(String who, String address, HttpResponse<String> r) throws IOException {
        if (r.statusCode() == 404) {
            return;
        }
        if (r.statusCode() != 200) {
            problems.add(who + " " + address + ": " + r.statusCode());
            return;
        }
        boolean empty = address.contains(".csv") ? r.body().lines().count() <= 1
                : JSON.readTree(r.body()).path("rows").isArray() && JSON.readTree(r.body()).path("rows").isEmpty();
        if (!empty) {
            problems.add(who + " " + address + " answers a foreign object: " + cut(r.body()));
        }
    }

    /** Records an error answer or a foreign name or address in the answer. */
    private void inspect(String who, String address, HttpResponse<String> r) throws Exception {
        answers++;
        if (r.statusCode() >= 500) {
            problems.add(who + " " + address + ": " + r.statusCode() + " " + cut(r.body()));
            return;
        }
        String body = r.body();
        for (Map.Entry<String, Pattern> p : patterns.entrySet()) {
            int n = count(p.getValue(), body);
            if (n > 0 && n > count(p.getValue(), staticText(address))) {
                problems.add(who + " " + address + " (" + r.statusCode() + ") names foreign " + p.getKey() + ": "
                        + around(body, p.getValue()));
            }
        }
    }

    /** What the address answers on a server without data: the page's own words. */
    private String staticText(String address) throws Exception {
        String cached = baseline.get(address);
        if (cached == null) {
            HttpResponse<String> r = emptyRoot.get(address);
            cached = r.statusCode() == 200 ? r.body() : "";
            baseline.put(address, cached);
        }
        return cached;
    }

    private List<String> alertIds(HttpResponse<String> r, boolean permitted) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
            if (scope.permits(row.path("domain").asText()) == permitted) {
                out.add(row.path("id").asText());
            }
        }
        return out;
    }

    private static List<String> ids(HttpResponse<String> r, String field) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
            out.add(row.path(field).asText());
        }
        return out;
    }

    /** The answer with the order of every list taken out: stores may order equal rows differently. */
    private static JsonNode normal(JsonNode n) {
        if (n instanceof ObjectNode o) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), normal(e.getValue()));
            }
            return copy;
        }
        if (n instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>();
            a.forEach(x -> items.add(normal(x)));
            items.sort((x, y) -> x.toString().compareTo(y.toString()));
            ArrayNode copy = JSON.createArrayNode();
            items.forEach(copy::add);
            return copy;
        }
        return n;
    }

    private static String fill(String route, String value) {
        String v = enc(value);
        return route.replaceAll("\\{(id|ip)\\}", Matcher.quoteReplacement(v))
                .replace("/superseded/{n}", "/superseded/0").replace("/policies/{n}", "/policies/1");
    }

    private static int count(Pattern p, String body) {
        Matcher m = p.matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String around(String body, Pattern p) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            return "";
        }
        return "…" + body.substring(Math.max(0, m.start() - 80), Math.min(body.length(), m.end() + 40)).replace('\n', ' ') + "…";
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static List<String> strings(List<Long> ids) {
        return ids.stream().map(String::valueOf).toList();
    }

    private static <T> List<T> first(List<T> list, int n) {
        return list.subList(0, Math.min(n, list.size()));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Path repositoryRoot() {
        return io.dmarclens.testkit.Corpus.repositoryRoot();
    }
}
