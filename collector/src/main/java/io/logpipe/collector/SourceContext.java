package io.logpipe.collector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.publish.RecordPublisher;
import io.logpipe.collector.publish.SourceOutput;
import java.util.function.Supplier;

/**
 * What every source is built with: the host name, the checkpoints, the publisher, the metrics
 * and (created on first use, shared) the Kubernetes client.
 */
public record SourceContext(String host, CheckpointStore checkpoints, RecordPublisher publisher, CollectorMetrics metrics,
                            Supplier<KubernetesClient> kubernetes) {

    public SourceOutput output(String source, String kind) {
        return new SourceOutput(source, kind, publisher, metrics);
    }
}
