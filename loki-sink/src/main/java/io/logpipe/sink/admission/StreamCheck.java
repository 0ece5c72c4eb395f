package io.logpipe.sink.admission;

import io.logpipe.labels.LabelNames;
import io.logpipe.labels.LabelSet;
import io.logpipe.sink.push.RefusalReason;
import java.util.Map;

/**
 * Checks a stream's label set against Loki's rules before it is sent, and words each problem
 * as Loki 2.8 does, so a DLQ record reads the same whichever side refused it.
 */
public final class StreamCheck {
    private final LabelLimits limits;

    public StreamCheck(LabelLimits limits) {
        this.limits = limits;
    }

    /** Why Loki would refuse the stream. */
    public record Problem(RefusalReason reason, String message) {
    }

    /** The problem Loki would find with {@code stream}, or null when it would accept it. */
    public Problem check(LabelSet stream) {
        if (stream.isEmpty()) {
            return new Problem(RefusalReason.MISSING_LABELS, "error at least one label pair is required per stream");
        }
        String canonical = stream.canonical();
        int position = 1;
        for (Map.Entry<String, String> label : stream.labels().entrySet()) {
            String name = label.getKey();
            if (!LabelNames.isValid(name)) {
                int bad = firstInvalid(name);
                char c = name.isEmpty() ? '=' : name.charAt(bad);
                return new Problem(RefusalReason.INVALID_LABELS,
                        "1:" + (position + bad + 1) + ": parse error: unexpected character inside braces: '" + c + "'");
            }
            position += name.length() + 2 + escapedLength(label.getValue()) + 2 + 1;
        }
        if (stream.size() > limits.maxNamesPerSeries()) {
            return new Problem(RefusalReason.MAX_LABEL_NAMES_PER_SERIES,
                    "stream '" + canonical + "' has " + stream.size() + " label names; limit " + limits.maxNamesPerSeries());
        }
        for (Map.Entry<String, String> label : stream.labels().entrySet()) {
            if (label.getKey().length() > limits.maxNameLength()) {
                return new Problem(RefusalReason.LABEL_NAME_TOO_LONG,
                        "stream '" + canonical + "' has label name too long: '" + label.getKey() + "'");
            }
            if (label.getValue().length() > limits.maxValueLength()) {
                return new Problem(RefusalReason.LABEL_VALUE_TOO_LONG,
                        "stream '" + canonical + "' has label value too long: '" + label.getValue() + "'");
            }
        }
        return null;
    }

    private static int firstInvalid(String name) {
        if (name.isEmpty() || !LabelNames.isValid(name.substring(0, 1))) {
            return 0;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!LabelNames.isValid("x" + name.charAt(i))) {
                return i;
            }
        }
        return 0;
    }

    private static int escapedLength(String value) {
        int n = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '\n') {
                n++;
            }
        }
        return n;
    }
}
