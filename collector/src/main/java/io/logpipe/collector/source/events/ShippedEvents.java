package io.logpipe.collector.source.events;

import java.util.Map;

/**
 * The events source's checkpoint: the resource version of every event shipped (and
 * acknowledged) recently, by event uid, with the event's time. After a restart the informer
 * lists every event the API server still has; those whose version is here are not sent again,
 * those that changed since (a repeat: count and time moved on) are.
 */
public record ShippedEvents(Map<String, Shipped> events) {

    public ShippedEvents {
        events = events == null ? Map.of() : Map.copyOf(events);
    }

    public record Shipped(String resourceVersion, long timeNanos) {
    }

    boolean contains(String uid, String resourceVersion) {
        Shipped shipped = events.get(uid);
        return shipped != null && shipped.resourceVersion().equals(resourceVersion);
    }
}
