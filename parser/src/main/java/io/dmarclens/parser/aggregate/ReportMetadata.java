package io.dmarclens.parser.aggregate;

import java.util.List;

/**
 * {@code report_metadata}: who reported, and for which period.
 *
 * @param orgName          the reporting organisation; derived from the email domain when missing
 * @param email            the reporter's contact address
 * @param extraContactInfo optional further contact, or null
 * @param reportId         the report id with surrounding {@code <>} removed
 * @param dateRange        the period
 * @param errors           {@code <error>} elements the reporter included
 * @param generator        RFC 9990 name and version of the report generator, or null
 */
public record ReportMetadata(String orgName, String email, String extraContactInfo, String reportId,
                             DateRange dateRange, List<String> errors, String generator) {
    public ReportMetadata {
        errors = List.copyOf(errors);
    }
}
