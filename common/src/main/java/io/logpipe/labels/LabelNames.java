package io.logpipe.labels;

/** Loki's rule for label names: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
public final class LabelNames {
    private LabelNames() {
    }

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || !isStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!isPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The nearest valid name: every other character becomes {@code _}, and a name starting with
     * a digit gets a leading {@code _} (as Prometheus' relabelling does with {@code labelmap}).
     */
    public static String sanitize(String name) {
        if (isValid(name)) {
            return name;
        }
        if (name == null || name.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder(name.length() + 1);
        if (!isStart(name.charAt(0)) && isPart(name.charAt(0))) {
            out.append('_');
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(isPart(c) ? c : '_');
        }
        return out.toString();
    }

    private static boolean isStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isPart(char c) {
        return isStart(c) || (c >= '0' && c <= '9');
    }
}
