package io.logpipe.sink.push;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why Loki refuses an entry, named as Loki's own {@code discarded_samples_total} reasons, told
 * apart by the text of its 400 answers (Loki 2.8 {@code pkg/validation}). Used as the
 * low-cardinality {@code reason} tag of the DLQ counter; the full text travels in the DLQ header.
 */
public enum RefusalReason {
    INVALID_LABELS("invalid_labels", true),
    MISSING_LABELS("missing_labels", true),
    DUPLICATE_LABEL_NAMES("duplicate_label_names", true),
    MAX_LABEL_NAMES_PER_SERIES("max_label_names_per_series", true),
    LABEL_NAME_TOO_LONG("label_name_too_long", true),
    LABEL_VALUE_TOO_LONG("label_value_too_long", true),
    TOO_OLD("greater_than_max_sample_age", false),
    TOO_NEW("too_far_in_future", false),
    LINE_TOO_LONG("line_too_long", false),
    OTHER("refused", false);

    private static final Pattern STREAM = Pattern.compile("stream '(\\{.*?})'");

    private final String tag;
    private final boolean streamWide;

    RefusalReason(String tag, boolean streamWide) {
        this.tag = tag;
        this.streamWide = streamWide;
    }

    /** The metric tag. */
    public String tag() {
        return tag;
    }

    /** True when the refusal is about the stream's labels, so every entry of that stream is refused. */
    public boolean streamWide() {
        return streamWide;
    }

    public static RefusalReason of(String lokiMessage) {
        String m = lokiMessage == null ? "" : lokiMessage;
        if (m.contains("parse error") || m.contains("Error parsing labels")) {
            return INVALID_LABELS;
        }
        if (m.contains("at least one label pair is required")) {
            return MISSING_LABELS;
        }
        if (m.contains("duplicate label name")) {
            return DUPLICATE_LABEL_NAMES;
        }
        if (m.contains("label names; limit")) {
            return MAX_LABEL_NAMES_PER_SERIES;
        }
        if (m.contains("label name too long")) {
            return LABEL_NAME_TOO_LONG;
        }
        if (m.contains("label value too long")) {
            return LABEL_VALUE_TOO_LONG;
        }
        if (m.contains("timestamp too old")) {
            return TOO_OLD;
        }
        if (m.contains("timestamp too new")) {
            return TOO_NEW;
        }
        if (m.contains("Max entry size")) {
            return LINE_TOO_LONG;
        }
        return OTHER;
    }

    /** The stream a Loki message names ({@code stream '{a="b"}' …}), or null. */
    public static String streamNamed(String lokiMessage) {
        if (lokiMessage == null) {
            return null;
        }
        Matcher m = STREAM.matcher(lokiMessage);
        return m.find() ? m.group(1) : null;
    }
}
