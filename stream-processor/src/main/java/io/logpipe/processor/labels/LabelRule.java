package io.logpipe.processor.labels;

import static io.logpipe.config.ConfigException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.logpipe.labels.LabelNames;
import io.logpipe.record.SourceKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One step of turning a raw record's attributes and static labels into Loki stream labels, in
 * the spirit of Promtail's {@code relabel_configs}. A step that sets a label never overwrites
 * one that already has a value: the first rule to set a label wins, and an operator who wants
 * to replace a label drops it first.
 *
 * <pre>
 * - {action: copy, source: "pod_label_app.kubernetes.io/name", target: app, kinds: [pod]}
 * - {action: copy, source: unit, target: service, regex: "(.+)\\.service", replacement: "$1"}
 * - {action: rename, source: _hostname, target: host}
 * - {action: static, target: job, value: kubernetes-events, kinds: [k8s_event]}
 * - {action: drop, names: [host], kinds: [pod]}
 * - {action: keep, names: [namespace, pod, container, app, node, host, job, unit, service]}
 * </pre>
 *
 * @param action what the step does
 * @param kinds the source kinds it applies to; empty means all
 * @param names for keep and drop: the label names
 * @param source for copy and rename: the attribute or label read
 * @param target for copy, rename and static: the label set
 * @param regex for copy and rename: must match the whole source value, else the step does nothing
 * @param replacement for copy and rename with a regex: the new value, {@code $1} for groups
 * @param value for static: the value
 */
public record LabelRule(Action action, List<SourceKind> kinds, List<String> names, String source, String target,
                        String regex, String replacement, String value) {

    public enum Action {
        /** Only the listed labels stay. */
        KEEP,
        /** The listed labels go. */
        DROP,
        /** {@code source} becomes {@code target}; {@code source} goes. */
        RENAME,
        /** {@code target} gets {@code source}'s value; {@code source} stays. */
        COPY,
        /** {@code target} gets {@code value}. */
        STATIC;

        @JsonValue
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Action of(String name) {
            for (Action action : values()) {
                if (action.label().equalsIgnoreCase(name)) {
                    return action;
                }
            }
            throw new IllegalArgumentException("unknown label rule action '" + name + "' (allowed: keep, drop, rename, copy, static)");
        }
    }

    public LabelRule {
        require(action != null, "action", "is required (keep, drop, rename, copy or static)");
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        names = names == null ? List.of() : List.copyOf(names);
        switch (action) {
            case KEEP, DROP -> require(!names.isEmpty(), "names", action.label() + " needs a list of label names");
            case RENAME, COPY -> {
                require(source != null && !source.isBlank(), "source", action.label() + " needs a source");
                require(target != null && !target.isBlank(), "target", action.label() + " needs a target");
            }
            case STATIC -> {
                require(target != null && !target.isBlank(), "target", "static needs a target");
                require(value != null, "value", "static needs a value");
            }
            default -> throw new IllegalStateException(action.toString());
        }
        require(target == null || LabelNames.isValid(target), "target",
                "'" + target + "' is not a valid Loki label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        require(regex == null || action == Action.RENAME || action == Action.COPY, "regex", "only rename and copy take a regex");
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new io.logpipe.config.ConfigException.InvalidValue("regex", "'" + regex + "' is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        require(replacement == null || regex != null, "replacement", "a replacement needs a regex");
    }

    public static LabelRule keep(String... names) {
        return new LabelRule(Action.KEEP, null, List.of(names), null, null, null, null, null);
    }

    public static LabelRule drop(List<SourceKind> kinds, String... names) {
        return new LabelRule(Action.DROP, kinds, List.of(names), null, null, null, null, null);
    }

    public static LabelRule copy(List<SourceKind> kinds, String source, String target) {
        return new LabelRule(Action.COPY, kinds, null, source, target, null, null, null);
    }

    public static LabelRule copy(List<SourceKind> kinds, String source, String target, String regex, String replacement) {
        return new LabelRule(Action.COPY, kinds, null, source, target, regex, replacement, null);
    }

    public static LabelRule rename(List<SourceKind> kinds, String source, String target) {
        return new LabelRule(Action.RENAME, kinds, null, source, target, null, null, null);
    }

    public static LabelRule staticLabel(List<SourceKind> kinds, String target, String value) {
        return new LabelRule(Action.STATIC, kinds, null, null, target, null, null, value);
    }

    boolean appliesTo(SourceKind kind) {
        return kinds.isEmpty() || kinds.contains(kind);
    }

    /** A compiled form, so that the per-record path compiles nothing. */
    Compiled compile() {
        return new Compiled(this, regex == null ? null : Pattern.compile(regex), Set.copyOf(names));
    }

    record Compiled(LabelRule rule, Pattern pattern, Set<String> nameSet) {
        void apply(Map<String, String> labels) {
            switch (rule.action()) {
                case KEEP -> labels.keySet().retainAll(nameSet);
                case DROP -> labels.keySet().removeAll(nameSet);
                case STATIC -> labels.putIfAbsent(rule.target(), rule.value());
                case COPY, RENAME -> {
                    String value = labels.get(rule.source());
                    if (value == null || labels.containsKey(rule.target())) {
                        return;
                    }
                    String result = value;
                    if (pattern != null) {
                        Matcher m = pattern.matcher(value);
                        if (!m.matches()) {
                            return;
                        }
                        result = rule.replacement() == null ? value : m.replaceFirst(rule.replacement());
                    }
                    if (rule.action() == Action.RENAME) {
                        labels.remove(rule.source());
                    }
                    labels.put(rule.target(), result);
                }
                default -> throw new IllegalStateException(rule.action().toString());
            }
        }
    }
}
