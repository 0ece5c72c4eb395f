package io.logpipe.collector.checkpoint;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The acknowledged watermark of one source (one file path, one journal, one event stream).
 * Positions are issued in reading order; acknowledgements may come in any order (a source's
 * records can span partitions); the watermark moves only over an unbroken run of
 * acknowledged positions from the oldest one.
 *
 * @param <P> the position type, any value Jackson can write
 */
public final class AckedProgress<P> {
    private final ArrayDeque<Ticket<P>> pending = new ArrayDeque<>();
    private final Consumer<P> onAdvance;
    private P acknowledged;

    AckedProgress(P acknowledged, Consumer<P> onAdvance) {
        this.acknowledged = acknowledged;
        this.onAdvance = onAdvance;
    }

    /** Registers the position after a record about to be sent; the ticket is acknowledged by the publisher. */
    public Ticket<P> issue(P positionAfter) {
        Ticket<P> ticket = new Ticket<>(this, positionAfter);
        synchronized (this) {
            pending.addLast(ticket);
        }
        return ticket;
    }

    /** The newest position whose record and all earlier ones Kafka has acknowledged. */
    public synchronized P acknowledged() {
        return acknowledged;
    }

    /** Records issued but not acknowledged yet. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    private void acknowledge(Ticket<P> ticket) {
        P advancedTo = null;
        synchronized (this) {
            ticket.done = true;
            while (!pending.isEmpty() && pending.peekFirst().done) {
                advancedTo = pending.pollFirst().position;
            }
            if (advancedTo != null) {
                acknowledged = advancedTo;
            }
        }
        if (advancedTo != null) {
            onAdvance.accept(advancedTo);
        }
    }

    /** One issued position; {@link #acknowledge()} is called once Kafka has the record. */
    public static final class Ticket<P> {
        private final AckedProgress<P> progress;
        private final P position;
        private boolean done;

        private Ticket(AckedProgress<P> progress, P position) {
            this.progress = progress;
            this.position = position;
        }

        public void acknowledge() {
            progress.acknowledge(this);
        }

        public P position() {
            return position;
        }
    }
}
