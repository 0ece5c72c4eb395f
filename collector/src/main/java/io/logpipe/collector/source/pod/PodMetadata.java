package io.logpipe.collector.source.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.dsl.PodResource;
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

    private final Map<String, Map<String, String>> labelsByUid = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final SharedIndexInformer<Pod> informer;

    PodMetadata(KubernetesClient client, String nodeName, String source) {
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
                // kept: the pod's last lines are often read after it is gone
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
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(pod.getMetadata().getLabels());
        if (!labels.equals(labelsByUid.put(uid, labels))) {
            version.incrementAndGet();
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
