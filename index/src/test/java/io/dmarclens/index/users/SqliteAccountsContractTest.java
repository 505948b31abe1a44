package io.dmarclens.index.users;

import io.dmarclens.store.contract.AccountsContract;
import io.dmarclens.store.users.Accounts;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The accounts contract on a real {@code web.db}. */
class SqliteAccountsContractTest extends AccountsContract {
    @TempDir
    Path dir;

    @Override
    protected Accounts open() {
        return SqliteAccounts.open(dir);
    }
}
