package io.logpipe.collector.source.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.logpipe.collector.Source;
import io.logpipe.collector.SourceContext;
import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.collector.timestamp.Rfc3339;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.SourceKind;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes events (core/v1) from an informer, each added or changed event one log line
 * ({@link EventLine}). Events already shipped before a restart are recognised by uid and
 * resource version ({@link ShippedEvents}) and not sent again.
 */
public final class EventSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(EventSource.class);

    private final EventSourceConfig config;
    private final SourceContext context;
    private final SourceOutput output;
    private final String checkpointKey;
    private final Rfc3339 timestamps = new Rfc3339();
    private final Map<String, ShippedEvents.Shipped> shipped = new HashMap<>();
    private ShippedEvents alreadyShipped;
    private AckedProgress<ShippedEvents> progress;
    private SharedIndexInformer<Event> informer;
    private volatile boolean closed;

    public EventSource(EventSourceConfig config, SourceContext context) {
        this.config = config;
        this.context = context;
        this.output = context.output(config.name(), SourceKind.K8S_EVENT.label());
        this.checkpointKey = config.name() + "|events";
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start() {
        alreadyShipped = context.checkpoints().saved(checkpointKey, ShippedEvents.class).orElse(new ShippedEvents(null));
        shipped.putAll(alreadyShipped.events());
        progress = context.checkpoints().progress(checkpointKey, alreadyShipped);
        KubernetesClient client = context.kubernetes().get();
        var events = client.v1().events();
        informer = (config.namespace() == null ? events.inAnyNamespace() : events.inNamespace(config.namespace()))
                .runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warn("source {}: Kubernetes events not available ({}); trying again", config.name(), error.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event event) {
                ship(event);
            }

            @Override
            public void onUpdate(Event before, Event event) {
                ship(event);
            }

            @Override
            public void onDelete(Event event, boolean finalStateUnknown) {
                // an expired event is no log line
            }
        });
        informer.start();
    }

    /** Runs on the informer's thread, one event at a time; blocks while Kafka cannot take more. */
    private synchronized void ship(Event event) {
        if (closed) {
            return;
        }
        String uid = event.getMetadata().getUid();
        String version = event.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return;
        }
        ShippedEvents.Shipped before = shipped.get(uid);
        if (before != null && before.resourceVersion().equals(version)) {
            return; // shipped before the restart, or seen twice (resync)
        }
        EventLine line = EventLine.of(event, timestamps);
        shipped.put(uid, new ShippedEvents.Shipped(version, line.timestampNanos()));
        long horizon = System.currentTimeMillis() * 1_000_000L - config.remember().toNanos();
        shipped.values().removeIf(s -> s.timeNanos() < horizon);
        Map<String, String> attributes = new HashMap<>(line.attributes());
        attributes.put("host", context.host());
        RawRecord record = RawRecord.of(line.timestampNanos(), SourceKind.K8S_EVENT, line.sourceIdentity(),
                new LineText(line.line(), null), attributes, config.labels(),
                line.hasTimestamp() ? EnumSet.noneOf(RecordFlag.class) : EnumSet.of(RecordFlag.READ_TIME));
        try {
            output.ship(record, progress, new ShippedEvents(shipped), line.line().length());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            informer.close();
        }
    }
}
