package io.dmarclens.posture;

import java.util.List;

/**
 * The answer to one DNS question, with failures kept as data so that a check can report them as
 * findings ("timeout asking for _dmarc.example.com TXT") instead of failing as a whole.
 *
 * @param name    the name asked for
 * @param type    the record type asked for, e.g. "TXT"
 * @param status  how the question ended
 * @param records the answers in presentation form (TXT strings already joined), empty unless {@link Status#OK}
 * @param detail  the resolver's words for an error, or empty
 */
public record DnsAnswer(String name, String type, Status status, List<String> records, String detail) {
    public DnsAnswer {
        records = List.copyOf(records);
        detail = detail == null ? "" : detail;
    }

    /** How a DNS question ended. NXDOMAIN and NODATA are both "void" answers in SPF's sense. */
    public enum Status { OK, NXDOMAIN, NODATA, TIMEOUT, SERVFAIL, ERROR }

    public boolean ok() {
        return status == Status.OK;
    }

    /** No such name, or the name has no record of this type (RFC 7208 void lookup). */
    public boolean empty() {
        return status == Status.NXDOMAIN || status == Status.NODATA;
    }

    /** A temporary failure: the question may succeed later. */
    public boolean failed() {
        return status == Status.TIMEOUT || status == Status.SERVFAIL || status == Status.ERROR;
    }

    /** The failure in words, e.g. "timeout asking for _dmarc.example.com TXT". */
    public String describe() {
        return switch (status) {
            case OK -> records.size() + " " + type + " record(s) at " + name;
            case NXDOMAIN -> name + " does not exist (NXDOMAIN)";
            case NODATA -> name + " has no " + type + " record";
            case TIMEOUT -> "timeout asking for " + name + " " + type;
            case SERVFAIL -> "DNS server failure (SERVFAIL) asking for " + name + " " + type;
            case ERROR -> "DNS error asking for " + name + " " + type + (detail.isEmpty() ? "" : ": " + detail);
        };
    }
}
