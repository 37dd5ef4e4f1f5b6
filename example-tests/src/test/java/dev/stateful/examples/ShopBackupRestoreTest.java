package dev.stateful.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stateful.junit.WithStack;
import dev.stateful.stack.StackFingerprint;
import dev.stateful.stack.StatefulStack;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Back up the whole shop stack (every volume, consistently) and restore it after a disaster. */
@WithStack(compose = "src/test/resources/shop/docker-compose.yml")
class ShopBackupRestoreTest {
    // tag::backup-restore[]
    @Test
    void theWholeStackComesBackFromOneBackup(StatefulStack shop, @TempDir Path backups) throws Exception {
        ShopStackLifecycleTest.placeAnOrder(shop);
        StackFingerprint before = shop.fingerprint();

        Path backup = shop.backup(backups.resolve("nightly"));   // services paused, volumes streamed, manifest
        shop.downWithVolumes();                                   // the disaster
        shop.up();
        shop.restoreBackup(backup);                               // checksums checked first, then every volume

        assertThat(before.diff(shop.fingerprint())).isEmpty();
    }
    // end::backup-restore[]
}
