package io.logpipe.launcher;

import io.logpipe.config.ConfigLoader;
import io.logpipe.observability.MetricsEndpoint;
import io.logpipe.sink.LokiSink;
import io.logpipe.sink.SinkConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logpipe sink --config F}: the loki-sink (logs.enriched → Loki) in the foreground. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Pushes the Kafka topic logs.enriched to Grafana Loki in batches (snappy protobuf).",
            "Offsets are committed only after Loki stored the records; while Loki is down the backlog waits in Kafka.",
            "Config keys: loki-sink/README.md."})
final class SinkCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "The sink's YAML config file (without it: every default).")
    Path config;

    @Override
    public Integer call() throws Exception {
        SinkConfig parsed = new ConfigLoader().load(config, SinkConfig.class);
        MetricsEndpoint endpoint = new MetricsEndpoint();
        LokiSink sink = new LokiSink(parsed, endpoint.registry());
        endpoint.readinessCheck("sink", sink::running);
        sink.start();
        return Foreground.serve("sink", parsed.topics().enriched() + " → " + parsed.loki().pushUrl(), sink, endpoint, parsed.metrics());
    }
}
