package io.dmarclens.ingest.enrich;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * Works out who a source is (base domain, country, ASN, known service) and what each record means
 * (our alignment check, classification). Pure computation: the reverse DNS name comes from
 * {@link ReverseDns} (or its cache) and is passed in.
 */
public final class Enricher {
    private final DomainNames domains = new DomainNames();
    private final AlignmentCheck alignment = new AlignmentCheck(domains);
    private final Classifier classifier = new Classifier();
    private final SenderDirectory directory;
    private final GeoLookup geo;
    private final OwnSenders own;

    public Enricher(SenderDirectory directory, GeoLookup geo, OwnSenders own) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.geo = Objects.requireNonNull(geo, "geo");
        this.own = Objects.requireNonNull(own, "own");
    }

    /** Built-in sender list, no GeoIP, no declared own senders. */
    public static Enricher basic() {
        return new Enricher(SenderDirectory.builtIn(), GeoLookup.NONE, OwnSenders.NONE);
    }

    /** Who the source is; {@code reverseDns} is the PTR name or null when none is known (yet). */
    public SenderInfo sender(String ip, String reverseDns) {
        String ptr = DomainNames.normalise(reverseDns);
        String base = ptr == null ? null : domains.organisational(ptr);
        GeoLookup.Geo g = geo.lookup(ip);
        Optional<KnownSender> known = directory.byHostName(ptr);
        if (known.isEmpty()) {
            known = directory.byAsn(g.asn());
        }
        return new SenderInfo(ptr, base, g.country(), g.asn(), g.asName(),
                known.map(KnownSender::name).orElse(null), known.map(KnownSender::type).orElse(null));
    }

    /** Our alignment check and classification of one record from the source described by {@code sender}. */
    public RecordEnrichment enrich(PolicyPublished policy, AggregateRecord record, SenderInfo sender) {
        AlignmentCheck.Verdict verdict = alignment.check(policy, record);
        SenderInfo who = sender == null ? SenderInfo.UNKNOWN : sender;
        SenderInfo known = who;
        if (verdict.spfPassedDomain() != null && !Classifier.isRelayType(who.senderType())) {
            // The address is authorised by that domain's SPF record, so it sends for that service; a
            // list or forwarder found this way is more telling than the host's owner (Google Groups
            // mail comes from google.com hosts).
            Optional<KnownSender> bySpf = directory.byHostName(verdict.spfPassedDomain())
                    .filter(k -> known.senderName() == null || Classifier.isHostingType(known.senderType()) || k.relays());
            if (bySpf.isPresent()) {
                who = new SenderInfo(who.reverseDns(), who.baseDomain(), who.country(), who.asn(), who.asName(),
                        bySpf.get().name(), bySpf.get().type());
            }
        }
        Classifier.Decision decision = classifier.classify(record, verdict, who, isOwn(policy, record, who));
        return new RecordEnrichment(who, verdict.dkimAligned(), verdict.spfAligned(), verdict.dmarcPass(),
                verdict.verdictDisagrees(), decision.classification(), decision.reason());
    }

    private boolean isOwn(PolicyPublished policy, AggregateRecord record, SenderInfo sender) {
        if (own.contains(record.sourceIp(), sender.reverseDns())) {
            return true;
        }
        String base = sender.baseDomain();
        if (base == null) {
            return false;
        }
        return base.equals(domains.organisational(policy == null ? null : policy.domain()))
                || base.equals(domains.organisational(record.headerFrom()));
    }
}
