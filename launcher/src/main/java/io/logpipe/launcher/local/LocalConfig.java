package io.logpipe.launcher.local;

import io.logpipe.collector.CollectorConfig;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.sink.SinkConfig;

/**
 * The config of {@code logpipe local}: each component's own config, as it would be in
 * production, under its name. Each {@code kafka:} block left out points at the embedded broker.
 */
public record LocalConfig(CollectorConfig collector, ProcessorConfig processor, SinkConfig sink) {
    public LocalConfig {
        collector = collector == null ? new CollectorConfig(null, null, null, null, null, null, null, null, null) : collector;
        processor = processor == null ? new ProcessorConfig(null, null, null, null, null, null, null, null, null, null) : processor;
        sink = sink == null ? new SinkConfig(null, null, null, null, null, null, null, null, null, null) : sink;
    }
}
