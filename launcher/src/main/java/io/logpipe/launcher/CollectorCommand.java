package io.logpipe.launcher;

import io.logpipe.collector.Collector;
import io.logpipe.collector.CollectorConfig;
import io.logpipe.config.ConfigLoader;
import io.logpipe.observability.MetricsEndpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logpipe collector --config F}: one collector (pods, events, journald, files → logs.raw) in the foreground. */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = {"Reads pod logs, Kubernetes events, journald and log files into the Kafka topic logs.raw.",
            "Positions are saved only after Kafka acknowledged the lines, so a restart loses nothing.",
            "Config keys: collector/README.md; examples: collector/examples/."})
final class CollectorCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The collector's YAML config file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        CollectorConfig parsed = new ConfigLoader().load(config, CollectorConfig.class);
        MetricsEndpoint endpoint = new MetricsEndpoint();
        Collector collector = new Collector(parsed, endpoint.registry());
        endpoint.readinessCheck("collector", collector::ready);
        collector.start();
        return Foreground.serve("collector", "sources → " + parsed.topics().raw(),
                collector, endpoint, parsed.metrics());
    }
}
