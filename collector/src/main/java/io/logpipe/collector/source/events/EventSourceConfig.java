package io.logpipe.collector.source.events;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code sources.events[]} entry: Kubernetes events as log lines.
 *
 * @param name the source's name (metrics, checkpoints); default {@code kubernetes-events}
 * @param namespace only this namespace; default all
 * @param labels static labels; default {@code job: kubernetes-events} (what the plan's queries select)
 * @param remember how long a shipped event is remembered so that a restart does not send it
 *                 again; default 2h (the API server keeps events 1h)
 */
public record EventSourceConfig(String name, String namespace, Map<String, String> labels, Duration remember) {

    public EventSourceConfig {
        name = name == null || name.isBlank() ? "kubernetes-events" : name;
        labels = labels == null ? Map.of("job", "kubernetes-events") : Map.copyOf(labels);
        remember = remember == null ? Duration.ofHours(2) : remember;
    }
}
