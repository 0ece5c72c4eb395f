package io.logpipe.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names and their label names, read from a Prometheus text exposition (a /metrics scrape). */
final class ExportedMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    private final Map<String, Set<String>> labelsByMetric;

    private ExportedMetrics(Map<String, Set<String>> labelsByMetric) {
        this.labelsByMetric = labelsByMetric;
    }

    static ExportedMetrics parse(String exposition) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(sample.group(1), name -> new TreeSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return new ExportedMetrics(metrics);
    }

    boolean has(String metric) {
        return labelsByMetric.containsKey(metric);
    }

    Set<String> labels(String metric) {
        return labelsByMetric.getOrDefault(metric, Set.of());
    }

    Set<String> names() {
        return labelsByMetric.keySet();
    }
}
