package io.logpipe.processor.level;

/** Which rule decided a line's level: the shape of the line, or the journald field. */
public enum LineFormat {
    /** A JSON object with a {@code level}, {@code lvl}, {@code severity}, {@code log.level} or {@code levelname} key. */
    JSON,
    /** logfmt with a {@code level=} or {@code lvl=} pair. */
    LOGFMT,
    /** klog / glog: {@code E1124 10:00:00.000000 ...}. */
    KLOG,
    /** A logger prefix: {@code [ERROR]}, {@code  WARN }, {@code ERROR:}. */
    LOGGER_PREFIX,
    /** journald's {@code PRIORITY} field (0–7). */
    JOURNALD_PRIORITY,
    /** A Kubernetes event's {@code type} (Normal, Warning). */
    KUBERNETES_EVENT,
    /** Nothing recognised: the level is {@code unknown}. */
    PLAIN
}
