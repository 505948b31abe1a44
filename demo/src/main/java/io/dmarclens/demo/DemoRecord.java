package io.dmarclens.demo;

import java.util.List;

/** One aggregate-report record the generator writes (plain values, as they go into the XML). */
record DemoRecord(String sourceIp, long count, String disposition, String dkim, String spf, List<Reason> reasons,
                  String headerFrom, String envelopeFrom, String envelopeTo, List<Dkim> dkimResults,
                  List<Spf> spfResults) {

    record Reason(String type, String comment) {
    }

    record Dkim(String domain, String selector, String result) {
    }

    record Spf(String domain, String result) {
    }
}
