package io.logpipe.processor.errorrate;

import io.logpipe.labels.LabelSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which error-rate series a stream counts towards: (namespace, app or pod) for Kubernetes
 * streams, (host, job, unit) for everything else. Coarser than a stream (no level, container,
 * node), so that an alert sees one rate per workload.
 */
public final class RateGroup {
    /** Every label a group can have: the fixed tag keys of the per-group metrics. */
    public static final List<String> LABEL_NAMES = List.of("namespace", "app", "pod", "host", "job", "unit");

    private RateGroup() {
    }

    public static LabelSet of(Map<String, String> stream) {
        TreeMap<String, String> group = new TreeMap<>();
        String namespace = stream.get("namespace");
        if (namespace != null) {
            group.put("namespace", namespace);
            String app = stream.get("app");
            if (app != null) {
                group.put("app", app);
            } else {
                copy(stream, group, "pod");
            }
            copy(stream, group, "job");
        } else {
            copy(stream, group, "host");
            copy(stream, group, "job");
            copy(stream, group, "unit");
        }
        return new LabelSet(group);
    }

    private static void copy(Map<String, String> from, TreeMap<String, String> to, String name) {
        String value = from.get(name);
        if (value != null) {
            to.put(name, value);
        }
    }
}
