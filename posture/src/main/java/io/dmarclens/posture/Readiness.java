package io.dmarclens.posture;

import java.util.List;

/**
 * Is the domain ready for a stricter policy? From the stored reports of the last days.
 *
 * @param days             the period looked at
 * @param messages         messages reported for the domain
 * @param compliant        messages that passed DMARC
 * @param compliantShare   compliant / messages, 0 when there are none
 * @param currentPolicy    p of the published record, or null
 * @param atRisk           sources whose failing mail a stricter policy would quarantine or reject, by volume
 * @param nextStep         the recommended next step, in words
 * @param recordToPublish  the DMARC record to publish for that step, or null when nothing should change
 * @param findings         verdicts
 */
public record Readiness(int days, long messages, long compliant, double compliantShare, String currentPolicy,
                        List<PostureData.SourceVolume> atRisk, String nextStep, String recordToPublish,
                        List<Finding> findings) {
    public Readiness {
        atRisk = List.copyOf(atRisk);
        findings = List.copyOf(findings);
    }
}
