package io.logpipe.collector.source.pod;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.collector.tail.LongLines;
import io.logpipe.collector.tail.TailSettings;
import io.logpipe.config.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code sources.pods[]} entry: Kubernetes container logs under /var/log/pods.
 *
 * @param name the source's name (metrics, checkpoints); default {@code pods}
 * @param paths globs of the container log files; default {@code /var/log/pods/*}{@code /*}{@code /*.log}
 * @param nodeName this node's name (the {@code node} attribute; limits the pod informer); default {@code $NODE_NAME}
 * @param kubernetesMetadata add pod labels from the Kubernetes API; default true
 * @param labels static labels on every record
 * @param maxLineSize the most bytes of one record, partial lines joined included; default 256KiB
 * @param longLines split (default) or truncate a longer line
 * @param pollInterval pause when no file grew; default 250ms
 * @param scanInterval how often new pods are looked for; default 2s
 */
public record PodSourceConfig(String name, List<String> paths, String nodeName, Boolean kubernetesMetadata,
                              Map<String, String> labels, ByteSize maxLineSize, LongLines longLines,
                              Duration pollInterval, Duration scanInterval) {

    public PodSourceConfig {
        name = name == null || name.isBlank() ? "pods" : name;
        paths = paths == null || paths.isEmpty() ? List.of("/var/log/pods/*/*/*.log") : List.copyOf(paths);
        nodeName = nodeName == null || nodeName.isBlank() ? System.getenv("NODE_NAME") : nodeName;
        kubernetesMetadata = kubernetesMetadata == null || kubernetesMetadata;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        maxLineSize = maxLineSize == null ? ByteSize.parse("256KiB") : maxLineSize;
        longLines = longLines == null ? LongLines.SPLIT : longLines;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        scanInterval = scanInterval == null ? Duration.ofSeconds(2) : scanInterval;
        require(maxLineSize.bytes() >= 1024 && maxLineSize.bytes() <= 4L * 1024 * 1024, "max_line_size", "must be between 1KiB and 4MiB");
    }

    TailSettings tailSettings() {
        return new TailSettings(maxLineSize.asInt(), longLines, pollInterval, scanInterval, false);
    }
}
