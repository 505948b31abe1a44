package io.dmarclens.store.users;

import java.util.Locale;

/**
 * What a dashboard user may do (#12). Ordered from least to most: each role may do all a lesser one may.
 * <ul>
 *   <li>{@link #VIEWER}: reads the data; failure reports always redacted, no raw report downloads,
 *       changes nothing.</li>
 *   <li>{@link #ANALYST}: as a viewer, and may reveal the personal data of failure reports (logged),
 *       download raw reports, upload reports and acknowledge alerts.</li>
 *   <li>{@link #ADMIN}: everything, including users, settings, quarantine actions and the audit log.</li>
 * </ul>
 */
public enum Role {
    VIEWER, ANALYST, ADMIN;

    /** The role's name as written in the configuration and on the command line: {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role may do what {@code needed} may. */
    public boolean atLeast(Role needed) {
        return compareTo(needed) >= 0;
    }

    /**
     * The role named {@code id} ({@code admin}, {@code analyst}, {@code viewer}, any case).
     *
     * @throws IllegalArgumentException naming the roles there are
     */
    public static Role parse(String id) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "': use admin, analyst or viewer");
    }
}
