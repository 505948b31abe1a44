package io.dmarclens.index.users;

import io.dmarclens.store.contract.SharedLoginsContract;
import io.dmarclens.store.users.Accounts;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Sessions and login counters in web.db, two connections on one file standing for two processes. */
class SqliteSharedLoginsContractTest extends SharedLoginsContract {
    @TempDir
    Path dir;

    @Override
    protected Accounts open(String name) {
        return SqliteAccounts.open(dir.resolve(name));
    }
}
