package io.dmarclens.web.auth;

import io.dmarclens.store.users.Role;
import io.javalin.http.HandlerType;
import java.util.regex.Pattern;

/**
 * The least role each route needs, decided in one place before any handler runs (so a route cannot forget
 * it, and a hidden button is never the only protection). Reading is for every role; raw report and mail
 * downloads and every change need an analyst; the audit log, user administration and quarantine actions
 * need an admin. Revealing the personal data of failure reports is checked by its own permission, since it
 * is asked for by a query parameter on routes a viewer may read.
 */
public final class Access {
    private static final Pattern ADMIN_PAGES = Pattern.compile("/(api/)?(audit|users)(\\.csv|/.*)?");
    private static final Pattern QUARANTINE_ACTION = Pattern.compile("/(api/)?ingest/quarantine/[^/]+/[^/]+");
    private static final Pattern RAW_DOWNLOAD = Pattern.compile(
            "/(api/)?(reports|failures|tls)/[^/]+(/superseded/[^/]+)?/original|/(api/)?ingest/quarantine/[^/]+");
    /** What an enrol-only session may do: log out and look after the own second factor. */
    private static final Pattern OWN_ACCOUNT = Pattern.compile("/logout|/account/two-factor(/.*)?");
    /** What any logged-in user may post: the own account, and the own API tokens. */
    private static final Pattern OWN_ACCOUNT_OR_TOKENS = Pattern.compile("/logout|/account/(two-factor|tokens)(/.*)?");

    private Access() {
    }

    /** The least role a request with this method and path needs. */
    public static Role needed(HandlerType method, String path) {
        if (ADMIN_PAGES.matcher(path).matches()) {
            return Role.ADMIN;
        }
        boolean reads = method == HandlerType.GET || method == HandlerType.HEAD;
        if (!reads && QUARANTINE_ACTION.matcher(path).matches()) {
            return Role.ADMIN;
        }
        if (reads) {
            return RAW_DOWNLOAD.matcher(path).matches() ? Role.ANALYST : Role.VIEWER;
        }
        return OWN_ACCOUNT_OR_TOKENS.matcher(path).matches() ? Role.VIEWER : Role.ANALYST;
    }

    /** Whether the path is the caller's own logout or second factor, open to an enrol-only session. */
    static boolean isOwnAccount(String path) {
        return OWN_ACCOUNT.matcher(path).matches();
    }

    /** Whether the path is a raw download (audited as such). */
    static boolean isDownload(String path) {
        return RAW_DOWNLOAD.matcher(path).matches();
    }
}
