package io.logpipe.collector.source.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.logpipe.collector.timestamp.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The two container log formats the kubelet leaves under /var/log/pods. */
enum ContainerLogFormat {
    /** containerd / CRI-O: {@code <RFC3339Nano> <stdout|stderr> <P|F> <message>}. */
    CRI,
    /** Docker's json-file driver: {@code {"log":"message\n","stream":"stdout","time":"..."}}. */
    DOCKER;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    String attribute() {
        return this == CRI ? "cri" : "docker";
    }

    /** Parses one line in whichever format it is in; null when it is in neither. */
    static ContainerLine parse(byte[] b, int offset, int length, Rfc3339 timestamps) {
        if (length > 0 && b[offset] == '{') {
            return parseDocker(b, offset, length, timestamps);
        }
        return parseCri(b, offset, length, timestamps);
    }

    private static ContainerLine parseCri(byte[] b, int offset, int length, Rfc3339 timestamps) {
        int end = offset + length;
        int firstSpace = indexOf(b, offset, end, (byte) ' ');
        if (firstSpace < 0) {
            return null;
        }
        long ts = timestamps.parseNanos(b, offset, firstSpace - offset);
        if (ts < 0) {
            return null;
        }
        int streamStart = firstSpace + 1;
        String stream;
        if (matches(b, streamStart, end, "stdout ")) {
            stream = "stdout";
        } else if (matches(b, streamStart, end, "stderr ")) {
            stream = "stderr";
        } else {
            return null;
        }
        int tag = streamStart + 7;
        if (tag >= end || (b[tag] != 'P' && b[tag] != 'F')) {
            return null;
        }
        boolean partial = b[tag] == 'P';
        int message = tag + 1;
        if (message < end) {
            if (b[message] != ' ') {
                return null;
            }
            message++;
        }
        return new ContainerLine(ts, stream, partial, b, message, end - message, CRI);
    }

    private static ContainerLine parseDocker(byte[] b, int offset, int length, Rfc3339 timestamps) {
        JsonNode node;
        try {
            node = JSON.readTree(b, offset, length);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.path("log").isTextual() || !node.path("time").isTextual()) {
            return null;
        }
        long ts = timestamps.parseNanos(node.get("time").textValue());
        if (ts < 0) {
            return null;
        }
        String log = node.get("log").textValue();
        boolean partial = !log.endsWith("\n");
        byte[] message = (partial ? log : log.substring(0, log.length() - 1)).getBytes(StandardCharsets.UTF_8);
        String stream = node.path("stream").asText("stdout");
        return new ContainerLine(ts, "stderr".equals(stream) ? "stderr" : "stdout", partial, message, 0, message.length, DOCKER);
    }

    private static boolean matches(byte[] b, int at, int end, String expected) {
        if (at + expected.length() > end) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (b[at + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
