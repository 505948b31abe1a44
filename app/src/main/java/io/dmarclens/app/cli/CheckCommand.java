package io.dmarclens.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dmarclens.posture.DnsClient;
import io.dmarclens.posture.PostureChecker;
import io.dmarclens.posture.PostureData;
import io.dmarclens.posture.PostureJson;
import io.dmarclens.posture.PostureReport;
import io.dmarclens.posture.PostureText;
import io.dmarclens.posture.StorePostureData;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens check}: what a domain publishes in DNS, and what to do next. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Checks the DMARC, SPF, DKIM, MX, TLS-RPT and MTA-STS records of each DOMAIN and says what to do next.",
                "Reports in the data directory (--data, default data; skipped when the default holds no store)",
                "give the DKIM selectors and the readiness verdict.",
                "Exit status: 0 when no check found an error, 1 when one did, 2 on a usage error or a --data without a store."})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DOMAIN", description = "domains to check")
    List<String> domains;

    @Option(names = "--dns", paramLabel = "HOST:PORT", description = "DNS server to ask (default: the system resolver)")
    String dns;

    @Option(names = "--timeout", paramLabel = "MILLIS", defaultValue = "3000", description = "timeout of one DNS question (default: ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--selector", paramLabel = "SELECTOR", description = "a DKIM selector to check besides those seen in reports (repeatable)")
    List<String> selectors = new ArrayList<>();

    @Option(names = "--json", description = "print one JSON object per domain (format: docs/posture.md)")
    boolean json;

    /** Whose reports give the DKIM selectors and the readiness verdict; the default is skipped when it holds no store. */
    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    /** {@code --opensearch URL}: the reports of the store on that cluster. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();

    @Option(names = "--no-store", description = "check DNS only, without stored reports")
    boolean noStore;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DnsClient client;
        try {
            client = new DnsClient(dns == null ? null : DnsClient.parseServer(dns), Duration.ofMillis(timeoutMillis));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dns " + dns + ": " + e.getMessage()
                    + " (expected HOST:PORT, e.g. 127.0.0.1:53)");
        }
        boolean onOpenSearch = !noStore && storeOption.onOpenSearch();
        if (!noStore && !onOpenSearch && data.given()) {
            data.existingStore(); // a --data given on purpose must hold a store
        }
        boolean withStore = onOpenSearch || !noStore && data.holdsStore();
        Clock clock = Clocks.system();
        try (Store store = withStore ? storeOption.openForReading(data, clock) : null) {
            PostureData postureData = store == null ? PostureData.NONE : new StorePostureData(store.sources());
            return check(out, new PostureChecker(client, postureData, clock));
        }
    }

    private int check(PrintWriter out, PostureChecker checker) {
        ObjectMapper mapper = new ObjectMapper();
        if (json) {
            mapper.disable(SerializationFeature.INDENT_OUTPUT);
        }
        boolean errors = false;
        for (String domain : domains) {
            PostureReport report = checker.check(domain, selectors);
            errors |= report.hasErrors();
            if (json) {
                out.println(new PostureJson(mapper).toJson(report).toString());
            } else {
                new PostureText().print(report, out);
            }
        }
        out.flush();
        return errors ? 1 : 0;
    }
}
