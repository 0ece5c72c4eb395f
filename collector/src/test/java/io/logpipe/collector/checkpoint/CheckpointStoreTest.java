package io.logpipe.collector.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.tail.FileIdentity;
import io.logpipe.collector.tail.FilePosition;
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
        var first = progress.issue(new FilePosition(file, 10));
        var second = progress.issue(new FilePosition(file, 20));
        var third = progress.issue(new FilePosition(file, 30));

        second.acknowledge(); // out of order: the first is still in flight
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class)).isEmpty();

        first.acknowledge();
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(file, 20));
        assertThat(progress.pendingCount()).isEqualTo(1);

        third.acknowledge();
        store.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved("app|/var/log/app.log", FilePosition.class))
                .contains(new FilePosition(file, 30));
        assertThat(Files.exists(dir.resolve("checkpoints.json.tmp"))).isFalse();
    }

    @Test
    void keepsSavedEntriesOfSourcesThatHaveNotReopenedYet() {
        CheckpointStore first = new CheckpointStore(dir, Clock.systemUTC());
        first.progress("a|x", null).issue(new FilePosition(new FileIdentity(1, 1), 5)).acknowledge();
        first.save();
        CheckpointStore second = new CheckpointStore(dir, Clock.systemUTC());
        second.progress("b|y", null).issue(new FilePosition(new FileIdentity(1, 2), 7)).acknowledge();
        second.save();
        CheckpointStore third = new CheckpointStore(dir, Clock.systemUTC());
        assertThat(third.saved("a|x", FilePosition.class)).contains(new FilePosition(new FileIdentity(1, 1), 5));
        assertThat(third.saved("b|y", FilePosition.class)).contains(new FilePosition(new FileIdentity(1, 2), 7));
    }
}
