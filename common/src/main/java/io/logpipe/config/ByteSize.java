package io.logpipe.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes written as {@code 1048576}, {@code 256KiB}, {@code 10MB} or {@code 1MiB}. */
public record ByteSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative");
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    /** Jackson's entry: YAML gives a number or a string. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ByteSize fromYaml(Object value) {
        return value instanceof Number number ? new ByteSize(number.longValue()) : parse(String.valueOf(value));
    }

    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 65536, 256KiB, 10MB, 1GiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        boolean binary = unit.contains("i");
        long k = binary ? 1024 : 1000;
        return new ByteSize(switch (unit.charAt(0)) {
            case 'k' -> n * k;
            case 'm' -> n * k * k;
            case 'g' -> n * k * k * k;
            default -> n;
        });
    }

    public int asInt() {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public String toString() {
        return bytes + "B";
    }
}
