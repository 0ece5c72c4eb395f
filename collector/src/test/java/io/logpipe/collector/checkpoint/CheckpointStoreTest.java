package io.logpipe.collector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.tail.FileIdentity;
import io.logpipe.collector.tail.FilePosition;
import io.logpipe.collector.tail.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    @Test
    void savesOnlyPositionsWhoseRecordAndAllBeforeItWereAcknowledged() {
        CheckpointStore store = new CheckpointStore(dir, Clock.systemUTC());
        FileIdentity file = new FileIdentity(1, 2);
        AckedProgress<FilePosition> progress = store.progress("app|/var/log/app.log", null);
        var first = progress.issue(new FilePosition(file, 10, null));
        var second = progress.issue(new FilePosition(file, 20, null));
        var third = progress.issue(new FilePosition(file, 30, null));

        second.acknowledge(); // out of order: the first is still in flight
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class)).isEmpty();

        first.acknowledge();
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(file, 20, null));
        assertThat(progress.pendingCount()).isEqualTo(1);

        third.acknowledge();
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(file, 30, null));
        assertThat(Files.exists(dir.resolve("checkpoints.json.tmp"))).isFalse();
    }

    @Test
    void keepsSavedEntriesOfSourcesThatHaveNotReopenedYet() {
        CheckpointStore first = new CheckpointStore(dir, Clock.systemUTC());
        first.progress("a|x", null).issue(new FilePosition(new FileIdentity(1, 1), 5, null)).acknowledge();
        first.save();
        CheckpointStore second = new CheckpointStore(dir, Clock.systemUTC());
        second.progress("b|y", null).issue(new FilePosition(new FileIdentity(1, 2), 7, null)).acknowledge();
        second.save();
        CheckpointStore third = new CheckpointStore(dir, Clock.systemUTC());
        assertThat(third.saved("a|x", FilePosition.class)).contains(new FilePosition(new FileIdentity(1, 1), 5, null));
        assertThat(third.saved("b|y", FilePosition.class)).contains(new FilePosition(new FileIdentity(1, 2), 7, null));
    }

    @Test
    void keepsTheFingerprintAndReadsPositionsSavedBeforeFingerprintsExisted() throws Exception {
        // as written by the collector before fingerprints: identity and offset only
        Files.writeString(dir.resolve("checkpoints.json"), """
                {"version": 1, "saved_at": "2026-11-25T10:00:00Z",
                 "positions": {"old|/var/log/app.log": {"file": {"device": 2049, "inode": 131}, "offset": 4096}}}
                """);
        CheckpointStore store = new CheckpointStore(dir, Clock.systemUTC());
        assertThat(store.saved("old|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(new FileIdentity(2049, 131), 4096, null));

        FilePosition fingerprinted = new FilePosition(new FileIdentity(2049, 132), 17, new Fingerprint(17, 0xF0E1D2C3L));
        store.progress("new|/var/log/app.log", null).issue(fingerprinted).acknowledge();
        store.save();
        CheckpointStore reopened = new CheckpointStore(dir, Clock.systemUTC());
        assertThat(reopened.saved("new|/var/log/app.log", FilePosition.class)).contains(fingerprinted);
        assertThat(reopened.saved("old|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(new FileIdentity(2049, 131), 4096, null));
        assertThat(Files.readString(dir.resolve("checkpoints.json"))).contains("\"fingerprint\"", "\"crc32c\" : 4041331395");
    }
}
