package io.logpipe.deploy;

import io.logpipe.processor.labels.LabelConfig;
import java.util.Set;
import java.util.TreeSet;

/** The Loki stream labels the pipeline produces: DESIGN.md's set, as the stream-processor keeps it. */
final class PipelineLabels {
    static final Set<String> LOKI = loki();

    private PipelineLabels() {
    }

    private static Set<String> loki() {
        Set<String> labels = new TreeSet<>(LabelConfig.ALLOWED);
        labels.add("level");
        return Set.copyOf(labels);
    }
}
