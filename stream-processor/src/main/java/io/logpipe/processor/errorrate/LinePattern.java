package io.logpipe.processor.errorrate;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.selector.Selector;

/**
 * A counted kind of line: {@code logpipe_processor_pattern_lines_total{pattern="<name>"}} counts
 * the lines the selector matches. Written as in Loki, e.g. the plan's DiskSpaceWarning:
 * {@code {job="syslog"} |= "disk" |= "space"}.
 *
 * @param name the {@code pattern} label of the counter
 * @param selector a LogQL stream selector with line filters
 */
public record LinePattern(String name, String selector) {
    public static final LinePattern DISK_SPACE = new LinePattern("disk_space", "{job=\"syslog\"} |= \"disk\" |= \"space\"");

    public LinePattern {
        require(name != null && !name.isBlank(), "name", "a line pattern needs a name");
        require(selector != null && !selector.isBlank(), "selector", "a line pattern needs a selector");
        try {
            Selector.parse(selector);
        } catch (IllegalArgumentException e) {
            throw new io.logpipe.config.ConfigException.InvalidValue("selector", e.getMessage());
        }
    }

    public Selector parsed() {
        return Selector.parse(selector);
    }
}
