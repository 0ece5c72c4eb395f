package io.logpipe.launcher;

import io.logpipe.config.ConfigLoader;
import io.logpipe.observability.MetricsEndpoint;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.processor.StreamProcessor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logpipe processor --config F}: the stream-processor (logs.raw → logs.enriched) in the foreground. */
@Command(name = "processor", mixinStandardHelpOptions = true,
        description = {"Runs the Kafka Streams app: logs.raw → level, Loki labels → logs.enriched;",
            "error-rate windows → logs.error-rates and /metrics; undecodable records → logs.dlq. Exactly-once.",
            "Scale by running more instances with the same application_id. Config keys: stream-processor/README.md."})
final class ProcessorCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The processor's YAML config file (without it: every default).")
    Path config;

    @Override
    public Integer call() throws Exception {
        ProcessorConfig parsed = new ConfigLoader().load(config, ProcessorConfig.class);
        MetricsEndpoint endpoint = new MetricsEndpoint();
        StreamProcessor processor = new StreamProcessor(parsed, endpoint.registry());
        endpoint.readinessCheck("kafka-streams", processor::isRunning);
        processor.start();
        return Foreground.serve("processor", parsed.topics().raw() + " → " + parsed.topics().enriched() + " as " + parsed.applicationId(),
                processor, endpoint, parsed.metrics());
    }
}
