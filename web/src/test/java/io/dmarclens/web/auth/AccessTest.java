package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.store.users.Role;
import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;

/** The least role of each kind of route. */
class AccessTest {
    @Test
    void readingIsForEveryoneRawDownloadsAndChangesForAnalystsAdministrationForAdmins() {
        assertEquals(Role.VIEWER, Access.needed(HandlerType.GET, "/failures/3"));
        assertEquals(Role.VIEWER, Access.needed(HandlerType.GET, "/api/records.csv"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.GET, "/reports/3/original"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.GET, "/api/reports/3/superseded/1/original"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.GET, "/tls/3/original"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.GET, "/ingest/quarantine/abc"));
        assertEquals(Role.VIEWER, Access.needed(HandlerType.GET, "/api/ingest/quarantine.csv"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.POST, "/ingest/upload"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.POST, "/alerts/4/acknowledge"));
        assertEquals(Role.ADMIN, Access.needed(HandlerType.POST, "/ingest/quarantine/abc/retry"));
        assertEquals(Role.ADMIN, Access.needed(HandlerType.POST, "/api/ingest/quarantine/abc/retry"));
        assertEquals(Role.ADMIN, Access.needed(HandlerType.GET, "/audit"));
        assertEquals(Role.ADMIN, Access.needed(HandlerType.GET, "/api/audit.csv"));
        assertEquals(Role.ADMIN, Access.needed(HandlerType.GET, "/users/bob"));
        assertEquals(Role.VIEWER, Access.needed(HandlerType.POST, "/logout"));
        assertEquals(Role.VIEWER, Access.needed(HandlerType.POST, "/account/two-factor"));
        assertEquals(Role.ANALYST, Access.needed(HandlerType.POST, "/anything/new"), "a new route changes nothing for viewers");
    }
}
