package io.dmarclens.posture;

import java.util.List;
import java.util.Map;

/**
 * A DKIM key record at {@code <selector>._domainkey.<domain>}.
 *
 * @param selector   the selector
 * @param domain     the signing domain
 * @param queryName  the name asked for
 * @param record     the TXT record, or null when none was found
 * @param tags       its tags as published
 * @param keyType    "rsa" or "ed25519" (k=), or null
 * @param keyBits    the key size in bits, 0 when unknown or revoked
 * @param revoked    true when p= is empty
 * @param testing    true when t=y
 * @param seenInReports true when stored reports mention this selector
 * @param findings   the verdicts on this key
 */
public record DkimKey(String selector, String domain, String queryName, String record, Map<String, String> tags,
                      String keyType, int keyBits, boolean revoked, boolean testing, boolean seenInReports,
                      List<Finding> findings) {
    public DkimKey {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        findings = List.copyOf(findings);
    }
}
