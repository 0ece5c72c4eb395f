package io.logpipe.processor.labels;

import io.logpipe.labels.LabelNames;
import io.logpipe.labels.LabelSet;
import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a record's Loki stream labels and structured metadata from its attributes and static
 * labels, by {@link LabelConfig}'s rules. After the rules: names are sanitised to Loki's rule
 * (a name valid as written wins over one that sanitises to it), empty values go, {@code level} is added,
 * and the set is cut to {@code max_labels} ({@code level} always stays, then names in order).
 */
public final class StreamLabeler {
    public static final String LEVEL = "level";

    private final List<LabelRule.Compiled> rules;
    private final int maxLabels;
    private final List<String> metadataNames;

    public StreamLabeler(LabelConfig config) {
        this.rules = config.rules().stream().map(LabelRule::compile).toList();
        this.maxLabels = config.maxLabels();
        this.metadataNames = config.metadata();
    }

    public StreamLabels label(RawRecord record, Level level) {
        Map<String, String> candidates = new HashMap<>(record.attributes());
        // the operator's static labels on the source are an explicit choice: they win over what the source reports
        candidates.putAll(record.labels());
        for (LabelRule.Compiled rule : rules) {
            if (rule.rule().appliesTo(record.kind())) {
                rule.apply(candidates);
            }
        }
        TreeMap<String, String> sorted = new TreeMap<>(candidates);
        TreeMap<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, String> candidate : sorted.entrySet()) {
            if (LabelNames.isValid(candidate.getKey())) {
                putLabel(labels, candidate.getKey(), candidate.getValue());
            }
        }
        // a sanitised name never displaces a label whose name was valid as written
        for (Map.Entry<String, String> candidate : sorted.entrySet()) {
            if (!LabelNames.isValid(candidate.getKey())) {
                putLabel(labels, LabelNames.sanitize(candidate.getKey()), candidate.getValue());
            }
        }
        int cut = 0;
        while (labels.size() > maxLabels - 1) {
            labels.pollLastEntry();
            cut++;
        }
        labels.put(LEVEL, level.label());
        return new StreamLabels(new LabelSet(labels), metadata(record), cut);
    }

    private static void putLabel(Map<String, String> labels, String name, String value) {
        if (value != null && !value.isEmpty() && !name.equals(LEVEL)) {
            labels.putIfAbsent(name, value);
        }
    }

    private Map<String, String> metadata(RawRecord record) {
        TreeMap<String, String> metadata = new TreeMap<>();
        for (String name : metadataNames) {
            String value = record.attributes().get(name);
            if (value != null && !value.isEmpty()) {
                metadata.put(LabelNames.sanitize(name), value);
            }
        }
        return Collections.unmodifiableSortedMap(metadata);
    }
}
