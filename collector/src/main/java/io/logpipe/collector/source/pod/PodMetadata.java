package io.logpipe.collector.source.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod labels by pod uid, kept current by a fabric8 informer that watches only the pods of this
 * node ({@code spec.nodeName}). It starts in the background and retries for ever: while the API
 * is unreachable the lookups answer nothing and records carry the path's metadata only.
 */
final class PodMetadata implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodMetadata.class);
    /**
     * How long a deleted pod's labels are kept: its last lines are often read after it is gone
     * (later still when Kafka was down and reading paused); forgetting them at all keeps a node
     * that runs a CronJob a minute from growing by a pod's labels each time.
     */
    static final Duration KEPT_AFTER_DELETE = Duration.ofHours(1);

    private final Map<String, Map<String, String>> labelsByUid = new ConcurrentHashMap<>();
    private final Map<String, Instant> deletedAt = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final SharedIndexInformer<Pod> informer;
    private final Clock clock;

    PodMetadata(KubernetesClient client, String nodeName, String source) {
        this(client, nodeName, source, Clock.systemUTC());
    }

    PodMetadata(KubernetesClient client, String nodeName, String source, Clock clock) {
        this.clock = clock;
        FilterWatchListDeletable<Pod, PodList, PodResource> pods = client.pods().inAnyNamespace();
        if (nodeName != null && !nodeName.isBlank()) {
            pods = pods.withField("spec.nodeName", nodeName);
        }
        informer = pods.runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warn("source {}: pod metadata from the Kubernetes API not available ({}); records carry path metadata until it is",
                    source, error.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                remember(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                remember(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                forget(pod);
            }
        });
        informer.start().whenComplete((ok, error) -> {
            if (error == null) {
                LOG.info("source {}: pod metadata informer synced ({} pods)", source, labelsByUid.size());
            }
        });
    }

    private void remember(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (uid == null) {
            return;
        }
        deletedAt.remove(uid);
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        if (!labels.equals(labelsByUid.put(uid, labels))) {
            version.incrementAndGet();
        }
    }

    /** Marks a deleted pod's labels to be forgotten later, and forgets those deleted long enough ago. */
    private void forget(Pod pod) {
        Instant now = clock.instant();
        deletedAt.entrySet().removeIf(deleted -> {
            boolean expired = deleted.getValue().plus(KEPT_AFTER_DELETE).isBefore(now);
            if (expired) {
                labelsByUid.remove(deleted.getKey());
            }
            return expired;
        });
        String uid = pod.getMetadata().getUid();
        if (uid != null) {
            deletedAt.put(uid, now);
        }
    }

    /** The pod's labels, empty when the pod is unknown (API unreachable, not synced yet). */
    Map<String, String> labels(String podUid) {
        return labelsByUid.getOrDefault(podUid, Map.of());
    }

    /** Changes whenever any pod's labels changed: callers cache what they built from the labels. */
    long version() {
        return version.get();
    }

    @Override
    public void close() {
        informer.close();
    }
}
