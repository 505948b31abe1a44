package io.dmarclens.index.audit;

import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.contract.AuditLogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The audit log contract on a real {@code web.db}. */
class SqliteAuditLogContractTest extends AuditLogContract {
    @TempDir
    Path dir;

    @Override
    protected AuditLog open() {
        return SqliteAuditLog.open(dir);
    }
}
