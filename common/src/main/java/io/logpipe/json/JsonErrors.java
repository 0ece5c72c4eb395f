package io.logpipe.json;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Jackson's errors turned into the short texts logpipe's messages quote: a key path and one line. */
public final class JsonErrors {
    private JsonErrors() {
    }

    /** The path of the key the error is about, as a user writes it: {@code kafka.sasl.password}, {@code sources.files[0].paths}. */
    public static String keyPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The first line of a message: Jackson appends source locations and excerpts on the next ones. */
    public static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
