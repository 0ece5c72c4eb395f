package io.logpipe.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of LogQL and PromQL to see which labels and metrics a query names: the stream
 * selectors of a LogQL query (parsed further with logpipe's own {@link io.logpipe.selector.Selector}),
 * the labels of {@code by}/{@code without} clauses, and the metric names of a PromQL query.
 */
final class LogQl {
    private static final Pattern SELECTOR_START = Pattern.compile("\\{\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*(=~|!~|!=|=)\\s*\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<([a-zA-Z_][a-zA-Z0-9_]*)>");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "count_values", "group",
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
            "rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
            "sum_over_time", "avg_over_time", "max_over_time", "min_over_time", "count_over_time", "last_over_time",
            "absent", "absent_over_time", "changes", "resets", "time", "timestamp", "vector", "scalar", "clamp_min",
            "clamp_max", "round", "abs", "ceil", "floor", "sort", "sort_desc", "label_replace", "label_join", "e", "inf", "nan");

    private LogQl() {
    }

    /** Every {@code {name="value", ...}} stream selector in a LogQL query, in order. */
    static List<String> streamSelectors(String query) {
        List<String> selectors = new ArrayList<>();
        Matcher start = SELECTOR_START.matcher(query);
        int from = 0;
        while (start.find(from)) {
            int end = closingBrace(query, start.start());
            selectors.add(query.substring(start.start(), end + 1));
            from = end + 1;
        }
        return selectors;
    }

    /** Labels named in {@code by (...)} and {@code without (...)} clauses. */
    static Set<String> groupingLabels(String query) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = GROUPING.matcher(query);
        while (m.find()) {
            for (String label : m.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }

    /** Labels a LogQL query makes itself with named groups of {@code regexp}/{@code pattern} stages. */
    static Set<String> extractedLabels(String query) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = NAMED_GROUP.matcher(query);
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    /** Metric names of a PromQL query: identifiers outside strings, selectors, durations and grouping clauses. */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
                .replaceAll("\\$\\{?[a-zA-Z_]+}?", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean partOfNumber = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!PROMQL_WORDS.contains(word) && !partOfNumber) {
                names.add(word);
            }
        }
        return names;
    }

    private static int closingBrace(String query, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < query.length(); i++) {
            char c = query.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed stream selector in: " + query);
    }
}
