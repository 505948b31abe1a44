package io.dmarclens.app.security;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds where a dashboard page leads without knowing the pages: every same-site link and data address in its
 * HTML, and every GET form submitted with its defaults and once with each option of each select, each unticked
 * box ticked, and a few searches typed into each text field (a CIDR range, free text, a field query).
 */
final class ScopeCrawler {
    private static final Pattern ADDRESS = Pattern.compile("(?:href|data-src)=\"(/[^\"#]*)\"");
    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>");
    private static final Pattern SELECT = Pattern.compile("<select\\b([^>]*)>(.*?)</select>", Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:-]+)=\"([^\"]*)\"");
    /** What the crawler types into a text field: a CIDR range, free text, a field query, everything. */
    static final List<String> TYPED = List.of("ip:198.51.100.0/24", "ip:2001:db8::/32", "example", "dmarc:fail", "*");

    private ScopeCrawler() {
    }

    /** Same-site addresses a page leads to (links, chart data, GET form submissions), in page order. */
    static Set<String> next(String page, String html) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = ADDRESS.matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1)));
        }
        Matcher f = FORM.matcher(html);
        while (f.find()) {
            Map<String, String> form = attributes(f.group(1));
            if (!form.getOrDefault("method", "get").equalsIgnoreCase("get")) {
                continue;
            }
            String action = form.getOrDefault("action", path(page));
            out.addAll(submissions(action, f.group(2)));
        }
        out.removeIf(a -> a.startsWith("/static") || a.startsWith("/webjars") || a.startsWith("/logout"));
        return out;
    }

    private static List<String> submissions(String action, String body) {
        List<String[]> base = new ArrayList<>();
        List<String[]> optional = new ArrayList<>();
        List<String> typed = new ArrayList<>();
        Matcher in = INPUT.matcher(body);
        while (in.find()) {
            Map<String, String> a = attributes(in.group(1));
            String name = a.get("name");
            if (name == null) {
                continue;
            }
            String type = a.getOrDefault("type", "text");
            String value = a.getOrDefault("value", "");
            switch (type) {
                case "checkbox", "radio" -> (a.containsKey("checked") ? base : optional).add(new String[]{name, value});
                case "submit", "button", "file" -> { }
                case "text", "search" -> {
                    if (!value.isEmpty()) {
                        base.add(new String[]{name, value});
                    }
                    typed.add(name);
                }
                default -> base.add(new String[]{name, value});
            }
        }
        Map<String, List<String>> selects = new LinkedHashMap<>();
        Matcher s = SELECT.matcher(body);
        while (s.find()) {
            String name = attributes(s.group(1)).get("name");
            if (name == null) {
                continue;
            }
            List<String> values = new ArrayList<>();
            String chosen = null;
            Matcher o = OPTION.matcher(s.group(2));
            while (o.find()) {
                Map<String, String> a = attributes(o.group(1));
                values.add(a.getOrDefault("value", ""));
                if (a.containsKey("selected")) {
                    chosen = a.getOrDefault("value", "");
                }
            }
            if (!values.isEmpty()) {
                base.add(new String[]{name, chosen != null ? chosen : values.get(0)});
                selects.put(name, values);
            }
        }
        List<String> out = new ArrayList<>();
        out.add(url(action, base));
        selects.forEach((name, values) -> {
            for (String v : values) {
                List<String[]> variant = new ArrayList<>(base.stream().filter(p -> !p[0].equals(name)).toList());
                variant.add(new String[]{name, v});
                out.add(url(action, variant));
            }
        });
        for (String[] box : optional) {
            List<String[]> variant = new ArrayList<>(base);
            variant.add(box);
            out.add(url(action, variant));
        }
        for (String field : typed) {
            for (String text : TYPED) {
                List<String[]> variant = new ArrayList<>(base.stream().filter(p -> !p[0].equals(field)).toList());
                variant.add(new String[]{field, text});
                out.add(url(action, variant));
            }
        }
        return out;
    }

    private static String url(String action, List<String[]> params) {
        StringBuilder b = new StringBuilder(action.contains("?") ? action.substring(0, action.indexOf('?')) : action);
        String sep = "?";
        for (String[] p : params) {
            b.append(sep).append(URLEncoder.encode(p[0], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
            sep = "&";
        }
        return b.toString();
    }

    /** The kind of a page: its path with numbers and addresses taken out (crawling is bounded per kind). */
    static String kind(String address) {
        String p = path(address);
        return URLDecoder.decode(p, StandardCharsets.UTF_8).replaceAll("/[0-9a-fA-F.:]*[0-9][0-9a-fA-F.:]*(?=/|$)", "/N");
    }

    static String path(String address) {
        int q = address.indexOf('?');
        return q < 0 ? address : address.substring(0, q);
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), unescape(m.group(2)));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
    }
}
