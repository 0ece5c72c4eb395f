package io.logpipe.collector.source.pod;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the kubelet's log path says about a container: {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log}.
 * Namespace and pod names are DNS labels and a uid has no underscore, so the directory name splits cleanly.
 */
public record PodLogPath(String namespace, String pod, String podUid, String container) {

    public static Optional<PodLogPath> parse(Path logFile) {
        Path containerDir = logFile.getParent();
        Path podDir = containerDir == null ? null : containerDir.getParent();
        if (podDir == null || podDir.getFileName() == null) {
            return Optional.empty();
        }
        String[] parts = podDir.getFileName().toString().split("_");
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PodLogPath(parts[0], parts[1], parts[2], containerDir.getFileName().toString()));
    }

    /** The Kafka key and {@code source} field: one container's lines stay in order in one partition. */
    public String sourceIdentity() {
        return podUid + "/" + container;
    }
}
