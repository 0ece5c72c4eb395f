package io.logpipe.processor.labels;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.record.SourceKind;
import java.util.List;

/**
 * The {@code labels:} block: how Loki stream labels and structured metadata are made.
 *
 * @param rules applied in order to the record's attributes and static labels; the defaults
 *              ({@link #DEFAULT_RULES}) reproduce the user's Promtail relabel_configs
 * @param maxLabels labels a stream may have, {@code level} included; Loki's default limit is 15
 * @param metadata attributes sent as Loki structured metadata: the high-cardinality facts
 *                 (ids, pids) that must never be labels
 */
public record LabelConfig(List<LabelRule> rules, Integer maxLabels, List<String> metadata) {
    public static final int LOKI_MAX_LABELS = 15;

    /** The label names DESIGN.md allows: low cardinality, matching the plan's queries. */
    public static final List<String> ALLOWED = List.of("namespace", "pod", "container", "app", "node", "host", "job", "unit", "service");

    private static final List<SourceKind> KUBERNETES = List.of(SourceKind.POD, SourceKind.K8S_EVENT);

    /**
     * The plan's relabel_configs, in logpipe's terms:
     * pods keep namespace, pod, container and node (the plan's {@code __host__}); {@code app} comes
     * from the pod label {@code app.kubernetes.io/name}, else {@code app} (DESIGN.md);
     * Kubernetes events are {@code job="kubernetes-events"}; journald is {@code job="systemd-journal"}
     * with {@code unit} from {@code _SYSTEMD_UNIT} and {@code service} from the unit's name, so that
     * {@code {host="pesubuntu", service="litellm"}} finds LiteLLM's journal; files and syslog carry
     * the job, host and service their collector source configures.
     */
    public static final List<LabelRule> DEFAULT_RULES = List.of(
            LabelRule.copy(List.of(SourceKind.POD), "pod_label_app.kubernetes.io/name", "app"),
            LabelRule.copy(List.of(SourceKind.POD), "pod_label_app", "app"),
            LabelRule.drop(KUBERNETES, "host"),
            LabelRule.staticLabel(List.of(SourceKind.K8S_EVENT), "job", "kubernetes-events"),
            LabelRule.staticLabel(List.of(SourceKind.JOURNALD), "job", "systemd-journal"),
            LabelRule.copy(List.of(SourceKind.JOURNALD), "unit", "service", "(.+)\\.service", "$1"),
            LabelRule.keep(ALLOWED.toArray(String[]::new)));

    public static final List<String> DEFAULT_METADATA = List.of(
            "pod_uid", "stream", "pid", "boot_id", "syslog_identifier", "priority", "transport", "comm", "hostname",
            "filename", "event_uid", "reason", "type", "involved_kind", "involved_name", "count");

    public static final LabelConfig DEFAULTS = new LabelConfig(null, null, null);

    public LabelConfig {
        rules = rules == null ? DEFAULT_RULES : List.copyOf(rules);
        maxLabels = maxLabels == null ? LOKI_MAX_LABELS : maxLabels;
        metadata = metadata == null ? DEFAULT_METADATA : List.copyOf(metadata);
        require(maxLabels >= 2 && maxLabels <= LOKI_MAX_LABELS, "max_labels",
                "must be between 2 and " + LOKI_MAX_LABELS + " (Loki's limit), was " + maxLabels);
    }
}
