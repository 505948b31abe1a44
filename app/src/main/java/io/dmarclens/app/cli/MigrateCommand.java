package io.dmarclens.app.cli;

import io.dmarclens.app.config.StoreSettings;
import io.dmarclens.app.migrate.Migration;
import io.dmarclens.app.migrate.SettableClock;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.opensearch.OpenSearchAccounts;
import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.store.users.UserInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc-lens migrate --from DIR --to URL}: copies an embedded store (reports with their raw sources,
 * records, failure and TLS reports, senders, users and API tokens) into OpenSearch. Run it again after an
 * interruption: it copies what is missing and nothing twice.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copies the embedded store of a data directory into an OpenSearch cluster: reports, raw "
                + "sources, records, failure and TLS reports, senders, users and API tokens.",
                "Idempotent and resumable: running it again copies what is missing and nothing twice.",
                "Sign-in, CA certificate and index prefix come from DMARC_LENS_STORE_OPENSEARCH_* (docs/configuration.md).",
                "Stop serve on the data directory first, or run it again afterwards for what arrived meanwhile.",
                "Exit status: 0 when everything is copied, 1 when the cluster fails, 2 on a usage error."})
public final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "data directory of the embedded store")
    Path from;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "the OpenSearch cluster, e.g. http://127.0.0.1:9200")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(from.resolve(io.dmarclens.index.store.Database.FILE_NAME))) {
            throw new CliError(2, "no store in " + from.toAbsolutePath() + " (no "
                    + io.dmarclens.index.store.Database.FILE_NAME + "): check --from");
        }
        StoreOption option = new StoreOption();
        option.url = to;
        StoreSettings target = option.settings();
        ProgressBar bar = ProgressBar.onTerminal(err);
        Result r;
        try {
            r = copy(from, target.opensearch(), (done, total, soFar) -> bar.update(done, total,
                    "sources, " + soFar.reports() + " reports copied, " + soFar.records() + " records, "
                            + soFar.already() + " there already"));
        } finally {
            bar.finish();
        }
        Migration.Totals totals = r.totals();
        int users = r.users();
        int tokens = r.tokens();
        out.printf("Copied %d reports (%d records) from %d sources to %s; %d were there already. Users: %d, new API"
                        + " tokens: %d.%n", totals.reports(), totals.records(), totals.sources(), target.describe(),
                totals.already(), users, tokens);
        out.flush();
        return 0;
    }

    /** What {@link #copy} copied: the reports, the users and the API tokens new in the target. */
    public record Result(Migration.Totals totals, int users, int tokens) {
    }

    /**
     * Copies the embedded store in {@code from} (and its users) into the OpenSearch store of {@code target}.
     *
     * @throws io.dmarclens.store.StoreException when either store fails; what was copied stays, a new run goes on
     */
    public static Result copy(Path from, OpenSearchSettings target, Migration.Progress progress) {
        SettableClock clock = new SettableClock(Clocks.system().instant());
        Migration.Totals totals;
        try (Store source = EmbeddedStore.openReadOnly(from, Clocks.system());
             Store copy = OpenSearchStore.open(target, clock)) {
            totals = new Migration(source, copy, clock).run(progress);
        }
        int users = 0;
        int tokens = 0;
        if (Files.isRegularFile(from.resolve(SqliteAccounts.FILE_NAME))) {
            try (SqliteAccounts accounts = SqliteAccounts.open(from);
                 OpenSearchAccounts copy = OpenSearchAccounts.open(target)) {
                for (UserInfo u : accounts.list()) {
                    String hash = accounts.passwordHash(u.name()).orElse(null);
                    if (hash != null) {
                        copy.saveUser(u.name(), hash, u.createdAt());
                        // Role, scope and second factor go along: a viewer must not become an admin on the
                        // cluster, nor a user lose the second factor it logs in with.
                        copy.setRole(u.name(), u.role());
                        copy.setScope(u.name(), u.scope());
                        String secret = accounts.account(u.name()).flatMap(a -> a.totpSecret()).orElse(null);
                        copy.setTwoFactor(u.name(), secret, accounts.recoveryCodeHashes(u.name()));
                        users++;
                    }
                }
                for (SqliteAccounts.StoredToken t : accounts.tokens()) {
                    if (copy.copyToken(t.digest(), t.token())) {
                        tokens++;
                    }
                }
            }
        }
        return new Result(totals, users, tokens);
    }
}
