package io.logpipe.collector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.kubernetes.KubernetesClients;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.publish.RecordPublisher;
import io.logpipe.collector.source.events.EventSource;
import io.logpipe.collector.source.file.FileSource;
import io.logpipe.collector.source.journald.JournaldSource;
import io.logpipe.collector.source.pod.PodSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector service: every configured source reading into one Kafka producer, and the
 * acknowledged positions saved every {@code checkpoint_interval}. {@link #close()} stops the
 * sources, waits for Kafka to acknowledge what was sent, and saves the checkpoints a last time.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final CollectorConfig config;
    private final CollectorMetrics metrics;
    private final Clock clock = Clock.systemUTC();
    private final List<Source> sources = new ArrayList<>();
    private CheckpointStore checkpoints;
    private RecordPublisher publisher;
    private ScheduledExecutorService saver;
    private KubernetesClient kubernetes;
    private volatile boolean started;

    public Collector(CollectorConfig config, MeterRegistry registry) {
        this.config = config;
        this.metrics = new CollectorMetrics(registry);
        if (config.sources().isEmpty()) {
            throw new IllegalArgumentException("the collector config has no sources (sources.pods, .events, .journald, .files)");
        }
    }

    public synchronized void start() {
        checkpoints = new CheckpointStore(config.checkpointDir(), clock);
        publisher = new RecordPublisher(config.kafka(), config.producer(), config.topics().raw(),
                "logpipe-collector-" + config.host(), metrics);
        metrics.gauge("logpipe.collector.checkpoint.age.seconds", "Seconds since the checkpoints were last saved",
                Tags.empty(), checkpoints, store -> Duration.between(store.lastSaved(), clock.instant()).toMillis() / 1000.0);
        SourceContext context = new SourceContext(config.host(), checkpoints, publisher, metrics, this::kubernetesClient);
        config.sources().pods().forEach(c -> sources.add(new PodSource(c, context)));
        config.sources().events().forEach(c -> sources.add(new EventSource(c, context)));
        config.sources().journald().forEach(c -> sources.add(new JournaldSource(c, context)));
        config.sources().files().forEach(c -> sources.add(new FileSource(c, context)));
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-saver");
            t.setDaemon(true);
            return t;
        });
        long every = config.checkpointInterval().toMillis();
        saver.scheduleWithFixedDelay(this::saveCheckpoints, every, every, TimeUnit.MILLISECONDS);
        for (Source source : sources) {
            source.start();
        }
        started = true;
        LOG.info("collector started: {} source(s) into {} at {}, checkpoints in {}", sources.size(), config.topics().raw(),
                config.kafka().bootstrapServers(), checkpoints.file());
    }

    private void saveCheckpoints() {
        try {
            checkpoints.save();
        } catch (RuntimeException e) {
            LOG.warn("cannot save checkpoints: {}", e.getMessage());
        }
    }

    private synchronized KubernetesClient kubernetesClient() {
        if (kubernetes == null) {
            kubernetes = KubernetesClients.create(config.kubernetes());
        }
        return kubernetes;
    }

    /** Ready: started and Kafka has not refused a record for good. */
    public boolean ready() {
        return started && publisher.healthy();
    }

    /** Record bytes sent and not yet acknowledged (tests watch it stay bounded). */
    public long inFlightBytes() {
        return publisher == null ? 0 : publisher.inFlightBytes();
    }

    @Override
    public synchronized void close() {
        started = false;
        for (Source source : sources) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("source {} did not stop cleanly: {}", source.name(), e.toString());
            }
        }
        if (publisher != null) {
            try {
                if (!publisher.drain(DRAIN_TIMEOUT)) {
                    LOG.warn("Kafka did not acknowledge everything within {}; the rest is read again at the next start", DRAIN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (saver != null) {
            saver.shutdownNow();
        }
        if (checkpoints != null) {
            saveCheckpoints();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
        LOG.info("collector stopped");
    }
}
